import { Icon } from './icons.js'

export interface LoadNoticeProps {
  /** What could not be loaded, as the person would say it ("Couldn't load older messages."). */
  message: string
  /** The failure itself, shown smaller (the server's or the network's words). */
  detail?: string | null | undefined
  onRetry(): void
  onDismiss?(): void
}

/**
 * A load that failed in the background, said next to what it left missing: what failed, a
 * "Try again" button and a way to put the notice away. An alert, so screen readers announce it.
 */
export function LoadNotice(props: LoadNoticeProps) {
  return (
    <div className="csdk-notice" role="alert">
      <Icon name="warning" size={16} />
      <p className="csdk-notice__text">
        {props.message}
        {props.detail && <span className="csdk-notice__detail"> {props.detail}</span>}
      </p>
      <button type="button" className="csdk-link-button" onClick={props.onRetry}>
        Try again
      </button>
      {props.onDismiss && (
        <button type="button" className="csdk-icon-button" aria-label="Dismiss" onClick={props.onDismiss}>
          <Icon name="close" size={16} />
        </button>
      )}
    </div>
  )
}
