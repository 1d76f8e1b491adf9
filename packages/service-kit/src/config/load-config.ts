import type { Static, TObject, TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { coerceEnvValue } from './coerce.js'
import { ConfigError, type ConfigIssue } from './config-error.js'
import { placeholderReason } from './placeholder.js'
import { isSecret } from './secret.js'

/**
 * Reads the variables of `schema` from `env` once: coerces strings (numbers, booleans, comma lists),
 * applies defaults, validates, and with NODE_ENV=production refuses secrets that are missing or
 * look like placeholders. Throws a ConfigError naming every bad variable.
 */
export function loadConfig<T extends TObject>(schema: T, env: NodeJS.ProcessEnv = process.env): Static<T> {
  const issues: ConfigIssue[] = []
  const config: Record<string, unknown> = {}
  const required = new Set(schema.required ?? [])
  const production = env.NODE_ENV === 'production'

  for (const [variable, field] of Object.entries(schema.properties) as [string, TSchema][]) {
    const raw = env[variable]
    const provided = raw !== undefined && raw !== ''
    if (production && isSecret(field)) {
      const problem = provided ? placeholderReason(raw) : required.has(variable) ? 'is missing' : undefined
      if (problem) issues.push({ variable, message: `secret ${problem}; set a real value in production` })
    }
    if (provided) config[variable] = coerceEnvValue(field, raw)
    else if (field.default !== undefined) config[variable] = structuredClone(field.default)
    else if (required.has(variable) && !(production && isSecret(field))) {
      issues.push({ variable, message: 'is required' })
    }
  }

  for (const error of Value.Errors(schema, config)) {
    const variable = error.path.split('/')[1]
    if (!variable || issues.some((issue) => issue.variable === variable)) continue
    issues.push({ variable, message: `${error.message} (got ${JSON.stringify(env[variable])})` })
  }
  if (issues.length > 0) throw new ConfigError(issues)
  return config as Static<T>
}
