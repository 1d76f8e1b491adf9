import type { PGlite } from '@electric-sql/pglite'
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely'
import { searchPathFor } from './identifiers.js'

/**
 * PGlite is one single-user backend. Several Databases (one schema each) may share it, so all of
 * them take turns through one lock per instance, and each sets its search_path when it gets the
 * turn after another schema had it. A transaction holds the lock from BEGIN to COMMIT, so two
 * products' transactions never interleave.
 */
interface SharedState {
  tail: Promise<void>
  searchPath: string | undefined
}

const states = new WeakMap<PGlite, SharedState>()

function stateOf(pglite: PGlite): SharedState {
  let state = states.get(pglite)
  if (!state) {
    state = { tail: Promise.resolve(), searchPath: undefined }
    states.set(pglite, state)
  }
  return state
}

class PgliteConnection implements DatabaseConnection {
  constructor(
    private readonly pglite: PGlite,
    readonly release: () => void,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // Parameterless SQL goes through the simple protocol so migration scripts with several
    // statements work the same as on pg (which does the same for queries without values).
    if (compiled.parameters.length === 0) {
      const results = await this.pglite.exec(compiled.sql)
      const last = results[results.length - 1]
      return {
        rows: (last?.rows ?? []) as R[],
        ...(last?.affectedRows ? { numAffectedRows: BigInt(last.affectedRows) } : {}),
      }
    }
    const result = await this.pglite.query<R>(compiled.sql, [...compiled.parameters])
    return {
      rows: result.rows,
      ...(result.affectedRows ? { numAffectedRows: BigInt(result.affectedRows) } : {}),
    }
  }

  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(compiled)
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) }
  }
}

class SharedPgliteDriver implements Driver {
  private readonly state: SharedState
  private readonly searchPath: string

  constructor(
    private readonly pglite: PGlite,
    schema: string,
    private readonly onDestroy: () => Promise<void>,
  ) {
    this.state = stateOf(pglite)
    this.searchPath = searchPathFor(schema)
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void
    const turn = new Promise<void>((resolve) => {
      release = resolve
    })
    const previous = this.state.tail
    this.state.tail = previous.then(() => turn)
    await previous
    try {
      if (this.state.searchPath !== this.searchPath) {
        await this.pglite.exec(`SET search_path TO ${this.searchPath}`)
        this.state.searchPath = this.searchPath
      }
    } catch (error) {
      release()
      throw error
    }
    return new PgliteConnection(this.pglite, release)
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    ;(connection as PgliteConnection).release()
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const parts = ['begin']
    if (settings.isolationLevel) parts.push(`isolation level ${settings.isolationLevel}`)
    if (settings.accessMode) parts.push(settings.accessMode)
    await connection.executeQuery(CompiledQuery.raw(parts.join(' ')))
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'))
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'))
  }

  async savepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(savepointQuery('savepoint', name))
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(savepointQuery('rollback to savepoint', name))
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(savepointQuery('release savepoint', name))
  }

  async destroy(): Promise<void> {
    await this.onDestroy()
  }
}

function savepointQuery(command: string, name: string): CompiledQuery {
  return CompiledQuery.raw(`${command} "${name.replaceAll('"', '""')}"`)
}

export class SharedPgliteDialect implements Dialect {
  constructor(
    private readonly pglite: PGlite,
    private readonly schema: string,
    /** Called when the Kysely instance is destroyed: closes the PGlite only if this Database owns it. */
    private readonly onDestroy: () => Promise<void>,
  ) {}

  createAdapter() {
    return new PostgresAdapter()
  }
  createDriver(): Driver {
    return new SharedPgliteDriver(this.pglite, this.schema, this.onDestroy)
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler()
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db)
  }
}
