import { vietnamDay } from '../core/vietnam-day.js';
import type { Db } from '../db/prisma-client.js';
import { isoDay, type RoundWithQuotas } from './round-store.js';

/** Funnel counts of one unit, one group or the whole round. */
export type ProgressCounts = {
  target: number;
  invited: number;
  sent: number;
  opened: number;
  started: number;
  /** Counted completed responses of the round (invited and open survey). */
  completed: number;
  completedInvited: number;
  completedOpen: number;
  undeliverable: number;
  optedOut: number;
  cancelled: number;
  /** Invitations that got the one reminder for those who never opened. */
  remindedUnopened: number;
};
export type UnitProgress = ProgressCounts & { unitCode: string; unitName: string; group: string; completionRate: number | null; quotaMet: boolean };
export type GroupProgress = ProgressCounts & { group: string; units: number; unitsWithQuotaMet: number; completionRate: number | null; quotaMet: boolean };
export type RoundProgress = {
  round: string;
  open: boolean;
  daysLeft: number;
  units: UnitProgress[];
  groups: GroupProgress[];
  total: ProgressCounts & { units: number; unitsWithQuotaMet: number; completionRate: number | null; quotaMet: boolean };
};

type StatusRow = { unitId: number; status: string; n: number; sent: number; opened: number; started: number; reminded: number };
type InvitationRow = { invited: number; sent: number; opened: number; started: number; undeliverable: number; optedOut: number; cancelled: number; reminded: number };

/** How far down the funnel (1 sent, 2 opened, 3 started) an invitation in this status has certainly gone. */
const FUNNEL_REACHED: Record<string, number> = { opened: 2, started: 3, completed: 3 };

function foldStatuses(rows: StatusRow[]): Map<number, InvitationRow> {
  const out = new Map<number, InvitationRow>();
  for (const r of rows) {
    let u = out.get(r.unitId);
    if (!u) out.set(r.unitId, (u = { invited: 0, sent: 0, opened: 0, started: 0, undeliverable: 0, optedOut: 0, cancelled: 0, reminded: 0 }));
    if (r.status === 'cancelled') u.cancelled += r.n;
    else u.invited += r.n;
    if (r.status === 'undeliverable') u.undeliverable += r.n;
    if (r.status === 'opted_out') u.optedOut += r.n;
    // A finished survey's invitation loses its exact times (anonymity at rest, responses/cut-links.ts):
    // its status alone says how far down the funnel it went.
    const reached = FUNNEL_REACHED[r.status] ?? 0;
    u.sent += reached >= 1 ? r.n : r.sent;
    u.opened += reached >= 2 ? r.n : r.opened;
    u.started += reached >= 3 ? r.n : r.started;
    u.reminded += r.reminded;
  }
  return out;
}
type CompletedRow = { unitId: number; invited: number; open: number };

const zero = (): ProgressCounts => ({ target: 0, invited: 0, sent: 0, opened: 0, started: 0, completed: 0, completedInvited: 0, completedOpen: 0, undeliverable: 0, optedOut: 0, cancelled: 0, remindedUnopened: 0 });
const COUNT_KEYS = Object.keys(zero()) as (keyof ProgressCounts)[];
const add = (into: ProgressCounts, c: ProgressCounts) => COUNT_KEYS.forEach((k) => (into[k] += c[k]));
/** Counted completions per invitation delivered (null before anything was sent). */
const rateOf = (c: ProgressCounts) => (c.sent > 0 ? Math.round((c.completedInvited / c.sent) * 10_000) / 10_000 : null);

/**
 * Progress of a round per unit, per unit group and in total. Reads the invitations
 * through one covering index (round, test, unit, status + funnel times) and the
 * counted responses of the round; trial data (`is_test`) is left out.
 */
export async function roundProgress(db: Db, round: RoundWithQuotas, now: Date): Promise<RoundProgress> {
  const [invitations, completed] = await db.$transaction(async (tx) => {
    // With one round holding most rows the planner prefers a sequential scan of the whole
    // table; the covering index answers the same question from far fewer pages.
    await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
    return Promise.all([
      // Grouped by unit and status (few groups, cheap counts), folded per unit below.
      tx.$queryRaw<StatusRow[]>`
        SELECT unit_id AS "unitId", status::text AS status, count(*)::int AS n, count(sent_at)::int AS sent, count(opened_at)::int AS opened,
          count(started_at)::int AS started, count(unopened_reminder_at)::int AS reminded
        FROM invitations WHERE round_id = ${round.id} AND is_test = false GROUP BY unit_id, status`,
      tx.$queryRaw<CompletedRow[]>`
        SELECT unit_id AS "unitId", count(*) FILTER (WHERE source = 'invited')::int AS invited, count(*) FILTER (WHERE source = 'open')::int AS open
        FROM responses WHERE round_id = ${round.id} AND status = 'completed' AND counted AND NOT is_test GROUP BY unit_id`,
    ]);
  });
  const inv = foldStatuses(invitations);
  const done = new Map(completed.map((r) => [r.unitId, r]));

  const units: UnitProgress[] = round.quotas
    .map((q) => {
      const i = inv.get(q.unitId);
      const d = done.get(q.unitId);
      const c: ProgressCounts = {
        target: q.target,
        invited: i?.invited ?? 0,
        sent: i?.sent ?? 0,
        opened: i?.opened ?? 0,
        started: i?.started ?? 0,
        completedInvited: d?.invited ?? 0,
        completedOpen: d?.open ?? 0,
        completed: (d?.invited ?? 0) + (d?.open ?? 0),
        undeliverable: i?.undeliverable ?? 0,
        optedOut: i?.optedOut ?? 0,
        cancelled: i?.cancelled ?? 0,
        remindedUnopened: i?.reminded ?? 0,
      };
      return { unitCode: q.unit.code, unitName: q.unit.name, group: q.unit.group, ...c, completionRate: rateOf(c), quotaMet: c.completed >= q.target };
    })
    .sort((a, b) => a.group.localeCompare(b.group, 'vi') || a.unitCode.localeCompare(b.unitCode));

  const groups = new Map<string, GroupProgress>();
  const total = { ...zero(), units: 0, unitsWithQuotaMet: 0 };
  for (const u of units) {
    let g = groups.get(u.group);
    if (!g) groups.set(u.group, (g = { group: u.group, ...zero(), units: 0, unitsWithQuotaMet: 0, completionRate: null, quotaMet: false }));
    for (const into of [g, total]) {
      add(into, u);
      into.units += 1;
      if (u.quotaMet) into.unitsWithQuotaMet += 1;
    }
  }
  for (const g of groups.values()) Object.assign(g, { completionRate: rateOf(g), quotaMet: g.unitsWithQuotaMet === g.units });

  const today = isoDay(vietnamDay(now));
  const open = !round.closedAt && isoDay(round.opensOn) <= today && today <= isoDay(round.closesOn);
  const daysLeft = round.closedAt ? 0 : Math.max(0, Math.round((round.closesOn.getTime() - new Date(`${today}T00:00:00Z`).getTime()) / 86_400_000) + 1);
  return {
    round: round.code,
    open,
    daysLeft: Math.min(daysLeft, Math.round((round.closesOn.getTime() - round.opensOn.getTime()) / 86_400_000) + 1),
    units,
    groups: [...groups.values()],
    total: { ...total, completionRate: rateOf(total), quotaMet: total.unitsWithQuotaMet === total.units },
  };
}
