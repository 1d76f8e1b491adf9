/** Realtime channel names (contract with the gateway and clients). */
export function chatChannelName(appId: string, channelId: string): string {
  return `chat:${appId}:${channelId}`
}

export function userChannelName(appId: string, userId: string): string {
  return `user:${appId}:${userId}`
}
