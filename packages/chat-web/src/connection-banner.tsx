import { Icon, useConnectionState } from '@chatsdk/react'

/**
 * Says when the app is not live: offline (messages wait and go out on reconnect) or reconnecting.
 * Connected: nothing.
 */
export function ConnectionBanner() {
  const { state, pending } = useConnectionState()
  if (state === 'connected') return null
  const waiting =
    pending > 0 ? ` ${pending} ${pending === 1 ? 'message waits' : 'messages wait'} to be sent.` : ''
  const text =
    state === 'offline'
      ? `You are offline. Messages you send are kept and go out when you reconnect.${waiting}`
      : `Connecting…${waiting}`
  return (
    <div className="csdk-banner" role="status">
      <Icon name="warning" />
      {text}
    </div>
  )
}
