import { HttpProblem } from '@platform/service-kit/http'
import { InputError } from './input-error.js'

/** Runs a route body; an InputError leaves as problem+json with its code and field path. */
export async function asProblem<T>(body: () => T | Promise<T>): Promise<T> {
  try {
    return await body()
  } catch (error) {
    if (error instanceof InputError) {
      throw new HttpProblem(
        error.status,
        error.code,
        error.message,
        error.field ? { errors: [{ path: error.field, message: error.message, in: 'querystring' }] } : {},
      )
    }
    throw error
  }
}
