/**
 * Walk-forward settings shared by the live trainer and the backtest, so the bench measures what
 * the service runs: first forecast after 6 hours of history, refit every hour, intervals and
 * selection from the last 12 hours of known errors.
 */
export const TRAINING = { firstOrigin: 360, refitEvery: 60, window: 720 } as const
