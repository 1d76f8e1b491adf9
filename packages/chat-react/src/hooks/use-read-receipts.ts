import * as bridge from '../client-bridge.js'
import { useStoreSlice } from './use-store.js'

/** Members other than you whose read marker in the channel reached `seq`, live from read events. */
export function useReadReceipts(channelId: string, seq: number): string[] {
  return useStoreSlice(
    (c) => bridge.readersOf(c, channelId, seq).filter((id) => id !== c.userId),
    [channelId, seq],
  )
}
