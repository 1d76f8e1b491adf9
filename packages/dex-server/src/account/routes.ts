import { auditContext } from '@platform/service-kit/audit'
import type { App } from '@platform/service-kit/http'
import { HttpProblem } from '@platform/service-kit/http'
import { PrivacyRegistry } from '@platform/service-kit/privacy'
import { Type } from '@sinclair/typebox'
import type { Kysely } from 'kysely'
import type { Address } from 'viem'
import { type AuthDeps, dexAuth, SIGNED_IN } from '../auth/context.js'
import type { DexDatabase } from '../db/schema.js'
import { InputError } from '../quote/input-error.js'
import { asProblem } from '../quote/problem.js'
import { parseAddress } from '../quote/request.js'
import { GraphCache, type PoolSource } from '../router/graph-source.js'
import { currentPrice, type DecimalsOf, evaluateAlerts } from './alerts.js'
import { formatRatio } from './prices.js'
import { registerAccountPrivacy } from './privacy.js'
import { AccountStore, MAX_OPEN_ALERTS, MAX_WATCHLIST } from './store.js'

export interface AccountDeps extends AuthDeps {
  db: { kysely: Kysely<DexDatabase> }
  registry: PoolSource & {
    tokens(): ReadonlyArray<{ address: Address; symbol: string | null; decimals: number | null }>
  }
  /** How often open price alerts are checked against current prices (default 10 s; 0 = only on read). */
  alertIntervalMs?: number
  /** The periodic check runs only while this says the process writes the index (absent: always). */
  indexer?: { readonly indexing: boolean }
}

const Token = Type.Object({ token: Type.String({ maxLength: 42 }) })
const AlertSchema = Type.Object({
  id: Type.String(),
  baseToken: Type.String(),
  quoteToken: Type.String(),
  direction: Type.Union([Type.Literal('above'), Type.Literal('below')]),
  price: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  triggeredAt: Type.Union([Type.String(), Type.Null()]),
  triggeredPrice: Type.Union([Type.String(), Type.Null()]),
  currentPrice: Type.Union([Type.String(), Type.Null()]),
})
const PRICE = '^(0|[1-9][0-9]{0,39})(\\.[0-9]{1,18})?$'

/**
 * Signed-in wallet routes: watchlist, price alerts, and GDPR export / erasure of this off-chain data.
 * Every query is scoped to the session's wallet.
 */
