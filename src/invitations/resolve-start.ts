import type { StartContext } from '../engine/inbound-event.js';
import type { Db } from '../db/prisma-client.js';

const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;
const UNIT_PAYLOAD = /^u_([A-Za-z0-9._-]{1,60})$/;

export type DefaultQuestionnaire = () => Promise<{ code: string; version: number } | undefined>;

/**
 * Turns what a citizen started with — a Telegram /start payload (token or `u_<unit>`),
 * or a Zalo short code — into the engine's start context. Unknown tokens never reveal
 * whether an invitation exists for someone else: they resolve to `unknown_invitation`.
 */
export async function resolveStart(
  db: Db,
  defaultQuestionnaire: DefaultQuestionnaire,
  input: { payload?: string; shortCode?: string },
  now: Date,
): Promise<StartContext> {
  const payload = input.payload?.trim();
  // A token may itself start with "u_" (tokens issued before that was avoided): a real invitation wins.
  const tokenHit = payload && TOKEN.test(payload) && UNIT_PAYLOAD.test(payload) ? await db.invitation.findUnique({ where: { token: payload }, select: { id: true } }) : null;
  const unit = payload && !tokenHit ? UNIT_PAYLOAD.exec(payload) : null;
  if (!input.shortCode && (!payload || unit)) {
    const q = await defaultQuestionnaire();
    if (!q) return { kind: 'unknown_invitation' };
    return { kind: 'open', questionnaire: q, ...(unit ? { unitCode: unit[1]! } : {}) };
  }
  if (payload && !TOKEN.test(payload)) return { kind: 'unknown_invitation' };
  const inv = await db.invitation.findUnique({
    where: input.shortCode ? { code: input.shortCode } : { token: payload! },
    include: { unit: true, questionnaire: { select: { code: true, version: true } } },
  });
  if (!inv) return { kind: 'unknown_invitation' };
  const used = ['started', 'completed', 'opted_out'].includes(inv.status);
  const expired = inv.status === 'expired' || inv.status === 'undeliverable' || inv.expiresAt.getTime() <= now.getTime();
  return {
    kind: 'invitation',
    invitation: {
      id: inv.id,
      token: inv.token,
      unitCode: inv.unit.code,
      unitName: inv.unit.name,
      questionnaire: { code: inv.questionnaire.code, version: inv.questionnaire.version },
      ...(inv.procedureCode ? { procedureCode: inv.procedureCode } : {}),
      status: used ? 'used' : expired ? 'expired' : 'usable',
    },
  };
}

