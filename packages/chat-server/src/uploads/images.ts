import sharp from 'sharp'

export interface ImageInfo {
  width: number
  height: number
  thumbnail: Buffer
}

/**
 * Reads an image's dimensions and makes a 256 px WebP thumbnail. Returns undefined when the bytes
 * are not a decodable image (the caller then refuses an upload that claimed to be one).
 */
export async function inspectImage(bytes: Buffer): Promise<ImageInfo | undefined> {
  try {
    const image = sharp(bytes, { failOn: 'error', limitInputPixels: 100_000_000 })
    const meta = await image.metadata()
    if (!meta.width || !meta.height) return undefined
    const thumbnail = await image
      .rotate()
      .resize(256, 256, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer()
    return { width: meta.width, height: meta.height, thumbnail }
  } catch {
    return undefined
  }
}
