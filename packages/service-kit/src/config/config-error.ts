export interface ConfigIssue {
  variable: string
  message: string
}

/** Every problem with the environment at once, one line per variable, so operators fix them in one go. */
export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(
      `invalid configuration:\n${issues.map((issue) => `  - ${issue.variable}: ${issue.message}`).join('\n')}`,
    )
    this.name = 'ConfigError'
  }
}
