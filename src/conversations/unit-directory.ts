import { type UnitRef } from '../engine/index.js';
import type { Db } from '../db/prisma-client.js';

/**
 * Active units for open surveys, refreshed in the background so the engine's lookup
 * stays synchronous and a webhook never waits on this query.
 */
export class UnitDirectory {
  private units: UnitRef[] = [];
  private loadedAt = 0;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly maxAgeMs = 60_000,
  ) {}

  async refresh(): Promise<void> {
    this.loading ??= this.db.unit
      .findMany({ where: { active: true }, select: { code: true, name: true }, orderBy: { code: 'asc' } })
      .then((rows) => {
        this.units = rows;
        this.loadedAt = Date.now();
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }

  private missRefreshAt = 0;

  /**
   * The current list, reloaded first when it lacks `code` (a unit added since the last
   * refresh, whose QR is already at the counter) — at most every few seconds, so unknown
   * codes cannot make every webhook query the table.
   */
  async listWith(code: string | undefined, fold: (s: string) => string): Promise<readonly UnitRef[]> {
    const units = await this.list();
    if (!code || units.some((u) => fold(u.code) === fold(code)) || Date.now() - this.missRefreshAt < 5_000) return units;
    this.missRefreshAt = Date.now();
    await this.refresh();
    return this.units;
  }

  /** The current list; triggers a refresh when stale (awaited only on first use). */
  async list(): Promise<readonly UnitRef[]> {
    if (this.loadedAt === 0) await this.refresh();
    else if (Date.now() - this.loadedAt > this.maxAgeMs) void this.refresh().catch(() => undefined);
    return this.units;
  }
}
