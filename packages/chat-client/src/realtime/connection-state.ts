/**
 * The client's connection as the UI sees it:
 * - `idle`: not started (before `connect()`);
 * - `connecting`: first connection attempt under way;
 * - `connected`: realtime is live;
 * - `reconnecting`: the connection dropped and the client is retrying (backoff with jitter);
 * - `offline`: the device reports no network; retries wait for it to come back;
 * - `closed`: `disconnect()` was called, or the server refused us for good (bad credentials).
 */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed'

export type ConnectionInput =
  | { type: 'start' }
  | { type: 'transport'; state: 'connecting' | 'connected' | 'disconnected' }
  | { type: 'network'; online: boolean }
  | { type: 'stop' }

export interface ConnectionMachine {
  state: ConnectionState
  /** Has been connected at least once since start: a drop is then a reconnect. */
  wasConnected: boolean
  online: boolean
}

export const initialConnection: ConnectionMachine = { state: 'idle', wasConnected: false, online: true }

/** The transition function: pure, so every path is unit-tested (connection-state.test.ts). */
export function nextConnection(machine: ConnectionMachine, input: ConnectionInput): ConnectionMachine {
  switch (input.type) {
    case 'start':
      if (machine.state !== 'idle' && machine.state !== 'closed') return machine
      return { ...machine, state: machine.online ? 'connecting' : 'offline', wasConnected: false }
    case 'stop':
      return { ...machine, state: 'closed' }
    case 'network': {
      const next = { ...machine, online: input.online }
      if (machine.state === 'idle' || machine.state === 'closed') return next
      if (!input.online) return { ...next, state: 'offline' }
      if (machine.state === 'offline')
        return { ...next, state: machine.wasConnected ? 'reconnecting' : 'connecting' }
      return next
    }
    case 'transport': {
      if (machine.state === 'idle' || machine.state === 'closed') return machine
      if (input.state === 'connected') return { ...machine, state: 'connected', wasConnected: true }
      // while the device is offline, transport retries do not change what the user should see
      if (!machine.online) return { ...machine, state: 'offline' }
      if (input.state === 'connecting' || input.state === 'disconnected') {
        return { ...machine, state: machine.wasConnected ? 'reconnecting' : 'connecting' }
      }
      return machine
    }
  }
}
