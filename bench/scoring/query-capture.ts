import pg from 'pg';

export type CapturedQuery = { text: string; values: unknown[]; startedAt: number; endedAt: number };

type QueryFn = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Runs `fn` while recording every statement node-postgres sends from this process — the
 * product's own pools included, since the benchmark and the product load the same `pg` —
 * with when it was sent and when its answer was back. The benchmark times the parts of a
 * report this way and EXPLAINs the product's exact queries, without calling the
 * product's internals. `pg.Client.prototype.query` is put back afterwards.
 */
export async function captureQueries<T>(fn: () => Promise<T>): Promise<{ value: T; queries: CapturedQuery[]; startedAt: number; endedAt: number }> {
  const proto = pg.Client.prototype as unknown as { query: QueryFn };
  const original = proto.query;
  const queries: CapturedQuery[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [config, second] = args as [string | { text?: string; values?: unknown[] }, unknown];
    const q: CapturedQuery = {
      text: typeof config === 'string' ? config : (config?.text ?? ''),
      values: Array.isArray(second) ? second : typeof config === 'object' ? (config?.values ?? []) : [],
      startedAt: performance.now(),
      endedAt: NaN,
    };
    queries.push(q);
    const done = () => (q.endedAt = performance.now());
    // Callback form (node-postgres' own pool uses it) or promise form (everything else).
    const cb = args.findIndex((a) => typeof a === 'function');
    if (cb >= 0) {
      const callback = args[cb] as (...a: unknown[]) => void;
      args[cb] = (...a: unknown[]) => {
        done();
        callback(...a);
      };
    }
    const result = original.apply(this, args);
    if (result instanceof Promise) result.then(done, done);
    return result;
  };
  const startedAt = performance.now();
  try {
    const value = await fn();
    return { value, queries, startedAt, endedAt: performance.now() };
  } finally {
    proto.query = original;
  }
}
