import { useFileUrl } from '../hooks/use-file-url.js'
import type { Attachment } from '../types.js'
import { Icon } from './icons.js'

/** A message's attachments: images as thumbnails that open the original, other files as links. */
export function Attachments({ attachments }: { attachments: readonly Attachment[] }) {
  return (
    <ul className="csdk-attachments" aria-label="Attachments">
      {attachments.map((attachment, index) => (
        <li key={attachment.uploadId ?? `${attachment.url}-${index}`}>
          {attachment.type === 'image' ? (
            <ImageAttachment attachment={attachment} />
          ) : (
            <FileAttachment attachment={attachment} />
          )}
        </li>
      ))}
    </ul>
  )
}

function ImageAttachment({ attachment }: { attachment: Attachment }) {
  const thumbnail = useFileUrl(attachment, 'thumbnail')
  const original = useFileUrl(attachment, 'original')
  const name = attachment.name ?? 'image'
  const box = fitBox(attachment.width, attachment.height)
  return (
    <a
      className="csdk-attachment csdk-attachment--image"
      href={original ?? undefined}
      target="_blank"
      rel="noreferrer"
      aria-label={`Open image ${name}`}
      style={box}
    >
      {thumbnail ? (
        <img src={thumbnail} alt={name} width={box.width} height={box.height} loading="lazy" />
      ) : (
        <span className="csdk-attachment__placeholder" role="img" aria-label={`Loading image ${name}`} />
      )}
    </a>
  )
}

function FileAttachment({ attachment }: { attachment: Attachment }) {
  const url = useFileUrl(attachment, 'original')
  const name = attachment.name ?? attachment.url ?? 'file'
  return (
    <a
      className="csdk-attachment csdk-attachment--file"
      href={url ?? undefined}
      target="_blank"
      rel="noreferrer"
    >
      <Icon name="file" />
      <span className="csdk-attachment__name">{name}</span>
      {attachment.size !== undefined && (
        <span className="csdk-attachment__size">{formatBytes(attachment.size)}</span>
      )}
    </a>
  )
}

/** The thumbnail's box at most 320×240, keeping the image's aspect ratio, so the list never jumps. */
export function fitBox(width?: number, height?: number): { width: number; height: number } {
  if (!width || !height) return { width: 240, height: 180 }
  const scale = Math.min(1, 320 / width, 240 / height)
  return { width: Math.round(width * scale), height: Math.round(height * scale) }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
