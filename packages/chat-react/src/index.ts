/**
 * @chatsdk/react: React bindings for @chatsdk/client. Hooks read the client's store through
 * useSyncExternalStore; components are accessible and themed by CSS variables
 * (`import '@chatsdk/react/styles.css'`).
 */
export { Attachments } from './components/attachments.js'
export { Avatar } from './components/avatar.js'
export { ChannelList, type ChannelListProps } from './components/channel-list.js'
export { EmojiPicker } from './components/emoji-picker.js'
export { Icon, type IconName } from './components/icons.js'
export { LoadNotice, type LoadNoticeProps } from './components/load-notice.js'
export { MessageActions, type ModerationActions } from './components/message-actions.js'
export { MessageInput, type MessageInputProps } from './components/message-input.js'
export { MessageItem, type MessageItemProps } from './components/message-item.js'
export { MessageList, type MessageListProps } from './components/message-list/message-list.js'
export {
  VirtualFeed,
  type VirtualFeedHandle,
  type VirtualFeedProps,
} from './components/message-list/virtual-feed.js'
export { Poll } from './components/poll.js'
export { ReactionPicker, Reactions } from './components/reactions.js'
export { ReadReceipts } from './components/read-receipts.js'
export { SearchPanel, type SearchPanelProps } from './components/search-panel.js'
export { ThreadPanel } from './components/thread-panel.js'
export { TypingIndicator } from './components/typing-indicator.js'
export { useChannel } from './hooks/use-channel.js'
export { type ChannelSummary, useChannels } from './hooks/use-channels.js'
export { useChatClient } from './hooks/use-chat-client.js'
export { useConnectionState } from './hooks/use-connection-state.js'
export { useCreatePoll } from './hooks/use-create-poll.js'
export { useDisplayName } from './hooks/use-display-name.js'
export { useFileUrl } from './hooks/use-file-url.js'
export { useMessageActions } from './hooks/use-message-actions.js'
export { useMessages } from './hooks/use-messages.js'
export { usePoll } from './hooks/use-poll.js'
export { usePresence } from './hooks/use-presence.js'
export { useReactions } from './hooks/use-reactions.js'
export { useReadReceipts } from './hooks/use-read-receipts.js'
export { useSearch } from './hooks/use-search.js'
export { useThread } from './hooks/use-thread.js'
export { useTyping } from './hooks/use-typing.js'
export { useUnreadCount } from './hooks/use-unread-count.js'
export { type UploadItem, useUpload } from './hooks/use-upload.js'
export { ChatProvider, type ChatProviderProps, type Theme } from './provider.js'
export { REACTIONS, reactionKind } from './text/emoji.js'
export type { Attachment, DeliveryState, MessageView } from './types.js'
