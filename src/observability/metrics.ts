import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one process; a registry per app so tests stay isolated. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    webhookUpdates: new Counter({
      name: 'sipas_webhook_updates_total',
      help: 'Webhook deliveries by channel and outcome',
      labelNames: ['channel', 'outcome'] as const,
      registers: [registry],
    }),
    webhookLatency: new Histogram({
      name: 'sipas_webhook_ack_seconds',
      help: 'Time to acknowledge a webhook delivery',
      labelNames: ['channel'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    jobs: new Counter({
      name: 'sipas_jobs_total',
      help: 'Background jobs by queue and outcome',
      labelNames: ['queue', 'outcome'] as const,
      registers: [registry],
    }),
    queueJobs: new Gauge({
      name: 'sipas_queue_jobs',
      help: 'Jobs per queue and state, read when /metrics is scraped',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
    }),
    outbound: new Counter({
      name: 'sipas_outbound_messages_total',
      help: 'Outbound platform messages by channel and outcome',
      labelNames: ['channel', 'outcome'] as const,
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
