import { describe, expect, it } from 'vitest';
import type { AnswersItem } from '../../src/queues/job-catalog.js';
import { AnswersBatcher } from '../../src/conversations/answers-batcher.js';

const item = (n: number): AnswersItem => ({ outboxId: `o-${n}`, effects: [{ type: 'invitation_opened', invitationId: `i-${n}`, at: new Date(0).toISOString() }] });

/** A hand-off that completes when the test says so, recording what it was given. */
function controlledHandOff() {
  const calls: { items: AnswersItem[]; settle: (err?: Error) => void }[] = [];
  const handOff = (items: AnswersItem[]) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ items, settle: (err) => (err ? reject(err) : resolve()) });
    });
  return { calls, handOff };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('AnswersBatcher', () => {
  it('hands the first item over alone and groups the ones that arrive meanwhile, never dropping or repeating one', async () => {
    const { calls, handOff } = controlledHandOff();
    const batcher = new AnswersBatcher(handOff, { maxItems: 10, maxInFlight: 1 });
    const done = Array.from({ length: 25 }, (_, n) => batcher.submit(item(n)));
    await tick();
    expect(calls.map((c) => c.items.length)).toEqual([1]);
    calls[0]!.settle();
    await tick();
    expect(calls.map((c) => c.items.length)).toEqual([1, 10]);
    calls[1]!.settle();
    await tick();
    calls[2]!.settle();
    await tick();
    calls[3]!.settle();
    await Promise.all(done);
    expect(calls.map((c) => c.items.length)).toEqual([1, 10, 10, 4]);
    expect(calls.flatMap((c) => c.items.map((i) => i.outboxId))).toEqual(Array.from({ length: 25 }, (_, n) => `o-${n}`));
  });

  it('rejects the submits of a failed hand-off only, and keeps going', async () => {
    const { calls, handOff } = controlledHandOff();
    const batcher = new AnswersBatcher(handOff, { maxItems: 100, maxInFlight: 1 });
    const first = batcher.submit(item(1));
    const second = [batcher.submit(item(2)), batcher.submit(item(3))];
    await tick();
    calls[0]!.settle(new Error('redis down'));
    await expect(first).rejects.toThrow('redis down');
    await tick();
    calls[1]!.settle();
    await expect(Promise.all(second)).resolves.toEqual([undefined, undefined]);
    const later = batcher.submit(item(4));
    await tick();
    calls[2]!.settle();
    await expect(later).resolves.toBeUndefined();
  });

  it('keeps at most maxInFlight hand-offs running', async () => {
    const { calls, handOff } = controlledHandOff();
    const batcher = new AnswersBatcher(handOff, { maxItems: 5, maxInFlight: 2 });
    const done = Array.from({ length: 12 }, (_, n) => batcher.submit(item(n)));
    await tick();
    expect(calls.map((c) => c.items.length)).toEqual([1, 1]);
    calls[1]!.settle();
    await tick();
    expect(calls.map((c) => c.items.length)).toEqual([1, 1, 5]);
    calls[0]!.settle();
    await tick();
    expect(calls.map((c) => c.items.length)).toEqual([1, 1, 5, 5]);
    calls[2]!.settle();
    calls[3]!.settle();
    await Promise.all(done);
    expect(calls.reduce((n, c) => n + c.items.length, 0)).toBe(12);
  });
});
