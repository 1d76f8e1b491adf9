/**
 * Atomic token buckets for Redis (same algorithm as token-bucket.ts), several per call: the Redis
 * store sends every bucket asked for in the same tick (a request's policies, concurrent requests)
 * as one script call. Uses the Redis server clock so every API node agrees on time. A bucket's hash
 * expires when the bucket would be full again: a full bucket and a missing one behave the same,
 * so idle keys cost no memory. Buckets are taken in KEYS order, so a key named twice is taken
 * twice, as two calls would; each take is atomic, as the whole script is.
 *
 * KEYS: bucket keys; ARGV: limit, windowMs, cost for each key in turn.
 * Returns allowed 0|1, remaining, retryAfterMs, resetMs for each key in turn.
 */
export const tokenBucketScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[i * 3 - 2])
  local window = tonumber(ARGV[i * 3 - 1])
  local cost = tonumber(ARGV[i * 3])
  local rate = limit / window
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
  out[#out + 1] = allowed
  out[#out + 1] = math.floor(tokens)
  out[#out + 1] = retry
  out[#out + 1] = reset
end
return out
`
