import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react'
import { useChannel } from '../hooks/use-channel.js'
import { useMessages } from '../hooks/use-messages.js'
import { useTyping } from '../hooks/use-typing.js'
import { type UploadItem, useUpload } from '../hooks/use-upload.js'
import { completeMention, type MentionQuery, mentionAtCaret, mentionedIds } from '../text/mentions.js'
import { EmojiPicker } from './emoji-picker.js'
import { Icon } from './icons.js'
import { Popover } from './popover.js'

export interface MessageInputProps {
  channelId: string
  /** Reply in this thread instead of the channel. */
  parentId?: string | undefined
  placeholder?: string
  /** Focus the box when it mounts (opening a channel or a thread). */
  autoFocus?: boolean
}

const MAX_SUGGESTIONS = 6

/**
 * The message box. Enter sends, Shift+Enter starts a new line, Up in an empty box edits your last
 * message, `@` suggests channel members, and files (picked, pasted or dropped) upload at once with
 * their progress shown, so Send only waits for what is still in flight.
 */
export function MessageInput(props: MessageInputProps) {
  const { channelId, parentId } = props
  const { members } = useChannel(channelId)
  const { send, edit, lastOwnMessage } = useMessages(channelId, { parentId })
  const { notifyTyping, stopTyping } = useTyping(channelId, parentId)
  const uploads = useUpload(channelId)
  const [text, setText] = useState('')
  const [editing, setEditing] = useState<{ id: string; original: string } | null>(null)
  const [mention, setMention] = useState<MentionQuery | null>(null)
  const [active, setActive] = useState(0)
  const [error, setError] = useState<string | null>(null)
  const box = useRef<HTMLTextAreaElement>(null)
  const fileInput = useRef<HTMLInputElement>(null)
  const listId = useId()

  const suggestions = mention
    ? members
        .map((member) => member.userId)
        .filter((id) => id.toLowerCase().startsWith(mention.query.toLowerCase()))
        .slice(0, MAX_SUGGESTIONS)
    : []

  useEffect(() => {
    if (props.autoFocus) box.current?.focus()
  }, [props.autoFocus])

  // The box grows with its text up to a limit, then scrolls.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-measure whenever the text changes
  useEffect(() => {
    const el = box.current
    if (!el) return
    el.style.height = 'auto'
    el.style.height = `${Math.min(el.scrollHeight, 200)}px`
  }, [text])

  const updateMention = (value: string, caret: number) => {
    const found = mentionAtCaret(value, caret)
    setMention(found)
    setActive(0)
  }

  const pick = (userId: string) => {
    const el = box.current
    if (!mention || !el) return
    const next = completeMention(text, mention, el.selectionStart, userId)
    setText(next.text)
    setMention(null)
    requestAnimationFrame(() => el.setSelectionRange(next.caret, next.caret))
  }

  const submit = async () => {
    const trimmed = text.trim()
    if (editing) {
      if (trimmed && trimmed !== editing.original) await edit(editing.id, trimmed).catch(showError)
      setEditing(null)
      setText('')
      return
    }
    if (!uploads.ready) return
    const attachments = uploads.items.flatMap((item) => (item.uploadId ? [{ uploadId: item.uploadId }] : []))
    if (!trimmed && attachments.length === 0) return
    const known = new Set(members.map((member) => member.userId))
    const mentions = mentionedIds(trimmed, (id) => known.has(id))
    setText('')
    uploads.clear()
    stopTyping()
    setError(null)
    // The client shows the message at once (pending) and keeps it through a lost connection.
    send({ text: trimmed, mentions, attachments }).catch(showError)
  }

  const showError = (cause: unknown) => setError(cause instanceof Error ? cause.message : String(cause))

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.nativeEvent.isComposing) return
    if (suggestions.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault()
        const step = event.key === 'ArrowDown' ? 1 : -1
        setActive((index) => (index + step + suggestions.length) % suggestions.length)
        return
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault()
        pick(suggestions[active]!)
        return
      }
      if (event.key === 'Escape') {
        event.preventDefault()
        setMention(null)
        return
      }
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault()
      void submit()
      return
    }
    if (event.key === 'ArrowUp' && text === '' && !editing) {
      const last = lastOwnMessage()
      if (last) {
        event.preventDefault()
        setEditing({ id: last.id, original: last.text })
        setText(last.text)
      }
      return
    }
    if (event.key === 'Escape' && editing) {
      event.preventDefault()
      setEditing(null)
      setText('')
    }
  }

  const insertAtCaret = (insert: string) => {
    const el = box.current
    const start = el?.selectionStart ?? text.length
    const end = el?.selectionEnd ?? text.length
    setText(text.slice(0, start) + insert + text.slice(end))
    requestAnimationFrame(() => {
      el?.focus()
      el?.setSelectionRange(start + insert.length, start + insert.length)
    })
  }

  const label = parentId ? 'Reply' : 'Message'
  return (
    // Dropping files is a shortcut for the mouse; the Attach button is the way for everyone.
    // biome-ignore lint/a11y/noStaticElementInteractions: see above
    <div
      className="csdk-composer"
      onDragOver={(event) => {
        if (event.dataTransfer.types.includes('Files')) event.preventDefault()
      }}
      onDrop={(event) => {
        if (event.dataTransfer.files.length === 0) return
        event.preventDefault()
        uploads.add([...event.dataTransfer.files])
      }}
    >
      {editing && (
        <p className="csdk-composer__mode">
          Editing your message. <kbd>Enter</kbd> saves, <kbd>Esc</kbd> cancels.
        </p>
      )}
      {uploads.items.length > 0 && <UploadList items={uploads.items} onRemove={uploads.remove} />}
      {suggestions.length > 0 && (
        <div id={listId} className="csdk-mentions" role="listbox" aria-label="Mention someone">
          {suggestions.map((userId, index) => (
            <div
              key={userId}
              id={`${listId}-${index}`}
              role="option"
              // focus stays in the message box; the box points at the active option
              tabIndex={-1}
              aria-selected={index === active}
              className="csdk-mentions__option"
              onPointerDown={(event) => {
                event.preventDefault()
                pick(userId)
              }}
            >
              @{userId}
            </div>
          ))}
        </div>
      )}
      <div className="csdk-composer__row">
        <button
          type="button"
          className="csdk-icon-button"
          aria-label="Attach files"
          title="Attach files"
          onClick={() => fileInput.current?.click()}
          disabled={Boolean(editing)}
        >
          <Icon name="attach" />
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          aria-label="Files to attach"
          onChange={(event) => {
            uploads.add([...(event.target.files ?? [])])
            event.target.value = ''
          }}
        />
        <textarea
          ref={box}
          className="csdk-composer__box"
          aria-label={label}
          placeholder={props.placeholder ?? label}
          rows={1}
          value={text}
          aria-autocomplete="list"
          aria-controls={suggestions.length > 0 ? listId : undefined}
          aria-activedescendant={suggestions.length > 0 ? `${listId}-${active}` : undefined}
          onChange={(event) => {
            setText(event.target.value)
            updateMention(event.target.value, event.target.selectionStart)
            if (event.target.value && !editing) notifyTyping()
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setMention(null)}
          onPaste={(event) => {
            const files = [...event.clipboardData.files]
            if (files.length > 0) {
              event.preventDefault()
              uploads.add(files)
            }
          }}
        />
        <Popover label="Insert emoji" buttonContent={<Icon name="smile" />}>
          {(close) => (
            <EmojiPicker
              onPick={(emoji) => {
                close()
                insertAtCaret(emoji.char)
              }}
            />
          )}
        </Popover>
        <button
          type="button"
          className="csdk-send-button"
          aria-label={editing ? 'Save edit' : 'Send'}
          disabled={!uploads.ready || (!text.trim() && uploads.items.length === 0)}
          onClick={() => void submit()}
        >
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
            <path d="M3 20.5 21 12 3 3.5v6.6l12 1.9-12 1.9z" fill="currentColor" />
          </svg>
        </button>
      </div>
      {error && (
        <p className="csdk-composer__error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}

function UploadList({ items, onRemove }: { items: readonly UploadItem[]; onRemove(localId: string): void }) {
  return (
    <ul className="csdk-uploads" aria-label="Attachments to send">
      {items.map((item) => (
        <li key={item.localId} className={`csdk-upload csdk-upload--${item.status}`}>
          {item.previewUrl ? (
            <img className="csdk-upload__preview" src={item.previewUrl} alt="" />
          ) : (
            <span className="csdk-upload__preview csdk-upload__preview--file" aria-hidden="true">
              📄
            </span>
          )}
          <span className="csdk-upload__name">{item.name}</span>
          {item.status === 'uploading' && (
            <progress
              className="csdk-upload__progress"
              aria-label={`Uploading ${item.name}`}
              max={100}
              value={Math.round(item.progress * 100)}
            />
          )}
          {item.status === 'failed' && (
            <span className="csdk-upload__error" role="alert">
              {item.error ?? 'Upload failed'}
            </span>
          )}
          <button
            type="button"
            className="csdk-icon-button csdk-upload__remove"
            aria-label={`Remove ${item.name}`}
            onClick={() => onRemove(item.localId)}
          >
            <Icon name="close" size={14} />
          </button>
        </li>
      ))}
    </ul>
  )
}
