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
    transientRetries: new Counter({
      name: 'sipas_job_transient_retries_total',
      help: 'Jobs postponed because a dependency was unavailable (no attempt spent), by queue and dependency',
      labelNames: ['queue', 'dependency'] as const,
      registers: [registry],
    }),
    outageRetries: new Gauge({
      name: 'sipas_job_outage_retries',
      help: 'Jobs every worker of the deployment postponed because a dependency was down (no attempt spent), by queue; read when /metrics is scraped',
      labelNames: ['queue'] as const,
      registers: [registry],
    }),
    answersRepaired: new Counter({
      name: 'sipas_answers_batches_repaired_total',
      help: 'Dead-lettered answers batches stored later by the repair sweep',
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'sipas_dead_lettered_jobs_total',
      help: 'Jobs that failed for good and were moved to the dead-letter queue, by queue',
      labelNames: ['queue'] as const,
      registers: [registry],
    }),
    outboxBacklog: new Gauge({
      name: 'sipas_outbox_backlog',
      help: 'Outboxes committed by conversations and not yet handed to the queues by a worker relay, read when /metrics is scraped',
      registers: [registry],
    }),
    deadLetterJobs: new Gauge({
      name: 'sipas_dead_letter_jobs',
      help: 'Jobs waiting in the dead-letter queue for a replay, read when /metrics is scraped',
      registers: [registry],
    }),
    workers: new Gauge({
      name: 'sipas_workers',
      help: 'Worker processes whose heartbeat is recent, read when /metrics is scraped',
      registers: [registry],
    }),
    lastJobAt: new Gauge({
      name: 'sipas_queue_last_job_completed_seconds',
      help: 'When a worker last finished a job of the queue (Unix time), read when /metrics is scraped',
      labelNames: ['queue'] as const,
      registers: [registry],
    }),
    shed: new Counter({
      name: 'sipas_requests_shed_total',
      help: 'Requests answered 503 because the event loop lagged (load shedding)',
      registers: [registry],
    }),
    dependencyUnavailable: new Counter({
      name: 'sipas_requests_dependency_unavailable_total',
      help: 'Requests answered 503 because PostgreSQL or Redis was unavailable',
      labelNames: ['dependency'] as const,
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
