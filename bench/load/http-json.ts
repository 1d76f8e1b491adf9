/** One JSON call to a product's API that must succeed (fixtures, drills); throws with the problem otherwise. */
export async function callJson<T>(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
  return (await response.json()) as T
}

/** A ChatSDK app made through the admin API, with its server key. */
export interface ChatFixture {
  appId: string
  apiKey: string
  users: string[]
  channels: string[]
  tokens: { accessToken: string; connectionToken: string }[]
}

/** Creates an app with `users` users who are all members of `channels` channels. */
export async function createChatFixture(
  baseUrl: string,
  adminKey: string,
  prefix: string,
  userCount: number,
  channelCount: number,
): Promise<ChatFixture> {
  const created = await callJson<{ app: { id: string }; apiKey: string }>(
    baseUrl,
    'POST',
    '/v1/admin/apps',
    { authorization: `Bearer ${adminKey}` },
    { name: `${prefix}-${Date.now()}` },
  )
  const server = { 'x-api-key': created.apiKey }
  const users = Array.from({ length: userCount }, (_, i) => `${prefix}-user-${i}`)
  await callJson(baseUrl, 'POST', '/v1/users/bulk', server, { users: users.map((id) => ({ id, name: id })) })
  const channels = Array.from({ length: channelCount }, (_, i) => `${prefix}-${i}`)
  for (const id of channels)
    await callJson(baseUrl, 'POST', '/v1/channels', server, {
      type: 'messaging',
      id,
      members: users,
      createdBy: users[0],
    })
  const tokens: ChatFixture['tokens'] = []
  for (const id of users) tokens.push(await callJson(baseUrl, 'POST', `/v1/users/${id}/tokens`, server))
  return { appId: created.app.id, apiKey: created.apiKey, users, channels, tokens }
}
