import { type ReactNode, useEffect, useId, useRef } from 'react'

/**
 * A modal on the native <dialog>: the browser traps focus, closes on Escape and restores focus to
 * the opener, and screen readers announce it by its title.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
}: {
  open: boolean
  title: string
  onClose: () => void
  children: ReactNode
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) dialog.showModal()
    if (!open && dialog.open) dialog.close()
  }, [open])
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: only a click on the backdrop closes here; the keyboard closes a <dialog> with Escape natively
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className="dialog"
      onClose={onClose}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (event.target === ref.current) onClose()
      }}
    >
      <div className="dialog-body">
        <header className="dialog-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ✕
          </button>
        </header>
        {open ? children : null}
      </div>
    </dialog>
  )
}
