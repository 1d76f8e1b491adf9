// The load profile of the source reports, shared by every script here and mirrored by the in-repo
// harness (bench/load/profile.ts): warm-up 10 s to 10 VUs, ramp 30 s to 50, sustain 60 s, ramp down 20 s.

/** @type {import('k6/options').Stage[]} */
export const stages = [
  { duration: '10s', target: 10 },
  { duration: '30s', target: 50 },
  { duration: '60s', target: 50 },
  { duration: '20s', target: 0 },
]

/** p95 < 500 ms on the API, < 100 ms on health, fewer than 1% failed requests. */
export const thresholds = {
  http_req_failed: ['rate<0.01'],
  'http_req_duration{kind:api}': ['p(95)<500'],
  'http_req_duration{kind:health}': ['p(95)<100'],
}

/**
 * The base URL under test: BASE_URL, e.g. `k6 run -e BASE_URL=https://chat.example.com chat.js`.
 * @param {string} fallback
 */
export function baseUrl(fallback) {
  return (__ENV.BASE_URL || fallback).replace(/\/$/, '')
}
