import { useAccount, useSwitchChain } from 'wagmi'
import { useChainInfo } from '../app/chain-context.js'

/**
 * Shown while the wallet is on another chain. wagmi's switchChain asks the wallet to
 * wallet_switchEthereumChain and, when the wallet does not know the chain (4902), to
 * wallet_addEthereumChain with the RPC URL from /v1/chain.
 */
export function WrongNetwork() {
  const info = useChainInfo()
  const { isConnected, chainId } = useAccount()
  const { switchChain, isPending, error } = useSwitchChain()
  if (!isConnected || chainId === undefined || chainId === info.chainId) return null
  return (
    <div className="banner banner-warning" role="alert">
      <p>
        Your wallet is on chain {chainId}. Soba DEX runs on chain {info.chainId}
        {info.embedded ? ' (the local development chain)' : ''}.
      </p>
      <button
        type="button"
        className="button"
        disabled={isPending}
        onClick={() => switchChain({ chainId: info.chainId })}
      >
        {isPending ? 'Confirm in your wallet…' : `Switch to chain ${info.chainId}`}
      </button>
      {error ? <p className="error-text">{error.message.split('\n')[0]}</p> : null}
    </div>
  )
}

export function useWrongNetwork(): boolean {
  const info = useChainInfo()
  const { isConnected, chainId } = useAccount()
  return isConnected && chainId !== undefined && chainId !== info.chainId
}
