import { useConnect } from 'wagmi'
import { Dialog } from '../ui/Dialog.js'

/** The wallets on offer: EIP-6963 discovered ones by name, WalletConnect, and the Dev wallet. */
export function ConnectDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { connectors, connect, error, isPending, variables } = useConnect()
  // The generic "Injected" entry duplicates an EIP-6963 wallet when one announced itself.
  const announced = connectors.filter((c) => c.type === 'injected' && c.id !== 'injected')
  const shown = connectors.filter((c) => !(c.id === 'injected' && (announced.length > 0 || !hasInjected())))
  return (
    <Dialog open={open} title="Connect a wallet" onClose={onClose}>
      {shown.length === 0 ? (
        <p>No wallet found. Install a browser wallet such as MetaMask or Rabby, then reload.</p>
      ) : (
        <ul className="wallet-list">
          {shown.map((connector) => (
            <li key={connector.uid}>
              <button
                type="button"
                className="wallet-option"
                disabled={isPending}
                onClick={() => connect({ connector }, { onSuccess: onClose })}
              >
                {connector.icon ? (
                  <img src={connector.icon} alt="" width={24} height={24} />
                ) : (
                  <span className="wallet-dot" aria-hidden="true" />
                )}
                {connector.name}
                {isPending && variables && 'connector' in variables && variables.connector === connector
                  ? ' (confirm in the wallet…)'
                  : ''}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error ? (
        <p role="alert" className="error-text">
          {error.message.split('\n')[0]}
        </p>
      ) : null}
    </Dialog>
  )
}

const hasInjected = () => typeof window !== 'undefined' && 'ethereum' in window
