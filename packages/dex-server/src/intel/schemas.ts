import { Type } from '@sinclair/typebox'

/**
 * Integers the intelligence routes pass to PostgreSQL as bigint (block numbers, row ids): bounded
 * so that a number no bigint holds (1e19) is a validation error, not a failed query.
 */
export const BigintParam = (options: { minimum: number; default?: number; description?: string }) =>
  Type.Integer({ ...options, maximum: Number.MAX_SAFE_INTEGER })

/** A route that takes no query parameters refuses unknown ones instead of ignoring them. */
export const NoQuery = Type.Object({}, { additionalProperties: false })
