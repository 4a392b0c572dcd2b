import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { enqueueOutbound, enqueueOutboundMany } from '../../src/outbound/enqueue-outbound.js';
import { outboundJobs } from '../../src/queues/job-catalog.js';
import { FAKE_ZALO_PATHS } from '../support/fake-zalo-server.js';
import { waitUntil } from '../support/wait-until.js';
import { useZaloProduct } from '../support/zalo-product-harness.js';

/** Zalo's outbound queue (32 jobs at once) keeps each user's jobs in enqueue order. */
const h = useZaloProduct({ firstUserId: 8_600_000_000_000_000_000n, dossierPrefix: 'ZLN' });

const deliveredTo = (userId: string) =>
  h.fake
    .delivered(FAKE_ZALO_PATHS.cs)
    .filter((c) => String(c.body.recipient?.user_id) === userId)
    .map((c) => String(c.body.message?.text));

describe('Zalo per-user order', () => {
  it('sends a user’s jobs in enqueue order, the later ones waiting while the first is retried', async () => {
    const user = h.nextUserId();
    const deps = { queues: h.product.ctx.queues, redis: h.product.ctx.redis, prefix: h.product.config.redisPrefix };
    // The first send fails with an unknown error: BullMQ retries it after its backoff (1 s).
    h.fake.failNext(-201, { times: 1, path: FAKE_ZALO_PATHS.cs });
    const texts = ['#1 lời mời', '#2 nhắc lần 1', '#3 nhắc lần 2', '#4', '#5'];
    for (const text of texts) await enqueueOutbound(deps, outboundJobs.zalo, { batchId: randomUUID(), userRef: user, messages: [{ type: 'text', text }], kind: 'reminder' });
    await waitUntil(() => deliveredTo(user).length === texts.length, 'all delivered');
    expect(deliveredTo(user)).toEqual(texts);
    expect(h.fake.callsTo(FAKE_ZALO_PATHS.cs).filter((c) => c.response.error !== 0)).toHaveLength(1);
  });
});

describe('Zalo replies before our own messages', () => {
  it('a reply behind its user’s queued reminder sends that reminder first, then the reply, ahead of the rest of the queue', async () => {
    const deps = { queues: h.product.ctx.queues, redis: h.product.ctx.redis, prefix: h.product.config.redisPrefix };
    const users = Array.from({ length: 120 }, () => h.nextUserId());
    const citizen = users.at(-1)!;
    const reminder = (userRef: string) => ({ batchId: randomUUID(), userRef, messages: [{ type: 'text' as const, text: '#1 nhắc khảo sát' }], kind: 'reminder' as const });
    // 120 reminders at the OA's 30 jobs/s take about 4 s; the citizen's is the last of them.
    await enqueueOutboundMany(deps, outboundJobs.zalo, users.map(reminder));
    await enqueueOutbound(deps, outboundJobs.zalo, { batchId: randomUUID(), userRef: citizen, messages: [{ type: 'text', text: 'Câu 3/22' }], kind: 'reply' });
    await waitUntil(() => deliveredTo(citizen).length === 2, 'the reminder and the reply');
    expect(deliveredTo(citizen)).toEqual(['#1 nhắc khảo sát', 'Câu 3/22']);
    expect(users.filter((u) => deliveredTo(u).length > 0).length).toBeLessThan(users.length / 2);
    await waitUntil(() => users.every((u) => deliveredTo(u).length > 0), 'every reminder', 30_000);
  });
});
