/** Swap settings: slippage tolerance (auto or custom) and the transaction deadline. */

/** What "Auto" means: the API's own default, 0.5%. */
export const AUTO_SLIPPAGE_BPS = 50
/** The API refuses more than 50%. */
export const MAX_SLIPPAGE_BPS = 5_000
export const DEFAULT_DEADLINE_MINUTES = 20
export const MAX_DEADLINE_MINUTES = 4_320

export interface SwapSettings {
  /** null = Auto. */
  slippageBps: number | null
  deadlineMinutes: number
}

export const DEFAULT_SETTINGS: SwapSettings = { slippageBps: null, deadlineMinutes: DEFAULT_DEADLINE_MINUTES }

export type SlippageWarning = 'too_low' | 'too_high' | null

export type SlippageInput =
  | { ok: true; bps: number | null; warning: SlippageWarning }
  | { ok: false; message: string }

/**
 * A typed percentage ("0.5", "1", empty = Auto) to basis points, with the warnings the Uniswap
 * interface gives: below 0.05% the swap will likely fail, above 1% it invites a sandwich.
 */
export function parseSlippageInput(text: string): SlippageInput {
  const trimmed = text.trim().replace(',', '.')
  if (trimmed === '') return { ok: true, bps: null, warning: null }
  const match = /^(\d{1,2})(?:\.(\d{0,2}))?$/.exec(trimmed)
  if (!match) return { ok: false, message: 'Enter a percentage with at most two decimals' }
  const bps = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
  if (bps <= 0) return { ok: false, message: 'Slippage must be more than 0%' }
  if (bps > MAX_SLIPPAGE_BPS) return { ok: false, message: 'Slippage cannot be more than 50%' }
  return { ok: true, bps, warning: slippageWarning(bps) }
}

export function slippageWarning(bps: number): SlippageWarning {
  if (bps < 5) return 'too_low'
  if (bps > 100) return 'too_high'
  return null
}

export const SLIPPAGE_WARNING_TEXT: Record<Exclude<SlippageWarning, null>, string> = {
  too_low: 'Your transaction may fail: the price can move more than this before it is mined.',
  too_high: 'Your transaction may be frontrun and you may get a worse price.',
}

export function parseDeadlineInput(
  text: string,
): { ok: true; minutes: number } | { ok: false; message: string } {
  if (!/^\d{1,4}$/.test(text.trim())) return { ok: false, message: 'Enter whole minutes' }
  const minutes = Number(text.trim())
  if (minutes < 1 || minutes > MAX_DEADLINE_MINUTES) {
    return { ok: false, message: `Between 1 and ${MAX_DEADLINE_MINUTES} minutes` }
  }
  return { ok: true, minutes }
}

/** Basis points as the API's `slippage` percent string ("0.5"). */
export function bpsToPercentString(bps: number): string {
  const whole = Math.floor(bps / 100)
  const fraction = String(bps % 100)
    .padStart(2, '0')
    .replace(/0+$/, '')
  return fraction === '' ? String(whole) : `${whole}.${fraction}`
}

export const effectiveSlippageBps = (settings: SwapSettings) => settings.slippageBps ?? AUTO_SLIPPAGE_BPS

const STORAGE_KEY = 'soba.swapSettings'

/** Settings from storage, falling back to the defaults on anything unexpected. */
export function loadSettings(storage: Pick<Storage, 'getItem'> | undefined): SwapSettings {
  try {
    const raw = storage?.getItem(STORAGE_KEY)
    if (!raw) return DEFAULT_SETTINGS
    const value = JSON.parse(raw) as Partial<SwapSettings>
    const bps = value.slippageBps
    const minutes = value.deadlineMinutes
    return {
      slippageBps:
        typeof bps === 'number' && Number.isInteger(bps) && bps > 0 && bps <= MAX_SLIPPAGE_BPS ? bps : null,
      deadlineMinutes:
        typeof minutes === 'number' &&
        Number.isInteger(minutes) &&
        minutes >= 1 &&
        minutes <= MAX_DEADLINE_MINUTES
          ? minutes
          : DEFAULT_DEADLINE_MINUTES,
    }
  } catch {
    return DEFAULT_SETTINGS
  }
}

export function saveSettings(storage: Pick<Storage, 'setItem'> | undefined, settings: SwapSettings): void {
  storage?.setItem(STORAGE_KEY, JSON.stringify(settings))
}
