import { type Effect, type FinalAnswer } from '../engine/index.js';
import { type Prisma } from '../db/prisma-client.js';
import type { RawSql } from '../db/sql-pool.js';
import type { QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';
import type { AnswersItem } from '../queues/job-catalog.js';
import { completeResponses, countMarksOf } from './complete-response.js';
import { cutAbandonedLinks } from './cut-links.js';
import { DEFAULT_COMPLETION_POLICY, type CompletionPolicy } from './quality-flags.js';
import { upsertAnswers } from './upsert-answers.js';

type Tx = Prisma.TransactionClient;
type Of<T extends Effect['type']> = Extract<Effect, { type: T }>;

/** Thrown when an effect refers to a response not written yet: the job retries later. */
export class ResponseNotFoundYet extends Error {
  override name = 'ResponseNotFoundYet';
}

export async function startResponse(tx: Tx, catalog: QuestionnaireCatalog, e: Of<'response_started'>, respondentId: string | null): Promise<void> {
  const q = await catalog.fetch(e.questionnaire.code, e.questionnaire.version);
  if (!q) throw new Error(`questionnaire ${e.questionnaire.code}@${e.questionnaire.version} is not stored`);
  const unit = e.unitCode ? await tx.unit.findUnique({ where: { code: e.unitCode }, select: { id: true } }) : null;
  // Test data: anything through the simulator, or answering an invitation marked test.
  const isTest = e.channel === 'simulator' || (e.invitationId ? Boolean((await tx.invitation.findUnique({ where: { id: e.invitationId }, select: { isTest: true } }))?.isTest) : false);
  await tx.response.createMany({
    data: [{ id: e.responseId, questionnaireId: q.id, unitId: unit?.id ?? null, invitationId: e.invitationId ?? null, respondentId, channel: e.channel, procedureCode: e.procedureCode ?? e.procedureText ?? null, startedAt: new Date(e.at), source: e.invitationId ? 'invited' : 'open', isTest }],
    skipDuplicates: true,
  });
}

async function requireResponse(tx: Tx, responseId: string) {
  const r = await tx.response.findUnique({ where: { id: responseId }, select: { id: true, status: true } });
  if (!r) throw new ResponseNotFoundYet(`response ${responseId} not stored yet`);
  return r;
}

export async function applyOne(tx: Tx, catalog: QuestionnaireCatalog, e: Effect, respondentId: string | null, item?: AnswersItem, policy: CompletionPolicy = DEFAULT_COMPLETION_POLICY): Promise<void> {
  const at = new Date(e.at);
  switch (e.type) {
    case 'response_started':
      return startResponse(tx, catalog, e, respondentId);
    case 'answer_recorded': {
      const r = await requireResponse(tx, e.responseId);
      if (r.status !== 'in_progress') return;
      const answer: FinalAnswer = { questionCode: e.questionCode, status: e.status, value: e.value, seq: e.seq, ...(e.score === undefined ? {} : { score: e.score }) };
      return upsertAnswers(tx, e.responseId, [answer], at);
    }
    case 'answer_removed': {
      const r = await requireResponse(tx, e.responseId);
      if (r.status !== 'in_progress') return;
      await tx.answer.deleteMany({ where: { responseId: e.responseId, questionCode: e.questionCode, seq: { lt: e.seq } } });
      return;
    }
    case 'response_completed':
      await requireResponse(tx, e.responseId);
      return completeResponses(tx, catalog, [e], countMarksOf(item ? [item] : []), policy);
    case 'response_abandoned':
      await tx.response.updateMany({ where: { id: e.responseId, status: 'in_progress' }, data: { status: 'abandoned' } });
      return cutAbandonedLinks(tx, [e.responseId]);
    case 'opted_out':
      if (e.responseId && e.responseStarted) await tx.response.updateMany({ where: { id: e.responseId, status: 'in_progress' }, data: { status: 'opted_out' } });
      if (respondentId) await tx.respondent.update({ where: { id: respondentId }, data: { optedOutAt: at } });
      if (e.invitationId) await tx.invitation.updateMany({ where: { id: e.invitationId, status: { notIn: ['completed'] } }, data: { status: 'opted_out' } });
      return;
    case 'response_resumed':
      // /stop is reversible within the idle limit: the same response continues.
      if (e.responseStarted) await tx.response.updateMany({ where: { id: e.responseId, status: 'opted_out' }, data: { status: 'in_progress' } });
      if (respondentId) await tx.respondent.update({ where: { id: respondentId }, data: { optedOutAt: null } });
      if (e.invitationId) await tx.invitation.updateMany({ where: { id: e.invitationId, status: 'opted_out' }, data: { status: e.responseStarted ? 'started' : 'opened' } });
      return;
    case 'invitation_opened':
      await tx.invitation.updateMany({ where: { id: e.invitationId, openedAt: null }, data: { openedAt: at } });
      await tx.invitation.updateMany({ where: { id: e.invitationId, status: { in: ['created', 'queued', 'sent'] } }, data: { status: 'opened' } });
      return;
    case 'invitation_started':
      await tx.invitation.updateMany({ where: { id: e.invitationId, startedAt: null }, data: { startedAt: at } });
      await tx.invitation.updateMany({ where: { id: e.invitationId, status: { in: ['created', 'queued', 'sent', 'opened'] } }, data: { status: 'started' } });
      return;
    case 'schedule_reminder':
    case 'cancel_reminders':
      // Handled by the reminders queue, not the database.
      return;
    default: {
      const unhandled: never = e;
      throw new Error(`unhandled effect ${(unhandled as Effect).type}`);
    }
  }
}

/**
 * Applies one item's effects in order inside the caller's transaction: the general path,
 * for conversations whose effects change a response's or respondent's status (stop,
 * resume, abandon), where order matters beyond what seq numbers protect. Idempotent:
 * responses are created with skipDuplicates, answers only overwrite older seqs,
 * completion rolls up once.
 */
export async function applyItemInOrder(tx: Tx, catalog: QuestionnaireCatalog, item: AnswersItem, policy: CompletionPolicy = DEFAULT_COMPLETION_POLICY): Promise<void> {
  let respondentId: string | null = null;
  if (item.respondent && item.effects.some((e) => e.type === 'response_started' || e.type === 'opted_out' || e.type === 'response_resumed')) {
    respondentId = (await respondentIds(tx, [item.respondent])).get(respondentKey(item.respondent)) ?? null;
  }
  for (const e of item.effects) await applyOne(tx, catalog, e, respondentId, item, policy);
}

type Respondent = NonNullable<AnswersItem['respondent']>;
export const respondentKey = (r: Respondent) => `${r.channel}\u0000${r.externalId}`;

/**
 * Ids of the given channel identities, creating missing ones. Insert-or-skip then read
 * (not an upsert that touches existing rows): no dead tuples for the common case, and a
 * concurrent insert of the same identity is waited for by ON CONFLICT, then read.
 */
export async function respondentIds(tx: RawSql, respondents: Respondent[]): Promise<Map<string, string>> {
  const unique = [...new Map(respondents.map((r) => [respondentKey(r), r])).values()].sort((a, b) => (respondentKey(a) < respondentKey(b) ? -1 : 1));
  const ids = new Map<string, string>();
  if (unique.length === 0) return ids;
  const channels = unique.map((r) => r.channel);
  const externals = unique.map((r) => r.externalId);
  await tx.$executeRaw`
    INSERT INTO respondents (id, channel, external_id, updated_at)
    SELECT gen_random_uuid(), t.channel::"Channel", t.external_id, now()
    FROM unnest(${channels}::text[], ${externals}::text[]) AS t(channel, external_id)
    ON CONFLICT (channel, external_id) DO NOTHING`;
  const rows = await tx.$queryRaw<{ id: string; channel: Respondent['channel']; external_id: string }[]>`
    SELECT r.id, r.channel::text AS channel, r.external_id
    FROM respondents r JOIN unnest(${channels}::text[], ${externals}::text[]) AS t(channel, external_id)
      ON r.channel = t.channel::"Channel" AND r.external_id = t.external_id`;
  for (const r of rows) ids.set(respondentKey({ channel: r.channel, externalId: r.external_id }), r.id);
  return ids;
}
