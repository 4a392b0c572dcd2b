import type { Db } from '../db/prisma-client.js';
import { Prisma } from '../db/prisma-client.js';
import type { RawSql } from '../db/sql-pool.js';
import type { StartContext } from '../engine/index.js';
import type { QuestionnaireCatalog, StoredQuestionnaire } from '../questionnaire/questionnaire-catalog.js';

const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;
const UNIT_PAYLOAD = /^u_([A-Za-z0-9._-]{1,60})$/;

export type ResolveStartDeps = {
  db: Db;
  /** The invitation lookup of every /start: one joined query on node-postgres (cheaper than Prisma's two). */
  sql: RawSql;
  catalog: QuestionnaireCatalog;
  /** The questionnaire an open survey starts (undefined: none is active). */
  openQuestionnaire: () => Promise<StoredQuestionnaire | undefined>;
};

/**
 * Turns what a citizen started with — a Telegram /start payload (token or `u_<unit>`),
 * or a Zalo short code — into the engine's start context. Unknown tokens never reveal
 * whether an invitation exists for someone else: they resolve to `unknown_invitation`.
 * The questionnaires it names are loaded into the catalog, where the engine finds them.
 */
export async function resolveStart(deps: ResolveStartDeps, input: { payload?: string; shortCode?: string }, now: Date): Promise<StartContext> {
  const { db } = deps;
  const payload = input.payload?.trim();
  // A token may itself start with "u_" (tokens issued before that was avoided): a real invitation wins.
  const tokenHit = payload && TOKEN.test(payload) && UNIT_PAYLOAD.test(payload) ? await db.invitation.findUnique({ where: { token: payload }, select: { id: true } }) : null;
  const unit = payload && !tokenHit ? UNIT_PAYLOAD.exec(payload) : null;
  if (!input.shortCode && (!payload || unit)) {
    const q = await deps.openQuestionnaire();
    if (!q) return { kind: 'unknown_invitation' };
    return { kind: 'open', questionnaire: { code: q.code, version: q.version }, ...(unit ? { unitCode: unit[1]! } : {}) };
  }
  if (payload && !TOKEN.test(payload)) return { kind: 'unknown_invitation' };
  const inv = await findStartingInvitation(deps.sql, input.shortCode ? { code: input.shortCode } : { token: payload! });
  if (!inv) return { kind: 'unknown_invitation' };
  const questionnaire = await deps.catalog.byRowId(inv.questionnaireId);
  const used = ['started', 'completed', 'opted_out'].includes(inv.status);
  const expired = inv.status === 'expired' || inv.status === 'undeliverable' || inv.expiresAt.getTime() <= now.getTime();
  return {
    kind: 'invitation',
    invitation: {
      id: inv.id,
      token: inv.token,
      unitCode: inv.unitCode,
      unitName: inv.unitName,
      questionnaire: { code: questionnaire.code, version: questionnaire.version },
      ...(inv.procedureCode ? { procedureCode: inv.procedureCode } : {}),
      status: used ? 'used' : inv.status === 'cancelled' ? 'cancelled' : expired ? 'expired' : 'usable',
    },
  };
}

type StartingInvitation = { id: string; token: string; status: string; expiresAt: Date; questionnaireId: number; procedureCode: string | null; unitCode: string; unitName: string };

/** The invitation a /start names (by token or short code), with its unit. */
async function findStartingInvitation(sql: RawSql, by: { token: string } | { code: string }): Promise<StartingInvitation | undefined> {
  const where = 'token' in by ? Prisma.sql`i.token = ${by.token}` : Prisma.sql`i.code = ${by.code}`;
  const rows = await sql.$queryRaw<StartingInvitation[]>`
    SELECT i.id, i.token, i.status::text AS status, (i.expires_at AT TIME ZONE 'UTC') AS "expiresAt", i.questionnaire_id AS "questionnaireId",
           i.procedure_code AS "procedureCode", u.code AS "unitCode", u.name AS "unitName"
    FROM invitations i JOIN units u ON u.id = i.unit_id
    WHERE ${where}`;
  return rows[0];
}
