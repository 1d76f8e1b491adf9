/**
 * A request the DEX cannot serve as asked: always a 4xx with a stable code and, when one field is to
 * blame, its JSON pointer. Domain code throws it; routes turn it into problem+json.
 */
export class InputError extends Error {
  override readonly name = 'InputError'
  constructor(
    readonly status: 400 | 404 | 409 | 422,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message)
  }
}
