/**
 * The app keeps who you are and where you are in the query string (`/?user=alice&channel=random`),
 * so a reload or a shared link lands in the same place and the server only serves `/`.
 */
export interface UrlState {
  user: string | null
  channel: string | null
}

const USER_ID = /^[A-Za-z0-9_.-]{1,64}$/

export function readUrlState(search: string): UrlState {
  const params = new URLSearchParams(search)
  const user = params.get('user')
  const channel = params.get('channel')
  return {
    user: user && USER_ID.test(user) ? user : null,
    channel: channel && USER_ID.test(channel) ? channel : null,
  }
}

export function urlFor(state: UrlState): string {
  const params = new URLSearchParams()
  if (state.user) params.set('user', state.user)
  if (state.channel) params.set('channel', state.channel)
  const query = params.toString()
  return query ? `/?${query}` : '/'
}
