import { useVirtualizer } from '@tanstack/react-virtual'
import {
  memo,
  type ReactNode,
  type Ref,
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
} from 'react'

/** What a parent can ask of the feed: MessageList's jump buttons use it. */
export interface VirtualFeedHandle {
  scrollToIndex(index: number, align?: 'start' | 'center' | 'end'): void
  scrollToEnd(): void
}

export interface VirtualFeedProps<T> {
  items: readonly T[]
  getKey(item: T): string
  renderItem(item: T, index: number): ReactNode
  /** Each item is an article of the feed; this is its accessible name ("alice at 10:32"). */
  getLabel(item: T): string
  /** The feed's accessible name, e.g. "Messages in #general". */
  label: string
  /** Where to open: this index at the top (first unread), else the newest item at the bottom. */
  initialIndex?: number | undefined
  hasOlder: boolean
  hasNewer: boolean
  loading: boolean
  /** Called when the reader nears the top (resp. bottom) and more items exist there. */
  onNearStart(): void
  onNearEnd(): void
  /** Reports whether the newest item is in view (to show "Jump to latest"). */
  onAtEndChange?(atEnd: boolean): void
  /** Reports the visible index range (to mark messages read, to hide "Jump to unread"). */
  onRangeChange?(first: number, last: number): void
  estimateSize?: number
  ref?: Ref<VirtualFeedHandle>
}

/** How many items from an edge count as "near" it: the next page loads before the reader gets there. */
const EDGE_ITEMS = 8
const AT_END_PX = 48

/**
 * A virtualized ARIA feed of variable-height items for chat: only the items in view (plus
 * overscan) are in the DOM, so 10,000 messages cost what 30 do. TanStack Virtual measures each
 * item as it renders and, anchored to the end:
 * - keeps the item the reader looks at in place when older items are prepended,
 * - follows new items when the reader was at the bottom, and leaves them be otherwise.
 */
export function VirtualFeed<T>(props: VirtualFeedProps<T>) {
  const { items, getKey, estimateSize = 72 } = props
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateSize,
    getItemKey: (index) => getKey(items[index]!),
    overscan: 6,
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: AT_END_PX,
    paddingStart: 8,
    paddingEnd: 8,
    // React 19 warns about flushSync inside effects; a frame of lag on measurement is invisible.
    useFlushSync: false,
  })

  useImperativeHandle(
    props.ref,
    () => ({
      scrollToIndex: (index, align = 'center') => virtualizer.scrollToIndex(index, { align }),
      scrollToEnd: () => virtualizer.scrollToIndex(items.length - 1, { align: 'end' }),
    }),
    [virtualizer, items.length],
  )

  // Open at the first unread message, or at the newest one. Once per mount: a channel switch
  // remounts the feed (MessageList keys it by channel).
  const opened = useRef(false)
  useLayoutEffect(() => {
    if (opened.current || items.length === 0) return
    opened.current = true
    if (props.initialIndex !== undefined && props.initialIndex >= 0) {
      virtualizer.scrollToIndex(props.initialIndex, { align: 'start' })
    } else {
      virtualizer.scrollToIndex(items.length - 1, { align: 'end' })
    }
  }, [items.length, props.initialIndex, virtualizer])

  const virtualItems = virtualizer.getVirtualItems()
  const first = virtualItems[0]?.index ?? 0
  const last = virtualItems[virtualItems.length - 1]?.index ?? 0

  const { hasOlder, hasNewer, loading, onNearStart, onNearEnd, onRangeChange, onAtEndChange } = props
  useEffect(() => {
    if (!opened.current || loading || items.length === 0) return
    if (hasOlder && first < EDGE_ITEMS) onNearStart()
    else if (hasNewer && last > items.length - 1 - EDGE_ITEMS) onNearEnd()
  }, [first, last, hasOlder, hasNewer, loading, items.length, onNearStart, onNearEnd])

  useEffect(() => {
    if (items.length > 0) onRangeChange?.(first, last)
  }, [first, last, items.length, onRangeChange])

  const atEnd = !hasNewer && virtualizer.getDistanceFromEnd() <= AT_END_PX
  const lastAtEnd = useRef<boolean | null>(null)
  useEffect(() => {
    if (lastAtEnd.current === atEnd) return
    lastAtEnd.current = atEnd
    onAtEndChange?.(atEnd)
  }, [atEnd, onAtEndChange])

  const measure = useCallback(
    (node: HTMLDivElement | null) => virtualizer.measureElement(node),
    [virtualizer],
  )

  return (
    <div
      ref={scrollRef}
      className="csdk-feed"
      role="feed"
      aria-label={props.label}
      aria-busy={loading}
      // A scrollable region must take focus so keyboard users can scroll it (Page Up/Down, arrows).
      // biome-ignore lint/a11y/noNoninteractiveTabindex: see above
      tabIndex={0}
    >
      <div className="csdk-feed__canvas" style={{ height: virtualizer.getTotalSize() }}>
        {virtualItems.map((virtualItem) => (
          <FeedRow
            key={virtualItem.key as string}
            item={items[virtualItem.index]!}
            index={virtualItem.index}
            start={virtualItem.start}
            setSize={hasOlder || hasNewer ? -1 : items.length}
            measure={measure}
            renderItem={props.renderItem}
            getLabel={props.getLabel}
          />
        ))}
      </div>
    </div>
  )
}

interface FeedRowProps<T> {
  item: T
  index: number
  start: number
  setSize: number
  measure(node: HTMLElement | null): void
  renderItem(item: T, index: number): ReactNode
  getLabel(item: T): string
}

/**
 * One article of the feed. Memoized: scrolling re-renders the feed every frame, but a row whose
 * item and position are unchanged is not rendered again, which keeps a frame's work to the rows
 * that enter the view.
 */
const FeedRow = memo(function FeedRow<T>(props: FeedRowProps<T>) {
  return (
    <article
      ref={props.measure}
      data-index={props.index}
      className="csdk-feed__row"
      style={{ transform: `translateY(${props.start}px)` }}
      aria-label={props.getLabel(props.item)}
      aria-posinset={props.index + 1}
      aria-setsize={props.setSize}
    >
      {props.renderItem(props.item, props.index)}
    </article>
  )
}) as <T>(props: FeedRowProps<T>) => ReactNode
