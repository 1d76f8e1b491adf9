import { ChatClient } from '@chatsdk/client'

export interface DemoSession {
  client: ChatClient
  close(): void
}

/**
 * Signs in as a demo user through chat-server's development token route (absent in production,
 * where an app's own backend hands out tokens), loads the person's channels and opens the
 * realtime connection.
 */
export async function signInAsDemoUser(userId: string): Promise<DemoSession> {
  const tokenProvider = async () => {
    const response = await fetch('/v1/dev/demo/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    })
    if (response.status === 400) throw new Error(`${userId} is not a demo user. Pick alice, bob or carol.`)
    if (response.status === 404)
      throw new Error('This server has no demo sign-in (it runs in production mode).')
    if (!response.ok) {
      const problem = (await response.json().catch(() => ({}))) as { detail?: string }
      throw new Error(problem.detail ?? `The token route answered ${response.status}.`)
    }
    return (await response.json()) as { accessToken: string; connectionToken: string }
  }
  // Fails early (unknown user, production server) instead of showing an empty app.
  await tokenProvider()
  const client = new ChatClient({ baseUrl: window.location.origin, tokenProvider })
  await client.connect()
  return { client, close: () => client.disconnect() }
}
