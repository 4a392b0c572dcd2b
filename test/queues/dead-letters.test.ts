import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestBuiltinQuestionnaire } from '../../src/questionnaire/builtin-questionnaires.js';
import { seedQuestionnaires } from '../../src/questionnaire/questionnaire-catalog.js';
import { listDeadLetters, replayDeadLetter } from '../../src/queues/dead-letters.js';
import { persistAnswersJob, repairAnswersJob, type AnswersItem } from '../../src/queues/job-catalog.js';
import { runScript } from '../support/spawn-script.js';
import { adminHeaders, startProduct, type Product } from '../support/start-product.js';
import { waitUntil } from '../support/wait-until.js';

// An answers job that can never succeed as it is (it names a questionnaire version that is
// not stored) uses its attempts, then waits in the dead-letter queue with an alert; once
// the cause is fixed, a replay stores it.
let product: Product;
const logLines: string[] = [];

beforeAll(async () => {
  product = await startProduct({}, { logLines });
  await product.app!.inject({ method: 'PUT', url: '/api/v1/units', headers: adminHeaders, payload: [{ code: 'SNV', name: 'Sở Nội vụ', group: 'so' }] });
});
afterAll(async () => product?.stop());

const responseId = randomUUID();
const item: AnswersItem = {
  outboxId: 'dead-letter-test',
  effects: [{ type: 'response_started', responseId, questionnaire: { code: 'sipas-2017', version: 99 }, unitCode: 'SNV', channel: 'telegram', at: new Date().toISOString() }],
};

describe('the dead-letter queue', () => {
  it('keeps an answers job that failed for good, alerts, and stores it when replayed after the fix', async () => {
    // One attempt instead of eight, so the test does not wait for the backoff.
    await product.ctx.queues.add(persistAnswersJob, { batchId: 'poison', items: [item] }, { attempts: 1 });
    const [letter] = await waitUntil(async () => {
      const letters = await listDeadLetters(product.ctx.queues);
      return letters.length ? letters : false;
    }, 'the job in the dead-letter queue');
    expect(letter).toMatchObject({ queue: 'answers', jobId: 'ans-poison', name: 'persist-answers', error: expect.stringContaining('sipas-2017@99') });
    // Not left in the failed set too (its payload is kept once, for the replay).
    expect(await product.ctx.queues.queue('answers').getFailedCount()).toBe(0);

    const alert = logLines.map((l) => JSON.parse(l) as { level: number; msg: string; jobId?: string }).find((l) => l.msg.includes('dead-letter queue') && l.level >= 50);
    expect(alert).toMatchObject({ jobId: 'ans-poison' });
    expect(JSON.stringify(alert)).not.toContain(responseId);
    const metrics = await (await product.app!.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/sipas_dead_lettered_jobs_total\{queue="answers"\} 1/);
    expect(metrics).toMatch(/sipas_dead_letter_jobs 1/);
    expect(metrics).toMatch(/sipas_outbox_backlog \d+/);
    const ready = (await product.app!.inject({ method: 'GET', url: '/readyz' })).json() as { checks: { name: string; ok: boolean; detail: string }[] };
    expect(ready.checks.find((c) => c.name === 'dead_letter')).toMatchObject({ ok: true, detail: expect.stringContaining('1 job(s) failed for good') });

    // The cause is fixed (the version is stored), then the replay goes through.
    const def = latestBuiltinQuestionnaire('sipas-2017');
    await seedQuestionnaires(product.db.prisma, [{ ...def, version: 99 }]);
    expect(await replayDeadLetter(product.ctx.queues, letter!.id)).toMatch(/^ans-poison-replay-/);
    await waitUntil(async () => (await product.db.prisma.response.count({ where: { id: responseId } })) === 1, 'the replayed response stored');
    expect(await listDeadLetters(product.ctx.queues)).toEqual([]);
  });

  it('a thanked citizen whose answers failed for good is stored by the repair sweep once the cause is fixed', async () => {
    const id = randomUUID();
    const at = new Date().toISOString();
    const completing: AnswersItem = {
      outboxId: 'repair-test',
      effects: [
        { type: 'response_started', responseId: id, questionnaire: { code: 'sipas-2017', version: 98 }, unitCode: 'SNV', channel: 'telegram', at },
        { type: 'response_completed', responseId: id, unitCode: 'SNV', answers: [], at },
      ],
    };
    await product.ctx.queues.add(persistAnswersJob, { batchId: 'thanked', items: [completing] }, { attempts: 1 });
    await waitUntil(async () => (await listDeadLetters(product.ctx.queues)).some((l) => l.jobId === 'ans-thanked'), 'the batch dead-lettered');
    const ready = (await product.app!.inject({ method: 'GET', url: '/readyz' })).json() as { checks: { name: string; detail: string }[] };
    expect(ready.checks.find((c) => c.name === 'dead_letter')?.detail).toContain('1 answers batch(es): citizens were thanked but their answers are not stored yet');

    // A sweep while the cause is still there changes nothing and keeps the letter.
    await product.ctx.queues.add(repairAnswersJob, {});
    await waitUntil(async () => logLines.some((l) => l.includes('answers batches still not stored')), 'the sweep reported the stranded batch');
    expect(await product.db.prisma.response.count({ where: { id } })).toBe(0);

    await seedQuestionnaires(product.db.prisma, [{ ...latestBuiltinQuestionnaire('sipas-2017'), version: 98 }]);
    await product.ctx.queues.add(repairAnswersJob, {});
    const stored = await waitUntil(async () => (await product.db.prisma.response.findUnique({ where: { id } })) ?? undefined, 'the repaired response stored');
    expect(stored.status).toBe('completed');
    expect(await listDeadLetters(product.ctx.queues)).toEqual([]);
    expect((await product.app!.inject({ method: 'GET', url: '/metrics' })).body).toMatch(/sipas_answers_batches_repaired_total 1/);
  });

  it('npm run dead-letters lists, and says how to use it', async () => {
    const env = { DATABASE_URL: product.db.url, REDIS_URL: product.redis.url, REDIS_PREFIX: product.redis.prefix };
    const list = await runScript('src/cli/dead-letters.ts', ['list'], env);
    expect(list).toMatchObject({ code: 0, out: expect.stringContaining('no dead letters') });
    const help = await runScript('src/cli/dead-letters.ts', ['--help'], env);
    expect(help).toMatchObject({ code: 0, out: expect.stringContaining('replay --all') });
    const wrong = await runScript('src/cli/dead-letters.ts', ['replay', 'no-such-id'], env);
    expect(wrong).toMatchObject({ code: 1, out: expect.stringContaining('no dead letter no-such-id') });
  });
});
