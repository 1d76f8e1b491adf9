import { Type } from '@sinclair/typebox'
import { describe, expect, it } from 'vitest'
import { baseConfigSchema, ConfigError, loadConfig, secret } from './index.js'

const schema = Type.Object({
  ...baseConfigSchema.properties,
  PORT: Type.Integer({ default: 3000, minimum: 1, maximum: 65535 }),
  FEATURE_ON: Type.Boolean({ default: false }),
  RATIOS: Type.Array(Type.Number(), { default: [] }),
  JWT_SECRET: secret(Type.String({ default: 'dev-jwt-secret-not-for-production' })),
  WEBHOOK_SECRET: Type.Optional(secret(Type.String())),
  REGION: Type.String(),
})

function issuesOf(run: () => unknown): Record<string, string> {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return Object.fromEntries((error as ConfigError).issues.map((issue) => [issue.variable, issue.message]))
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  it('coerces numbers, booleans and comma lists and applies defaults', () => {
    const config = loadConfig(schema, {
      PORT: '8080',
      FEATURE_ON: 'yes',
      RATIOS: '0.5, 2',
      REGION: 'eu',
      CORS_ORIGINS: 'https://a.example,https://b.example',
    })
    expect(config.PORT).toBe(8080)
    expect(config.FEATURE_ON).toBe(true)
    expect(config.RATIOS).toEqual([0.5, 2])
    expect(config.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example'])
    expect(config.LOG_LEVEL).toBe('info')
    expect(config.SHUTDOWN_TIMEOUT_MS).toBe(15_000)
    expect(config.JWT_SECRET).toBe('dev-jwt-secret-not-for-production')
    expect(config.DATABASE_URL).toBeUndefined()
  })

  it('names every bad variable in one error', () => {
    const issues = issuesOf(() =>
      loadConfig(schema, { PORT: 'eighty', FEATURE_ON: 'maybe', LOG_LEVEL: 'loud' }),
    )
    expect(Object.keys(issues).sort()).toEqual(['FEATURE_ON', 'LOG_LEVEL', 'PORT', 'REGION'])
    expect(issues.PORT).toContain('"eighty"')
    expect(issues.REGION).toBe('is required')
  })

  it('refuses missing and placeholder secrets in production, naming each', () => {
    const issues = issuesOf(() =>
      loadConfig(schema, {
        NODE_ENV: 'production',
        REGION: 'eu',
        WEBHOOK_SECRET: 'changeme',
        METRICS_TOKEN: 'short',
      }),
    )
    expect(Object.keys(issues).sort()).toEqual(['JWT_SECRET', 'METRICS_TOKEN', 'WEBHOOK_SECRET'])
    expect(issues.JWT_SECRET).toContain('missing')
    expect(issues.WEBHOOK_SECRET).toContain('placeholder')
    expect(issues.METRICS_TOKEN).toContain('too short')
  })

  it.each([
    'dev-secret-value-long-enough',
    'my-example-key-123456',
    'placeholder-0000000000',
    'this-is-a-secret-9999',
    'REPLACE_WITH_32_RANDOM_BYTES',
    'your-api-key-goes-here',
    'xxxxxxxxxxxxxxxxxxxxxxxx',
  ])('treats %s as a placeholder in production', (value) => {
    const issues = issuesOf(() =>
      loadConfig(schema, { NODE_ENV: 'production', REGION: 'eu', JWT_SECRET: value }),
    )
    expect(Object.keys(issues)).toEqual(['JWT_SECRET'])
  })

  it('accepts real secrets in production and leaves optional ones unset', () => {
    const config = loadConfig(schema, {
      NODE_ENV: 'production',
      REGION: 'eu',
      JWT_SECRET: 'q8Vt3LxN0aZk7YwR2mFp',
    })
    expect(config.JWT_SECRET).toBe('q8Vt3LxN0aZk7YwR2mFp')
    expect(config.WEBHOOK_SECRET).toBeUndefined()
  })

  it('allows development secrets outside production', () => {
    expect(loadConfig(schema, { REGION: 'eu', WEBHOOK_SECRET: 'changeme' }).WEBHOOK_SECRET).toBe('changeme')
  })
})
