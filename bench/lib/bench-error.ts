/** What a results file holds for a benchmark that crashed. */
export type BenchError = { message: string; stack?: string };

/** A benchmark's entry in a results file is an error, not figures (no result has a top-level `message`). */
export const isError = (x: unknown): x is BenchError => typeof x === 'object' && x !== null && 'message' in x && !('runs' in x);
