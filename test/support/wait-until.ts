/** Polls `probe` every `everyMs` until it returns a value other than undefined/false, or fails after timeoutMs. */
export async function waitUntil<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 30_000, everyMs = 25): Promise<Exclude<T, undefined | false>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v as Exclude<T, undefined | false>;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
