import { zaloTokenUpkeepJob } from '../../queues/job-catalog.js';
import type { JobQueues } from '../../queues/job-queues.js';
import { QUEUE } from '../../queues/queue-names.js';
import type { ReadinessCheck } from '../../core/app-context.js';
import type { ZaloLogger } from './zalo-logger.js';
import type { ZaloTokenManager } from './zalo-token-manager.js';

/** How often the proactive refresh looks at the token, and how early before expiry it refreshes. */
export const ZALO_TOKEN_UPKEEP_EVERY_MS = 10 * 60_000;
export const ZALO_TOKEN_REFRESH_MARGIN_MS = 2 * 3600_000;
const SCHEDULER_ID = 'zalo-token-upkeep';

/**
 * One repeatable job for the whole deployment (the scheduler id is shared, so every
 * process upserting it keeps a single schedule). Its first run is immediate: a token
 * seeded from the environment has an unknown age and is refreshed at once.
 */
export async function scheduleZaloTokenUpkeep(queues: JobQueues): Promise<void> {
  await queues.queue(QUEUE.maintenance).upsertJobScheduler(
    SCHEDULER_ID,
    { every: ZALO_TOKEN_UPKEEP_EVERY_MS },
    { name: zaloTokenUpkeepJob.name, data: { marginMs: ZALO_TOKEN_REFRESH_MARGIN_MS }, opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 } },
  );
}

/** The job: refresh when due. A failure is logged loudly and shown on /readyz; the next run tries again. */
export async function runZaloTokenUpkeep(tokens: ZaloTokenManager, logger: ZaloLogger, marginMs: number): Promise<void> {
  const result = await tokens.refreshIfExpiringSoon(marginMs);
  if (result.outcome === 'failed') {
    logger.error({ event: 'zalo.token_upkeep_failed', error: result.error }, 'Proactive Zalo token refresh failed: OA and ZNS sends stop when the access token expires');
  } else {
    logger.debug({ event: 'zalo.token_upkeep', outcome: result.outcome, accessExpiresAt: result.accessExpiresAt.toISOString() }, 'Zalo token upkeep');
  }
}

/** `/readyz` check `zalo_token`: not ready while the last refresh failed. Shows no token. */
export function zaloTokenReadiness(tokens: ZaloTokenManager): ReadinessCheck {
  return {
    name: 'zalo_token',
    async check() {
      const s = await tokens.status();
      if (!s.ok) return { ok: false, detail: `last token refresh failed: ${s.lastError ?? 'unknown error'}` };
      if (!s.seeded || s.expiresInMs === null) return { ok: true, detail: 'tokens not loaded yet (seeded from the environment on first use)' };
      if (s.version === 0) return { ok: true, detail: 'token from the environment, refresh pending' };
      return { ok: true, detail: `access token valid for ${Math.max(0, Math.round(s.expiresInMs / 60_000))} min (version ${s.version})` };
    },
  };
}
