import { randomUUID } from 'node:crypto'
import amqp from 'amqplib'
import { afterAll, describe, expect, it } from 'vitest'
import { amqpUrl, eventually } from '../cache/test-support.js'
import { AmqpJobQueue } from './amqp.js'
import { deadLetterQueueName } from './naming.js'

const queueName = `test.reconnect.${randomUUID().slice(0, 8)}`

afterAll(async () => {
  if (!amqpUrl) return
  const connection = await amqp.connect(amqpUrl)
  const channel = await connection.createChannel()
  await channel.deleteQueue(queueName)
  await channel.deleteQueue(deadLetterQueueName(queueName))
  await connection.close()
})

/** Cuts the TCP socket under amqplib, as a broker restart or a network failure would. */
function cutConnection(queue: AmqpJobQueue): void {
  ;(queue as any).connection.connection.stream.destroy(new Error('simulated network failure'))
}

describe.runIf(amqpUrl)('RabbitMQ driver after a lost connection', () => {
  it('reconnects, restarts its consumers and publishes again', async () => {
    const errors: Error[] = []
    const queue = await AmqpJobQueue.connect({ url: amqpUrl!, onError: (e) => errors.push(e) })
    const got: unknown[] = []
    await queue.consume(queueName, (payload) => {
      got.push(payload)
    })
    await queue.publish(queueName, 'before')
    await eventually(() => got.length === 1, 'delivery before the cut')

    cutConnection(queue)
    await eventually(() => errors.some((e) => e.message.includes('reconnecting')), 'loss noticed')

    await queue.publish(queueName, 'after')
    await eventually(() => got.includes('after'), 'delivery after reconnecting')
    // At-least-once: 'before' may come twice when the cut beat its ack to the broker.
    expect(new Set(got)).toEqual(new Set(['before', 'after']))
    await queue.close()
  })
})
