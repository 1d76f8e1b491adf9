import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

export interface SessionKey {
  /** Short id written into every envelope, so the right key is found after rotation. */
  id: string
  /** 32 bytes for AES-256. */
  key: Buffer
}

const IV_BYTES = 12 // the GCM standard nonce size
const VERSION = 'v1'

/**
 * AES-256-GCM for session records. The first key encrypts; all keys decrypt, so adding a new
 * key in front rotates without logging anyone out. Envelope: `v1.<kid>.<iv>.<tag>.<ciphertext>`
 * (base64url). The associated data binds a ciphertext to its session id, so a value copied
 * under another id fails to decrypt.
 */
export class SessionCipher {
  private readonly byId: Map<string, Buffer>
  private readonly current: SessionKey

  constructor(keys: SessionKey[]) {
    if (keys.length === 0) throw new Error('at least one session encryption key is required')
    for (const k of keys) {
      if (k.key.length !== 32) throw new Error(`session key ${k.id} must be 32 bytes`)
      if (!/^[A-Za-z0-9_-]+$/.test(k.id))
        throw new Error(`session key id ${k.id} must be base64url characters`)
    }
    this.current = keys[0]!
    this.byId = new Map(keys.map((k) => [k.id, k.key]))
  }

  get currentKeyId(): string {
    return this.current.id
  }

  encrypt(plaintext: string, associatedData: string): string {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv)
    cipher.setAAD(Buffer.from(associatedData, 'utf8'))
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    const tag = cipher.getAuthTag()
    return [
      VERSION,
      this.current.id,
      iv.toString('base64url'),
      tag.toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.')
  }

  /** Throws on an unknown key, a tampered value or a wrong associated data. */
  decrypt(envelope: string, associatedData: string): string {
    const [version, kid, iv, tag, ciphertext] = envelope.split('.')
    if (version !== VERSION || !kid || !iv || !tag || ciphertext === undefined)
      throw new Error('malformed session envelope')
    const key = this.byId.get(kid)
    if (!key) throw new Error(`unknown session key ${kid}`)
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
    decipher.setAAD(Buffer.from(associatedData, 'utf8'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    )
  }

  /** The key id an envelope was written with; lets callers re-encrypt records under old keys. */
  static keyIdOf(envelope: string): string | undefined {
    return envelope.split('.')[1]
  }
}

/**
 * Parses `SESSION_KEYS`-style config: `id:base64key,id2:base64key` with the current key first.
 */
export function parseSessionKeys(spec: string): SessionKey[] {
  return spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [id, material] = part.split(':')
      if (!id || !material) throw new Error('session keys look like id:base64key[,id:base64key]')
      return { id, key: Buffer.from(material, 'base64') }
    })
}
