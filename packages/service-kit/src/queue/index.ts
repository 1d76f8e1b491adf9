export { AmqpJobQueue, type AmqpJobQueueOptions } from './amqp.js'
export { createQueue, type QueueOptions } from './factory.js'
export { IdempotencyGuard } from './idempotency.js'
export { MemoryJobQueue } from './memory.js'
export { backoffDelay, deadLetterQueueName, retryQueueName } from './naming.js'
export type {
  BackoffOptions,
  ConsumeOptions,
  Consumer,
  DeadLetter,
  EventSubscribeOptions,
  JobContext,
  JobHandler,
  JobQueue,
  PublishOptions,
} from './types.js'
