import { describe, expect, it } from 'vitest'
import {
  type ConnectionInput,
  type ConnectionMachine,
  initialConnection,
  nextConnection,
} from './connection-state.js'

/** The states the machine passes through, one per input. */
function run(inputs: ConnectionInput[], from: ConnectionMachine = initialConnection) {
  const states: ConnectionMachine['state'][] = []
  let machine = from
  for (const input of inputs) {
    machine = nextConnection(machine, input)
    states.push(machine.state)
  }
  return states
}

describe('connection state machine', () => {
  it('goes idle -> connecting -> connected on the first connect', () => {
    expect(
      run([
        { type: 'start' },
        { type: 'transport', state: 'connecting' },
        { type: 'transport', state: 'connected' },
      ]),
    ).toEqual(['connecting', 'connecting', 'connected'])
  })

  it('calls a drop after a connection a reconnect, and comes back connected', () => {
    expect(
      run([
        { type: 'start' },
        { type: 'transport', state: 'connected' },
        { type: 'transport', state: 'connecting' },
        { type: 'transport', state: 'connected' },
      ]),
    ).toEqual(['connecting', 'connected', 'reconnecting', 'connected'])
  })

  it('shows offline while the device has no network, whatever the transport retries do', () => {
    expect(
      run([
        { type: 'start' },
        { type: 'transport', state: 'connected' },
        { type: 'network', online: false },
        { type: 'transport', state: 'connecting' },
        { type: 'network', online: true },
        { type: 'transport', state: 'connected' },
      ]),
    ).toEqual(['connecting', 'connected', 'offline', 'offline', 'reconnecting', 'connected'])
  })

  it('starts offline when the device is offline at start', () => {
    const offline = { ...initialConnection, online: false }
    expect(run([{ type: 'start' }], offline)).toEqual(['offline'])
  })

  it('ignores transport events before start and after stop', () => {
    expect(run([{ type: 'transport', state: 'connected' }])).toEqual(['idle'])
    expect(
      run([
        { type: 'start' },
        { type: 'stop' },
        { type: 'transport', state: 'connected' },
        { type: 'network', online: false },
      ]),
    ).toEqual(['connecting', 'closed', 'closed', 'closed'])
  })

  it('can start again after a stop', () => {
    expect(run([{ type: 'start' }, { type: 'stop' }, { type: 'start' }])).toEqual([
      'connecting',
      'closed',
      'connecting',
    ])
  })
})
