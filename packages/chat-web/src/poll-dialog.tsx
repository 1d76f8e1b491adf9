import { useCreatePoll } from '@chatsdk/react'
import { type FormEvent, useEffect, useId, useRef, useState } from 'react'

const MIN_OPTIONS = 2
const MAX_OPTIONS = 10

/** A modal form to post a poll in the channel: a question and two to ten options. */
export function PollDialog({ channelId, onClose }: { channelId: string; onClose(): void }) {
  const createPoll = useCreatePoll(channelId)
  const dialog = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const [question, setQuestion] = useState('')
  const [options, setOptions] = useState(['', ''])
  const [multiple, setMultiple] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    dialog.current?.showModal()
  }, [])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const filled = options.map((option) => option.trim()).filter(Boolean)
    if (!question.trim() || filled.length < MIN_OPTIONS) {
      setError('Write a question and at least two options.')
      return
    }
    setBusy(true)
    try {
      await createPoll({ question: question.trim(), options: filled, multiple })
      onClose()
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause))
      setBusy(false)
    }
  }

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby={titleId} onClose={onClose}>
      <form className="dialog__form" onSubmit={submit}>
        <h2 id={titleId} className="dialog__title">
          New poll
        </h2>
        <label className="dialog__field">
          Question
          <input
            className="csdk-input-field"
            value={question}
            onChange={(event) => setQuestion(event.target.value)}
            required
          />
        </label>
        {options.map((option, index) => (
          // options are edited in place and never reorder
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <label key={index} className="dialog__field">
            Option {index + 1}
            <input
              className="csdk-input-field"
              value={option}
              onChange={(event) =>
                setOptions(options.map((old, at) => (at === index ? event.target.value : old)))
              }
            />
          </label>
        ))}
        {options.length < MAX_OPTIONS && (
          <button
            type="button"
            className="csdk-link-button dialog__add"
            onClick={() => setOptions([...options, ''])}
          >
            Add an option
          </button>
        )}
        <label className="dialog__check">
          <input type="checkbox" checked={multiple} onChange={(event) => setMultiple(event.target.checked)} />
          Allow several answers
        </label>
        {error && (
          <p className="dialog__error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" className="csdk-button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="csdk-button csdk-button--primary" disabled={busy}>
            Post poll
          </button>
        </div>
      </form>
    </dialog>
  )
}
