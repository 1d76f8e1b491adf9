import { Avatar } from '@chatsdk/react'

/** The people the embedded server seeds (chat-server's demo seeding); carol moderates. */
export const DEMO_USERS = [
  { id: 'alice', name: 'Alice', role: 'member' },
  { id: 'bob', name: 'Bob', role: 'member' },
  { id: 'carol', name: 'Carol', role: 'moderator' },
] as const

/**
 * Development and embedded mode only: sign in as a demo user. Each choice is a link
 * (`/?user=alice`), so a second browser window can be someone else.
 */
export function UserPicker({ onPick }: { onPick(userId: string): void }) {
  return (
    <main className="picker">
      <div className="picker__card">
        <h1>ChatSDK demo</h1>
        <p>Pick who you are. Open another window as someone else to chat with yourself.</p>
        <ul className="picker__users" aria-label="Demo users">
          {DEMO_USERS.map((user) => (
            <li key={user.id}>
              <a
                className="picker__user"
                href={`/?user=${user.id}`}
                onClick={(event) => {
                  event.preventDefault()
                  onPick(user.id)
                }}
              >
                <Avatar userId={user.id} name={user.name} />
                <span>
                  Continue as <strong>{user.name}</strong>
                </span>
                <span className="picker__role">{user.role}</span>
              </a>
            </li>
          ))}
        </ul>
      </div>
    </main>
  )
}
