import { problems } from '@platform/service-kit/http'
import { Type } from '@sinclair/typebox'
import type { DexPlugin } from '../../app.js'
import { AddressSchema } from '../../market/schemas.js'
import { riskRuntime } from './runtime.js'
import { scoreOf } from './score.js'
import type { RiskSnapshot } from './snapshot.js'
import { poolOf, scoreTrade } from './trade.js'

const RiskSchema = Type.Object({
  address: Type.Optional(Type.String()),
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  level: Type.Union([
    Type.Literal('low'),
    Type.Literal('medium'),
    Type.Literal('high'),
    Type.Literal('critical'),
  ]),
  reasons: Type.Array(
    Type.Object({
      code: Type.String({
        description:
          'wash_trading, cluster_member_flagged, abnormal_volume, flagged_contract_interaction, mev_sandwich_attacker, honeypot_token',
      }),
      weight: Type.Integer(),
      detail: Type.String(),
      evidence: Type.Array(Type.String(), { description: 'transaction hashes (or the pool, for a trade)' }),
    }),
  ),
})

export const riskRoutes: DexPlugin = async (app, deps) => {
  const runtime = riskRuntime(deps)
  /** The worker's latest snapshot; before its first refresh there is nothing honest to answer. */
  const snapshot = (): RiskSnapshot => {
    if (runtime.snapshot === null)
      throw problems.unavailable('the risk worker has not computed its first findings yet', 'risk_not_ready')
    return runtime.snapshot
  }

  app.get(
    '/risk/:address',
    {
      schema: {
        summary:
          "An address's risk score 0–100, level and reasons with evidence (precomputed by the risk worker; 503 risk_not_ready before its first pass)",
        tags: ['intel'],
        params: Type.Object({ address: AddressSchema }),
        response: { 200: RiskSchema },
      },
    },
    async (request) => {
      const address = request.params.address.toLowerCase()
      return { address, ...scoreOf(snapshot().reasonsOf(address)) }
    },
  )

  app.post(
    '/risk/trade',
    {
      schema: {
        summary: 'Score a trade before it is sent (honeypot tokens, the sender, size against the pool)',
        tags: ['intel'],
        body: Type.Object(
          {
            from: AddressSchema,
            tokenIn: AddressSchema,
            tokenOut: AddressSchema,
            amountIn: Type.String({
              pattern: '^[1-9][0-9]{0,77}$',
              description: 'Integer in tokenIn base units',
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: RiskSchema },
      },
    },
    async (request) => {
      const { from, tokenIn, tokenOut, amountIn } = request.body
      if (tokenIn.toLowerCase() === tokenOut.toLowerCase()) {
        throw problems.badRequest('tokenIn and tokenOut are the same token', 'same_token', [
          { path: '/tokenOut', message: 'must differ from tokenIn', in: 'body' },
        ])
      }
      const trade = {
        from: from.toLowerCase(),
        tokenIn: tokenIn.toLowerCase(),
        tokenOut: tokenOut.toLowerCase(),
        amountIn: BigInt(amountIn),
      }
      const pool = poolOf(deps.registry, trade.tokenIn, trade.tokenOut)
      if (pool === undefined)
        throw problems.unprocessable(`no pool trades ${trade.tokenIn} for ${trade.tokenOut}`, 'no_pool')
      return scoreTrade(snapshot(), pool, trade)
    },
  )
}
