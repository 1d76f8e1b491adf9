export interface TranslationRequest {
  text: string
  /** ISO 639-1 code of the text, or null to let the provider detect it. */
  source: string | null
  /** ISO 639-1 code to translate into. */
  target: string
}

export interface Translation {
  text: string
  /** The source language the provider used or detected. */
  source: string
  provider: string
}

export interface TranslationProvider {
  readonly name: string
  translate(request: TranslationRequest): Promise<Translation>
}

/** The provider has no translation for this text: answered as `translation_unavailable`, never as the input. */
export class TranslationUnavailable extends Error {
  constructor(
    readonly reason: 'not_in_catalog' | 'no_provider' | 'unchanged' | 'empty',
    detail: string,
  ) {
    super(detail)
    this.name = 'TranslationUnavailable'
  }
}

export type FailureKind =
  | 'timeout'
  | 'rate_limited'
  | 'server_error'
  | 'rejected'
  | 'bad_response'
  | 'network'

/** A provider call that failed after its retries: answered as `translation_provider_failed`. */
export class ProviderFailure extends Error {
  constructor(
    readonly provider: string,
    readonly kind: FailureKind,
    detail: string,
    readonly status?: number,
  ) {
    super(detail)
    this.name = 'ProviderFailure'
  }
}
