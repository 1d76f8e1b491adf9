import { useCallback, useSyncExternalStore } from 'react'
import { useChatClient } from './use-chat-client.js'

type Client = ReturnType<typeof useChatClient>

/**
 * Names for user ids: `const nameOf = useDisplayName(); nameOf('alice')` gives "Alice" once the
 * profile is known, the id until then. Profiles are fetched once per client and shared.
 */
export function useDisplayName(): (userId: string | null) => string {
  const client = useChatClient()
  const directory = directoryOf(client)
  const version = useSyncExternalStore(directory.subscribe, directory.version, directory.version)
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version means new names
  return useCallback(
    (userId: string | null) => (userId === null ? 'Deleted user' : directory.name(userId)),
    [directory, version],
  )
}

class UserDirectory {
  private readonly names = new Map<string, string>()
  private readonly asked = new Set<string>()
  private readonly listeners = new Set<() => void>()
  private revision = 0

  constructor(private readonly client: Client) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  version = () => this.revision

  name(userId: string): string {
    const known = this.names.get(userId)
    if (known !== undefined) return known
    if (!this.asked.has(userId)) {
      this.asked.add(userId)
      // outside render: fetching is a side effect
      queueMicrotask(() => this.fetch(userId))
    }
    return userId
  }

  private fetch(userId: string) {
    this.client.api.getUser(userId).then(
      ({ user }) => {
        this.names.set(userId, user.name || userId)
        this.revision++
        for (const listener of this.listeners) listener()
      },
      // an unknown or erased user keeps showing the id; a later mount may ask again
      () => this.asked.delete(userId),
    )
  }
}

const directories = new WeakMap<Client, UserDirectory>()

function directoryOf(client: Client): UserDirectory {
  let directory = directories.get(client)
  if (!directory) {
    directory = new UserDirectory(client)
    directories.set(client, directory)
  }
  return directory
}
