import type { ColumnType } from 'kysely'

/**
 * A schema written once: each table is a record of column descriptions whose TypeScript types
 * Kysely reads (`DatabaseOf`) and whose SQL facts (type family, nullability, who fills it) a test
 * compares with the migrated database (`schemaDifferences`). Neither side is a hand-kept copy of
 * the other.
 */

/** Broad Postgres type families, as information_schema names them (arrays as `elem[]`). */
export type SqlType =
  | 'uuid'
  | 'text'
  | 'integer'
  | 'bigint'
  | 'numeric'
  | 'boolean'
  | 'timestamptz'
  | 'jsonb'
  | 'text[]'
  | 'tsvector'

/** Who fills a column when an insert omits it: nobody, its DEFAULT, or the database always (GENERATED). */
export type Fill = 'none' | 'default' | 'always'

/** The SQL facts of one column, checked against information_schema. */
export interface ColumnFacts {
  readonly sqlType: SqlType
  readonly isNullable: boolean
  readonly fill: Fill
}

/** A column description: its SQL facts plus the TypeScript types Kysely uses for it. */
export interface Column<S, I, U, N extends boolean, F extends Fill> extends ColumnFacts {
  readonly isNullable: N
  readonly fill: F
  /** Type carrier only (never set): what a select returns, an insert and an update take. */
  readonly types?: { select: S; insert: I; update: U }
  /** The column accepts NULL (so an insert may omit it). */
  nullable(): Column<S, I, U, true, F>
  /** The column has a DEFAULT (so an insert may omit it). */
  defaulted(): Column<S, I, U, N, 'default'>
  /** GENERATED ALWAYS: read only. */
  generated(): Column<S, I, U, N, 'always'>
}

function column<S, I = S, U = I>(sqlType: SqlType): Column<S, I, U, false, 'none'> {
  const build = <N extends boolean, F extends Fill>(isNullable: N, fill: F): Column<S, I, U, N, F> => ({
    sqlType,
    isNullable,
    fill,
    nullable: () => build(true, fill),
    defaulted: () => build(isNullable, 'default'),
    generated: () => build(isNullable, 'always'),
  })
  return build(false, 'none')
}

/**
 * JSON written through a parameter is JSON text: pg would turn a JS array into a Postgres array
 * literal, so inserts and updates take `JSON.stringify(value)` (or a `sql` expression).
 */
export type JsonText = string

export const uuid = () => column<string>('uuid')
export const text = <T extends string = string>() => column<T>('text')
export const integer = () => column<number>('integer')
/** int8 comes back as a decimal string on both drivers (precision past 2^53). */
export const bigint = () => column<string, string | number | bigint>('bigint')
export const numeric = () => column<string, string | bigint>('numeric')
export const boolean = () => column<boolean>('boolean')
export const timestamptz = () => column<Date, Date | string>('timestamptz')
export const jsonb = <T>() => column<T, JsonText>('jsonb')
export const textArray = () => column<string[]>('text[]')
export const tsvector = () => column<string>('tsvector')

type OrNull<T, N extends boolean> = N extends true ? T | null : T

/** The Kysely column type a description stands for. */
export type ColumnOf<C> =
  C extends Column<infer S, infer I, infer U, infer N, infer F>
    ? F extends 'always'
      ? ColumnType<OrNull<S, N>, never, never>
      : F extends 'default'
        ? ColumnType<OrNull<S, N>, OrNull<I, N> | undefined, OrNull<U, N>>
        : ColumnType<OrNull<S, N>, OrNull<I, N>, OrNull<U, N>>
    : never

/** A table description: column name to column. */
export type TableDescription = Record<string, ColumnFacts>

/** Table name to table description. */
export type SchemaDescription = Record<string, TableDescription>

/** The Kysely database interface a schema description stands for. */
export type DatabaseOf<D extends SchemaDescription> = {
  [Table in keyof D]: { [Name in keyof D[Table]]: ColumnOf<D[Table][Name]> }
}
