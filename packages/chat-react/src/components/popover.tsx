import { type ReactNode, useEffect, useId, useRef, useState } from 'react'

/**
 * A button that opens a small panel (reaction picker, emoji picker). Escape and a click outside
 * close it and give focus back to the button; the first control in the panel gets focus on open.
 */
export function Popover(props: {
  label: string
  buttonContent: ReactNode
  buttonClassName?: string
  children: (close: () => void) => ReactNode
  placement?: 'above' | 'below'
}) {
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const panel = useRef<HTMLDivElement>(null)
  const id = useId()
  const close = () => {
    setOpen(false)
    button.current?.focus()
  }
  useEffect(() => {
    if (!open) return
    panel.current?.querySelector<HTMLElement>('button, input')?.focus()
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node
      if (!panel.current?.contains(target) && !button.current?.contains(target)) setOpen(false)
    }
    document.addEventListener('pointerdown', onPointer)
    return () => document.removeEventListener('pointerdown', onPointer)
  }, [open])
  return (
    <span className="csdk-popover">
      <button
        ref={button}
        type="button"
        className={props.buttonClassName ?? 'csdk-icon-button'}
        aria-label={props.label}
        title={props.label}
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => setOpen((was) => !was)}
      >
        {props.buttonContent}
      </button>
      {open && (
        // Escape from any control inside the panel closes it (keyboard events bubble here).
        // biome-ignore lint/a11y/noStaticElementInteractions: see above
        <div
          ref={panel}
          id={id}
          className={`csdk-popover__panel csdk-popover__panel--${props.placement ?? 'above'}`}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.stopPropagation()
              close()
            }
          }}
        >
          {props.children(close)}
        </div>
      )}
    </span>
  )
}
