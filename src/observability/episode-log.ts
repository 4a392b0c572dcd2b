import type { Logger } from './create-logger.js';

/**
 * One log line per episode instead of one per occurrence: the first occurrence of a
 * key is logged; repeats are counted silently while they keep coming less than `quietMs`
 * apart; the next occurrence after a quiet gap starts a new episode and says how many
 * repeats the last one had. An outage of a dependency is one warn line, not thousands.
 */
export class EpisodeLog {
  private readonly open = new Map<string, { lastAt: number; repeats: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly quietMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  report(key: string, level: 'warn' | 'error', fields: Record<string, unknown>, message: string): void {
    const at = this.now();
    const episode = this.open.get(key);
    if (episode && at - episode.lastAt < this.quietMs) {
      episode.lastAt = at;
      episode.repeats++;
      return;
    }
    this.open.set(key, { lastAt: at, repeats: 0 });
    this.logger[level]({ ...fields, episode: key, ...(episode ? { repeatsInLastEpisode: episode.repeats } : {}) }, message);
  }
}