export async function accountRoutes(app: App, deps: AccountDeps): Promise<void> {
  const auth = dexAuth(deps)
  const store = new AccountStore(deps.db.kysely)
  const graphs = new GraphCache(deps.registry)
  const privacy = registerAccountPrivacy(new PrivacyRegistry(), { store, sessions: auth.sessions })
  const decimalsOf: DecimalsOf = (token) =>
    deps.registry.tokens().find((t) => t.address.toLowerCase() === token)?.decimals ?? 0
  const known = (token: string) => graphs.graph().tokenId(token) !== undefined
  const ownerOf = async (
    request: Parameters<typeof auth.require>[0],
    reply: Parameters<typeof auth.require>[1],
  ) => (await auth.require(request, reply)).userId

  const interval = deps.alertIntervalMs ?? 10_000
  let evaluating: Promise<unknown> = Promise.resolve()
  const evaluate = () => {
    evaluating = evaluating
      .then(() => evaluateAlerts(store, graphs.graph(), decimalsOf))
      .catch((error) => app.log.warn({ err: error }, 'price alert evaluation failed'))
    return evaluating
  }
  // The periodic check runs in the process that writes the index (DEX_INDEXER and its lease), not
  // in every replica and intel process; reading one's alerts still checks them first, anywhere.
  const timer =
    interval > 0
      ? setInterval(() => {
          if (deps.indexer?.indexing !== false) evaluate()
        }, interval)
      : undefined
  timer?.unref()
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer)
    await evaluating
  })

  const tags = ['account']
  const description = SIGNED_IN

  app.get(
    '/v1/account/watchlist',
    {
      schema: {
        summary: 'Tokens on the wallet watchlist',
        tags,
        description,
        response: {
          200: Type.Object({
            tokens: Type.Array(
              Type.Object({
                token: Type.String(),
                symbol: Type.Union([Type.String(), Type.Null()]),
                createdAt: Type.String(),
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      const owner = await ownerOf(request, reply)
      const symbols = new Map(deps.registry.tokens().map((t) => [t.address.toLowerCase(), t.symbol]))
      const entries = await store.watchlist(owner)
      return { tokens: entries.map((e) => ({ ...e, symbol: symbols.get(e.token) ?? null })) }
    },
  )

  app.put(
    '/v1/account/watchlist/:token',
    { schema: { summary: 'Watch a token', tags, description, params: Token } },
    async (request, reply) =>
      asProblem(async () => {
        const owner = await ownerOf(request, reply)
        const token = parseAddress(request.params.token, '/token').toLowerCase()
        if (!known(token)) throw new InputError(404, 'unknown_token', 'no pool trades this token', '/token')
        if (!(await store.watch(owner, token))) {
          throw new InputError(409, 'watchlist_full', `a watchlist holds at most ${MAX_WATCHLIST} tokens`)
        }
        return reply.code(204).send()
      }),
  )

  app.delete(
    '/v1/account/watchlist/:token',
    { schema: { summary: 'Stop watching a token', tags, description, params: Token } },
    async (request, reply) =>
      asProblem(async () => {
        const owner = await ownerOf(request, reply)
        const token = parseAddress(request.params.token, '/token').toLowerCase()
        if (!(await store.unwatch(owner, token)))
          throw new InputError(404, 'not_watched', 'the token is not on the watchlist')
        return reply.code(204).send()
      }),
  )

  const withPrice = (alert: Awaited<ReturnType<typeof store.alerts>>[number]) => {
    const price = currentPrice(graphs.graph(), decimalsOf, alert.baseToken, alert.quoteToken)
    return { ...alert, currentPrice: price ? formatRatio(price) : null }
  }

  app.get(
    '/v1/account/alerts',
    {
      schema: {
        summary: 'Price alerts, with the current price; triggered ones carry when and at what price',
        tags,
        description,
        response: { 200: Type.Object({ alerts: Type.Array(AlertSchema) }) },
      },
    },
    async (request, reply) => {
      const owner = await ownerOf(request, reply)
      await evaluate()
      return { alerts: (await store.alerts(owner)).map(withPrice) }
    },
  )

  app.post(
    '/v1/account/alerts',
    {
      schema: {
        summary: 'Create a price alert: 1 base token above / below `price` quote tokens',
        tags,
        description,
        body: Type.Object(
          {
            baseToken: Type.String({ maxLength: 42 }),
            quoteToken: Type.String({ maxLength: 42 }),
            direction: Type.Union([Type.Literal('above'), Type.Literal('below')]),
            price: Type.String({ pattern: PRICE, description: 'Whole quote tokens per base token, decimal' }),
            note: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: AlertSchema },
      },
    },
    async (request, reply) =>
      asProblem(async () => {
        const owner = await ownerOf(request, reply)
        const body = request.body
        const base = parseAddress(body.baseToken, '/baseToken').toLowerCase()
        const quote = parseAddress(body.quoteToken, '/quoteToken').toLowerCase()
        if (base === quote)
          throw new InputError(400, 'same_token', 'base and quote are the same token', '/quoteToken')
        if (!/[1-9]/.test(body.price))
          throw new InputError(400, 'price_zero', 'price must be above zero', '/price')
        for (const [token, field] of [
          [base, '/baseToken'],
          [quote, '/quoteToken'],
        ] as const) {
          if (!known(token)) throw new InputError(404, 'unknown_token', 'no pool trades this token', field)
        }
        if ((await store.openAlertCount(owner)) >= MAX_OPEN_ALERTS) {
          throw new InputError(409, 'too_many_alerts', `at most ${MAX_OPEN_ALERTS} open alerts per wallet`)
        }
        const alert = await store.addAlert(owner, { ...body, baseToken: base, quoteToken: quote })
        return reply.code(201).send(withPrice(alert))
      }),
  )

  app.delete(
    '/v1/account/alerts/:id',
    {
      schema: {
        summary: 'Delete a price alert',
        tags,
        description,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request, reply) => {
      const owner = await ownerOf(request, reply)
      if (!(await store.removeAlert(owner, request.params.id))) {
        throw new HttpProblem(404, 'unknown_alert', 'no such alert for this wallet')
      }
      return reply.code(204).send()
    },
  )

  app.get(
    '/v1/account/export',
    {
      schema: {
        summary: "GDPR export of this wallet's off-chain data (watchlist, alerts, sessions)",
        tags,
        description,
      },
    },
    async (request, reply) => {
      const owner = await ownerOf(request, reply)
      const exported = await privacy.exportSubject({ subjectId: owner })
      // Recorded before the data leaves: an export the log cannot record is not sent.
      await auth.audit.record({
        action: 'dex.account.exported',
        actor: { type: 'user', id: owner },
        target: { type: 'wallet', id: owner },
        ...auditContext(request),
      })
      reply.header('content-disposition', `attachment; filename="soba-dex-${owner}.json"`)
      reply.header('cache-control', 'no-store')
      return exported
    },
  )

  app.delete(
    '/v1/account',
    {
      schema: {
        summary: "GDPR erasure of this wallet's off-chain data; ends every session of the wallet",
        tags,
        description,
        response: {
          200: Type.Object({ erased: Type.Record(Type.String(), Type.Object({ erased: Type.Integer() })) }),
        },
      },
    },
    async (request, reply) => {
      const owner = await ownerOf(request, reply)
      // The rows go and the audit entry is written in one transaction. The sessions (in the cache)
      // end inside it too: if the commit then fails, the data stays and the wallet signs in again.
      const erased = await deps.db.kysely.transaction().execute(async (trx) => {
        const inTransaction = registerAccountPrivacy(new PrivacyRegistry(), {
          store: new AccountStore(trx),
          sessions: auth.sessions,
        })
        const result = await inTransaction.eraseSubject({ subjectId: owner })
        await auth.audit.record<DexDatabase>(
          {
            action: 'dex.account.erased',
            actor: { type: 'user', id: owner },
            target: { type: 'wallet', id: owner },
            ...auditContext(request),
            metadata: { erased: Object.fromEntries(Object.entries(result).map(([k, v]) => [k, v.erased])) },
          },
          trx,
        )
        return result
      })
      return { erased }
    },
  )
}
