import { Counter, Gauge, Histogram, type Metric, type Registry } from 'prom-client'

/**
 * The prediction service's Prometheus metrics. Created without a registry, so one service object
 * can be mounted on any app; `register` adds them to the app's registry when the routes mount.
 * Labels are bounded: horizon and model names, never pool addresses.
 */
export function createPredictMetrics() {
  const metrics = {
    trainings: new Counter({
      name: 'dex_intel_predict_trainings_total',
      help: 'Pool and horizon trainings finished, by result',
      labelNames: ['result'],
      registers: [],
    }),
    trainingSeconds: new Histogram({
      name: 'dex_intel_predict_training_seconds',
      help: 'Duration of one pool and horizon training (every candidate walked forward)',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [],
    }),
    progress: new Gauge({
      name: 'dex_intel_predict_training_progress_ratio',
      help: 'Share of pool and horizon trainings done in the current retraining pass (1 when idle)',
      registers: [],
    }),
    lastTrained: new Gauge({
      name: 'dex_intel_predict_last_training_timestamp_seconds',
      help: 'When the last retraining pass finished',
      registers: [],
    }),
    selected: new Gauge({
      name: 'dex_intel_predict_pools_by_model',
      help: 'Pools served by each model, per horizon',
      labelNames: ['horizon', 'model'],
      registers: [],
    }),
  }
  return {
    ...metrics,
    register(registry: Registry) {
      for (const metric of Object.values(metrics) as Metric[]) {
        const { name } = metric as unknown as { name: string }
        if (!registry.getSingleMetric(name)) registry.registerMetric(metric)
      }
    },
  }
}

export type PredictMetrics = ReturnType<typeof createPredictMetrics>
