import { randomBytes } from 'node:crypto';
import { canUseUnit, type Principal } from '../auth/principal.js';
import type { AppConfig } from '../config/load-config.js';
import { AppError } from '../core/app-error.js';
import { vietnamDay } from '../core/vietnam-day.js';
import type { Db } from '../db/prisma-client.js';
import { recipientFields } from '../invitations/invitation-recipient.js';
import { isoDay, recordSampleSeed, type RoundWithQuotas } from '../rounds/round-store.js';
import { drawKeyOf, sampleSize, waveOf } from './draw-sample.js';
import { eligibility, type EligibilityRules } from './frame-eligibility.js';
import type { FrameOptions } from './frame-row-schema.js';
import { addFrameRows, drawRows, frameCounts, type NewFrameRow } from './frame-store.js';
import { parseFrame } from './parse-frame.js';

export type FrameRejection = { row: number; code: string; reason: string };
export type FrameUnitDraw = { unitCode: string; target: number; eligible: number; sampleSize: number; drawn: number; drawnNow: number };
export type FrameUploadResult = {
  round: string;
  seed: string;
  size: FrameOptions['size'];
  waves: number;
  rows: number;
  accepted: number;
  added: number;
  rejected: FrameRejection[];
  units: FrameUnitDraw[];
};

const HOUR = 3600_000;
/** 00:00 Asia/Ho_Chi_Minh of a day. */
const vietnamMidnight = (day: Date) => new Date(day.getTime() - 7 * HOUR);

function rulesFor(round: RoundWithQuotas, principal: Principal, config: AppConfig, now: Date): EligibilityRules {
  return {
    eligibleFrom: round.eligibleFrom ? isoDay(round.eligibleFrom) : null,
    eligibleTo: round.eligibleTo ? isoDay(round.eligibleTo) : null,
    today: isoDay(vietnamDay(now)),
    units: new Set(round.quotas.map((q) => q.unit.code).filter((c) => canUseUnit(principal, c))),
    channels: { telegram: Boolean(config.telegram), zalo: Boolean(config.zalo), zns: Boolean(config.zalo?.znsTemplateId) },
  };
}

/**
 * Takes a round's sampling frame: keeps the eligible rows (completion in the window, a
 * unit of the round, a reachable channel; every other row is reported with its reason),
 * adds them to the pool, and draws each unit's sample up to its size in the seeded order,
 * spread over waves. The sampling upkeep then invites each wave when it is due.
 */
export async function uploadFrame(
  deps: { db: Db; config: AppConfig; now: () => Date },
  principal: Principal,
  round: RoundWithQuotas,
  upload: { body: unknown; isCsv: boolean },
  options: FrameOptions,
): Promise<FrameUploadResult> {
  const { db, config } = deps;
  const now = deps.now();
  if (round.closedAt) throw new AppError('conflict', 'round_closed', `round ${round.code} is closed`);
  if (isoDay(round.closesOn) < isoDay(vietnamDay(now))) throw new AppError('conflict', 'round_closed', `round ${round.code} ended on ${isoDay(round.closesOn)}`);
  if (options.seed && round.sampleSeed && options.seed !== round.sampleSeed) {
    throw new AppError('conflict', 'seed_fixed', `round ${round.code} draws with seed "${round.sampleSeed}" (recorded at its first upload); leave "seed" out or give the same one`);
  }
  const seed = round.sampleSeed ?? options.seed ?? randomBytes(8).toString('hex');
  const rules = rulesFor(round, principal, config, now);
  const unitIds = new Map(round.quotas.map((q) => [q.unit.code, q.unitId]));

  const rejected: FrameRejection[] = [];
  const accepted: NewFrameRow[] = [];
  const seen = new Map<string, number>();
  const parsed = parseFrame(upload.body, upload.isCsv);
  for (const p of parsed) {
    if (!('input' in p)) {
      rejected.push({ row: p.row, code: p.code, reason: p.reason });
      continue;
    }
    const r = p.input;
    const twin = seen.get(`${r.unitCode}\u0000${r.dossierCode}`);
    if (twin) {
      rejected.push({ row: p.row, code: 'duplicate', reason: `dossier already in row ${twin}` });
      continue;
    }
    seen.set(`${r.unitCode}\u0000${r.dossierCode}`, p.row);
    const channel = eligibility(r, rules);
    if (typeof channel !== 'string') {
      rejected.push({ row: p.row, ...channel });
      continue;
    }
    let recipient;
    try {
      recipient = recipientFields(channel, { ...(r.phone ? { phone: r.phone } : {}), ...(r.telegramChatId ? { telegramChatId: r.telegramChatId } : {}), ...(r.zaloUserId ? { zaloUserId: r.zaloUserId } : {}) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      rejected.push({ row: p.row, code: err.code, reason: err.message });
      continue;
    }
    accepted.push({ unitId: unitIds.get(r.unitCode)!, procedureCode: r.procedureCode ?? null, dossierCode: r.dossierCode, completedOn: r.completedOn, channel, ...recipient, drawKey: drawKeyOf(seed, r.unitCode, r.dossierCode) });
  }

  if (!round.sampleSeed) await recordSampleSeed(db, round.id, seed);
  const added = await addFrameRows(db, round.id, accepted);

  // Waves start when the round opens (or now), one every `waveHours`.
  const start = new Date(Math.max(now.getTime(), vietnamMidnight(round.opensOn).getTime()));
  const counts = await frameCounts(db, round.id);
  const units: FrameUnitDraw[] = [];
  for (const q of round.quotas) {
    if (!rules.units.has(q.unit.code)) continue;
    const c = counts.get(q.unitId) ?? { pool: 0, drawn: 0, undeliverable: 0 };
    const eligible = c.pool + c.drawn + c.undeliverable;
    const size = sampleSize(options.size, eligible, q.target, options.margin);
    const drawnNow = await drawRows(db, round.id, q.unitId, size - c.drawn, (i) => {
      const wave = waveOf(c.drawn + i, size, options.waves);
      return { wave, dueAt: new Date(start.getTime() + (wave - 1) * options.waveHours * HOUR) };
    });
    units.push({ unitCode: q.unit.code, target: q.target, eligible, sampleSize: size, drawn: c.drawn + drawnNow, drawnNow });
  }
  units.sort((a, b) => a.unitCode.localeCompare(b.unitCode));
  return { round: round.code, seed, size: options.size, waves: options.waves, rows: parsed.length, accepted: accepted.length, added, rejected, units };
}
