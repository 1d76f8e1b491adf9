/**
 * Schema names end up inside SQL text (search_path, CREATE SCHEMA), where parameters are not
 * allowed, so they are restricted to plain lower-case identifiers instead of being escaped.
 */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/

export function assertSchemaName(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new Error(`invalid schema name "${name}": use lower-case letters, digits and _ (max 63)`)
  }
  return name
}

/** search_path for a product schema; `public` stays visible for shared extensions such as pg_trgm. */
export function searchPathFor(schema: string): string {
  return `"${assertSchemaName(schema)}", public`
}
