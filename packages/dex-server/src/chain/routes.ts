import { Type } from '@sinclair/typebox'
import type { DexPlugin } from '../app.js'

const ChainSchema = Type.Object(
  {
    chainId: Type.Integer(),
    rpcUrl: Type.String(),
    embedded: Type.Boolean({
      description: 'The in-process development chain: its node signs for unlocked dev accounts',
    }),
    walletConnectProjectId: Type.Union([Type.String(), Type.Null()], {
      description: 'WalletConnect project id the web app uses, when configured',
    }),
    contracts: Type.Object({ factory: Type.String(), router: Type.String(), weth: Type.String() }),
    tokens: Type.Array(
      Type.Object({ address: Type.String(), symbol: Type.String(), decimals: Type.Integer() }),
    ),
    indexer: Type.Object(
      {
        block: Type.Union([Type.Integer(), Type.Null()], { description: 'Last indexed block' }),
        head: Type.Integer({ description: 'Chain head the indexer last saw' }),
        lag: Type.Integer({
          description: 'Blocks the index is behind the head (quotes refused above a limit)',
        }),
        indexing: Type.Boolean({
          description:
            'Whether this process writes the index (it holds the indexer lease); false: it follows the index another process writes',
        }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
)

export const chainRoutes: DexPlugin = async (app, { chain, registry, indexer, config }) => {
  app.get(
    '/v1/chain',
    {
      schema: {
        summary: 'The chain, contract addresses and tokens a wallet needs',
        tags: ['chain'],
        response: { 200: ChainSchema },
      },
    },
    async () => ({
      indexer: (({ block, head, lag, indexing }) => ({ block, head, lag, indexing }))(indexer.status()),
      chainId: chain.chainId,
      rpcUrl: chain.rpcUrl,
      embedded: chain.embedded,
      walletConnectProjectId: config.WALLETCONNECT_PROJECT_ID ?? null,
      contracts: chain.contracts,
      // On a remote chain the index knows the tokens; list those with sane metadata.
      tokens:
        chain.tokens.length > 0
          ? chain.tokens
          : registry
              .tokens()
              .flatMap((t) =>
                t.symbol !== null && t.decimals !== null
                  ? [{ address: t.address, symbol: t.symbol, decimals: t.decimals }]
                  : [],
              ),
    }),
  )
}
