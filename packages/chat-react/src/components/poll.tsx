import { useId } from 'react'
import { usePoll } from '../hooks/use-poll.js'

/**
 * A poll attached to a message: pick one option (or several), see the counts as bars, and close it
 * if you created it. Results update live as others vote.
 */
export function Poll({ pollId }: { pollId: string }) {
  const { poll, vote, retract, close, canClose, error } = usePoll(pollId)
  const groupId = useId()
  if (!poll) return null
  const closed = poll.closedAt !== null
  const total = Math.max(
    1,
    poll.options.reduce((sum, option) => sum + option.voteCount, 0),
  )
  return (
    <fieldset className="csdk-poll" aria-describedby={`${groupId}-meta`}>
      <legend className="csdk-poll__question">{poll.question}</legend>
      <ul className="csdk-poll__options">
        {poll.options.map((option) => {
          const chosen = poll.ownVotes.includes(option.id)
          const share = Math.round((option.voteCount / total) * 100)
          return (
            <li key={option.id} className="csdk-poll__option">
              <label className="csdk-poll__label">
                <input
                  type={poll.multiple ? 'checkbox' : 'radio'}
                  name={groupId}
                  checked={chosen}
                  disabled={closed}
                  onChange={() => (chosen ? retract(option.id) : vote(option.id))}
                />
                <span className="csdk-poll__text">{option.text}</span>
                <span className="csdk-poll__count">
                  {option.voteCount} {option.voteCount === 1 ? 'vote' : 'votes'}
                </span>
              </label>
              <span className="csdk-poll__bar" aria-hidden="true">
                <span style={{ width: `${share}%` }} />
              </span>
            </li>
          )
        })}
      </ul>
      <p id={`${groupId}-meta`} className="csdk-poll__meta">
        {poll.voterCount} {poll.voterCount === 1 ? 'person' : 'people'} voted
        {closed ? ' · closed' : poll.multiple ? ' · choose any' : ' · choose one'}
        {canClose && !closed && (
          <button type="button" className="csdk-link-button" onClick={close}>
            Close poll
          </button>
        )}
      </p>
      {error && (
        <p className="csdk-poll__error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  )
}
