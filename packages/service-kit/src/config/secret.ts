import type { TSchema } from '@sinclair/typebox'

/** Schema keyword that marks a variable as a secret: masked in the reference, checked in production. */
export const SECRET_KEYWORD = 'x-secret'

/** Marks a config field as a secret, e.g. `JWT_SECRET: secret(Type.String({ default: 'dev-…' }))`. */
export function secret<T extends TSchema>(schema: T): T {
  return { ...schema, [SECRET_KEYWORD]: true }
}

export function isSecret(schema: TSchema): boolean {
  return (schema as Record<string, unknown>)[SECRET_KEYWORD] === true
}
