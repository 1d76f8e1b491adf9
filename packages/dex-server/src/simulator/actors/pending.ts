import type { Eip1193 } from '../../chain/rpc.js'

interface Receipt {
  status: string
  blockNumber: string
  transactionIndex: string
}

export interface Landed {
  block: number
  index: number
  ok: boolean
}

/** Receipts of sent transactions, or null for one not mined yet (or never sent). */
export async function receipts(rpc: Eip1193, hashes: Array<string | null>): Promise<Array<Landed | null>> {
  return Promise.all(
    hashes.map(async (hash) => {
      if (hash === null) return null
      const r = (await rpc.request({ method: 'eth_getTransactionReceipt', params: [hash] })) as Receipt | null
      return r
        ? { block: Number(r.blockNumber), index: Number(r.transactionIndex), ok: r.status === '0x1' }
        : null
    }),
  )
}

/**
 * Attempts waiting for their receipts: settle() confirms the ones that are mined and keeps the
 * rest for the next call, so a label is written only for what actually landed.
 */
export class PendingAttempts<T extends { hashes: Array<string | null> }> {
  private items: T[] = []

  add(item: T): void {
    this.items.push(item)
  }

  async settle(rpc: Eip1193, onLanded: (item: T, landed: Landed[]) => void): Promise<void> {
    const waiting: T[] = []
    for (const item of this.items) {
      const landed = await receipts(rpc, item.hashes)
      if (landed.some((l) => l === null)) {
        if (!item.hashes.includes(null)) waiting.push(item)
        continue
      }
      onLanded(item, landed as Landed[])
    }
    this.items = waiting
  }
}
