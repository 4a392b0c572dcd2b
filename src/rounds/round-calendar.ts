import { vietnamDay } from '../core/vietnam-day.js';
import type { Db } from '../db/prisma-client.js';
import { openRoundWindows } from './round-store.js';

/** The counting period of a response outside any round: the calendar year (Asia/Ho_Chi_Minh). */
export const yearPeriodOf = (at: Date): string => String(vietnamDay(at).getUTCFullYear());

/**
 * Which round is open for a unit at a moment, for the webhook path: the windows of the
 * rounds not yet closed, reloaded in the background (and at once in the process that
 * changed a round), so an event never waits on this query after the first.
 */
export class RoundCalendar {
  private windows = new Map<string, { code: string; opensOn: string; closesOn: string }[]>();
  private loadedAt = 0;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly maxAgeMs = 30_000,
  ) {}

  async refresh(): Promise<void> {
    this.loading ??= openRoundWindows(this.db)
      .then((rows) => {
        const next = new Map<string, { code: string; opensOn: string; closesOn: string }[]>();
        for (const { unitCode, ...w } of rows) next.set(unitCode, [...(next.get(unitCode) ?? []), w]);
        this.windows = next;
        this.loadedAt = Date.now();
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** Marks the cache stale: the next lookup reloads it first. */
  invalidate(): void {
    this.loadedAt = 0;
  }

  /**
   * The period in which a person is counted once per unit: the round open for the unit
   * (`round:<code>`), or the calendar year when none is.
   */
  async periodOf(unitCode: string, at: Date): Promise<string> {
    if (this.loadedAt === 0) await this.refresh();
    else if (Date.now() - this.loadedAt > this.maxAgeMs) void this.refresh().catch(() => undefined);
    const day = vietnamDay(at).toISOString().slice(0, 10);
    const round = this.windows.get(unitCode)?.find((w) => w.opensOn <= day && day <= w.closesOn);
    return round ? `round:${round.code}` : yearPeriodOf(at);
  }
}
