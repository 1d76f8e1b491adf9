import { useCallback, useEffect, useRef, useState } from 'react'
import { useChatClient } from './use-chat-client.js'

export interface UploadItem {
  localId: string
  name: string
  size: number
  /** An object URL of the picked image, shown before the upload finishes. */
  previewUrl: string | null
  /** 0..1 of the bytes sent. */
  progress: number
  status: 'uploading' | 'done' | 'failed'
  uploadId: string | null
  error: string | null
}

/**
 * Files being attached to the next message: each starts uploading when added, reports its
 * progress, and can be removed (which cancels it). `ready` is true when nothing is in flight.
 */
export function useUpload(channelId: string) {
  const client = useChatClient()
  const [items, setItems] = useState<UploadItem[]>([])
  const aborts = useRef(new Map<string, AbortController>())

  const update = useCallback((localId: string, change: Partial<UploadItem>) => {
    setItems((current) => current.map((item) => (item.localId === localId ? { ...item, ...change } : item)))
  }, [])

  const add = useCallback(
    (files: File[]) => {
      for (const file of files) {
        const localId = crypto.randomUUID()
        const abort = new AbortController()
        aborts.current.set(localId, abort)
        const previewUrl = file.type.startsWith('image/') ? URL.createObjectURL(file) : null
        setItems((current) => [
          ...current,
          {
            localId,
            name: file.name,
            size: file.size,
            previewUrl,
            progress: 0,
            status: 'uploading',
            uploadId: null,
            error: null,
          },
        ])
        client.api
          .upload(channelId, file, {
            signal: abort.signal,
            onProgress: (sent, total) => update(localId, { progress: total > 0 ? sent / total : 0 }),
          })
          .then(
            ({ upload }) => update(localId, { status: 'done', progress: 1, uploadId: upload.id }),
            (cause: unknown) => {
              if (abort.signal.aborted) return
              update(localId, {
                status: 'failed',
                error: cause instanceof Error ? cause.message : String(cause),
              })
            },
          )
          .finally(() => aborts.current.delete(localId))
      }
    },
    [client, channelId, update],
  )

  const remove = useCallback((localId: string) => {
    aborts.current.get(localId)?.abort()
    setItems((current) => {
      const gone = current.find((item) => item.localId === localId)
      if (gone?.previewUrl) URL.revokeObjectURL(gone.previewUrl)
      return current.filter((item) => item.localId !== localId)
    })
  }, [])

  /** After sending: forget the items (the message now holds the uploads). */
  const clear = useCallback(() => {
    setItems((current) => {
      for (const item of current) if (item.previewUrl) URL.revokeObjectURL(item.previewUrl)
      return []
    })
  }, [])

  // Leaving the channel cancels what is still uploading.
  useEffect(() => {
    const inFlight = aborts.current
    return () => {
      for (const abort of inFlight.values()) abort.abort()
      inFlight.clear()
    }
  }, [])

  const ready = items.every((item) => item.status !== 'uploading')
  return { items, add, remove, clear, ready }
}
