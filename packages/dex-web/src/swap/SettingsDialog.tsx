import { useState } from 'react'
import {
  AUTO_SLIPPAGE_BPS,
  bpsToPercentString,
  parseDeadlineInput,
  parseSlippageInput,
  SLIPPAGE_WARNING_TEXT,
  type SwapSettings,
  slippageWarning,
} from '../lib/slippage.js'
import { Dialog } from '../ui/Dialog.js'

/** Slippage (Auto or custom, with the too-low / too-high warnings) and the deadline. */
export function SettingsDialog({
  open,
  settings,
  onChange,
  onClose,
}: {
  open: boolean
  settings: SwapSettings
  onChange: (s: SwapSettings) => void
  onClose: () => void
}) {
  const [slippageText, setSlippageText] = useState(
    settings.slippageBps === null ? '' : bpsToPercentString(settings.slippageBps),
  )
  const [deadlineText, setDeadlineText] = useState(String(settings.deadlineMinutes))
  const slippage = parseSlippageInput(slippageText)
  const deadline = parseDeadlineInput(deadlineText)
  const warning = settings.slippageBps === null ? null : slippageWarning(settings.slippageBps)
  return (
    <Dialog open={open} title="Transaction settings" onClose={onClose}>
      <fieldset className="settings-group">
        <legend>Max slippage</legend>
        <div className="row">
          <button
            type="button"
            className={`chip ${settings.slippageBps === null ? 'chip-active' : ''}`}
            aria-pressed={settings.slippageBps === null}
            onClick={() => {
              setSlippageText('')
              onChange({ ...settings, slippageBps: null })
            }}
          >
            Auto ({bpsToPercentString(AUTO_SLIPPAGE_BPS)}%)
          </button>
          <label className="inline-input">
            <span className="visually-hidden">Custom slippage, percent</span>
            <input
              className="text-input"
              inputMode="decimal"
              placeholder={bpsToPercentString(AUTO_SLIPPAGE_BPS)}
              value={slippageText}
              aria-invalid={!slippage.ok}
              onChange={(e) => {
                setSlippageText(e.target.value)
                const parsed = parseSlippageInput(e.target.value)
                if (parsed.ok) onChange({ ...settings, slippageBps: parsed.bps })
              }}
            />
            <span aria-hidden="true">%</span>
          </label>
        </div>
        {!slippage.ok ? <p className="error-text">{slippage.message}</p> : null}
        {slippage.ok && warning ? (
          <p className="warning-text" role="status">
            {SLIPPAGE_WARNING_TEXT[warning]}
          </p>
        ) : null}
      </fieldset>
      <fieldset className="settings-group">
        <legend>Transaction deadline</legend>
        <label className="inline-input">
          <span className="visually-hidden">Transaction deadline, minutes</span>
          <input
            className="text-input"
            inputMode="numeric"
            value={deadlineText}
            aria-invalid={!deadline.ok}
            onChange={(e) => {
              setDeadlineText(e.target.value)
              const parsed = parseDeadlineInput(e.target.value)
              if (parsed.ok) onChange({ ...settings, deadlineMinutes: parsed.minutes })
            }}
          />
          <span>minutes</span>
        </label>
        {!deadline.ok ? <p className="error-text">{deadline.message}</p> : null}
      </fieldset>
    </Dialog>
  )
}
