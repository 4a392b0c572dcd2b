import type { FastifyReply } from 'fastify';
import type { Metrics } from '../src/observability/metrics.js';
import { SessionConflictError } from '../src/conversations/apply-inbound.js';

export type CountOutcome = (outcome: string) => void;

/** Counts one delivery's outcome and its time to acknowledge, from the moment this is called. */
export function webhookMeter(metrics: Metrics, channel: 'telegram' | 'zalo'): CountOutcome {
  const started = performance.now();
  return (outcome) => {
    metrics.webhookUpdates.inc({ channel, outcome });
    metrics.webhookLatency.observe({ channel }, (performance.now() - started) / 1000);
  };
}

/**
 * Runs the conversation step and acknowledges it: 200 once applied (or a duplicate),
 * with `body` (`{ ok: true }`, or a method call for the platform to run);
 * 503 with Retry-After when one conversation is too busy to take it now, so the
 * platform delivers it again; anything else goes to the error handler (5xx, retried too).
 */
export async function acknowledge(reply: FastifyReply, count: CountOutcome, apply: () => Promise<string>, body: object = { ok: true }): Promise<FastifyReply> {
  try {
    count(await apply());
    return reply.status(200).send(body);
  } catch (err) {
    if (err instanceof SessionConflictError) {
      count('conflict');
      return reply.status(503).header('retry-after', '1').send({ error: { code: 'busy', message: err.message } });
    }
    count('error');
    throw err;
  }
}
