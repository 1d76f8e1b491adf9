import { useEffect, useState } from 'react'
import type { Attachment } from '../types.js'
import { useChatClient } from './use-chat-client.js'

type Variant = 'original' | 'thumbnail'
type Client = ReturnType<typeof useChatClient>

/** Refresh a signed URL this long before it expires. */
const MARGIN_MS = 30_000

/**
 * A URL the browser can load for an attachment: external links as they are; uploads through a
 * short-lived signed URL from the API, shared by every component showing the same file and asked
 * for again once it is about to expire.
 */
export function useFileUrl(attachment: Attachment, variant: Variant): string | null {
  const client = useChatClient()
  const { uploadId, url } = attachment
  const [signed, setSigned] = useState<string | null>(() =>
    uploadId ? cachedUrl(client, uploadId, variant) : null,
  )
  useEffect(() => {
    if (!uploadId) return
    let live = true
    signedUrl(client, uploadId, variant).then(
      (next) => live && setSigned(next),
      () => live && setSigned(null),
    )
    return () => {
      live = false
    }
  }, [client, uploadId, variant])
  return uploadId ? signed : (url ?? null)
}

const caches = new WeakMap<
  Client,
  Map<string, { url: Promise<string>; expiresAt: number; resolved?: string }>
>()

function cacheOf(client: Client) {
  let cache = caches.get(client)
  if (!cache) {
    cache = new Map()
    caches.set(client, cache)
  }
  return cache
}

function cachedUrl(client: Client, uploadId: string, variant: Variant): string | null {
  const entry = cacheOf(client).get(`${uploadId}:${variant}`)
  return entry && entry.expiresAt - MARGIN_MS > Date.now() ? (entry.resolved ?? null) : null
}

function signedUrl(client: Client, uploadId: string, variant: Variant): Promise<string> {
  const cache = cacheOf(client)
  const key = `${uploadId}:${variant}`
  const entry = cache.get(key)
  if (entry && entry.expiresAt - MARGIN_MS > Date.now()) return entry.url
  const fresh = {
    expiresAt: Number.POSITIVE_INFINITY,
    resolved: undefined as string | undefined,
    url: client.api.uploadUrl(uploadId, { variant }).then((answer) => {
      fresh.expiresAt = Date.parse(answer.expiresAt)
      fresh.resolved = answer.url
      return answer.url
    }),
  }
  fresh.url.catch(() => cache.delete(key))
  cache.set(key, fresh)
  return fresh.url
}
