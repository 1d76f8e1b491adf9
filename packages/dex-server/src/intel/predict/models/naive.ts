import type { Forecaster } from './types.js'

/** The random-walk forecast: the price h steps ahead is the price now. Every other model must beat it. */
export const naive: Forecaster = {
  name: 'naive',
  fit: () => ({
    describe: () => 'random walk (last price)',
    forecast: (input) => input.y[input.y.length - 1] as number,
  }),
}
