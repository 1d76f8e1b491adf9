export { apiKeyId, type GeneratedApiKey, generateApiKey, hashApiKey, verifyApiKey } from './api-keys.js'
export {
  JwtError,
  type JwtErrorCode,
  type SignOptions,
  signJwt,
  type VerifyOptions,
  verifyJwt,
} from './jwt.js'
export { KeyRing } from './key-ring.js'
export {
  defaultScryptParams,
  hashPassword,
  needsRehash,
  type ScryptParams,
  verifyPassword,
} from './passwords.js'
export {
  exportPrivateJwk,
  generateAsymmetricKey,
  hmacKey,
  importPrivateJwk,
  type JwtAlgorithm,
  type SigningKey,
} from './signing-keys.js'
