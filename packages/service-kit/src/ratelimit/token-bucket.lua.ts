/**
 * Atomic token bucket for Redis (same algorithm as token-bucket.ts). Uses the Redis server clock
 * so every API node agrees on time. The hash expires when the bucket would be full again:
 * a full bucket and a missing one behave the same, so idle keys cost no memory.
 *
 * KEYS[1] bucket key; ARGV: limit, windowMs, cost.
 * Returns {allowed 0|1, remaining, retryAfterMs, resetMs}.
 */
export const tokenBucketScript = `
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local rate = limit / window
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', key, 'tokens', 'ts')
local tokens = limit
if state[1] then
  tokens = math.min(limit, tonumber(state[1]) + math.max(0, now - tonumber(state[2])) * rate)
end
local allowed = 0
local retry = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  retry = math.ceil((cost - tokens) / rate)
end
local reset = math.ceil((limit - tokens) / rate)
redis.call('HSET', key, 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', key, math.max(reset, 1))
return {allowed, math.floor(tokens), retry, reset}
`
