import { type Effect } from '../engine/index.js';
import type { Db } from '../db/prisma-client.js';
import type { RawSql, SqlPool } from '../db/sql-pool.js';
import type { QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';
import type { AnswersItem } from '../queues/job-catalog.js';
import { completeResponses, countMarksOf } from './complete-response.js';
import { DEFAULT_COMPLETION_POLICY, type CompletionPolicy } from './quality-flags.js';
import { applyItemInOrder, ResponseNotFoundYet, respondentIds, respondentKey } from './persist-effects.js';
import { upsertAnswerRows, type AnswerRow } from './upsert-answers.js';

type Tx = RawSql;
/** Prisma for the in-order path; node-postgres for the set-based statements (see sql-pool.ts). */
export type BatchStore = { db: Db; sql: SqlPool };
type Of<T extends Effect['type']> = Extract<Effect, { type: T }>;
type Located<E> = { e: E; item: AnswersItem };

/** Effects whose meaning depends on their order relative to others of the same conversation. */
const ORDERED = new Set<Effect['type']>(['opted_out', 'response_resumed', 'response_abandoned']);

const TX_OPTIONS = { maxWait: 10_000, timeout: 60_000 };

/**
 * Persists one answers job — the items of many events, usually of many citizens — in
 * one transaction, with one multi-row statement per kind of write. If the transaction
 * fails, each conversation is retried in a transaction of its own, so one bad item
 * cannot hold back the others' answers; the job then fails (and is retried) only if
 * some conversation still failed. Every write is idempotent, so re-applying the items
 * that did succeed is harmless.
 */
export async function persistBatch(store: BatchStore, catalog: QuestionnaireCatalog, items: AnswersItem[], policy: CompletionPolicy = DEFAULT_COMPLETION_POLICY): Promise<void> {
  try {
    await applyBatch(store, catalog, items, policy);
    return;
  } catch (err) {
    const groups = byConversation(items);
    if (groups.length === 1) throw err;
    const failures: unknown[] = [];
    for (const group of groups) {
      try {
        await applyBatch(store, catalog, group, policy);
      } catch (e) {
        failures.push(e);
      }
    }
    if (failures.length > 0) throw failures.length === 1 ? failures[0] : new AggregateError(failures, `${failures.length} of ${groups.length} conversations failed`);
  }
}

/**
 * The set-based conversations in one transaction, the in-order ones in another: they are
 * independent of each other, and if the second fails after the first committed, the
 * retry re-applies the first harmlessly.
 */
async function applyBatch(store: BatchStore, catalog: QuestionnaireCatalog, items: AnswersItem[], policy: CompletionPolicy): Promise<void> {
  const setBased: AnswersItem[] = [];
  const inOrder: AnswersItem[] = [];
  for (const group of byConversation(items)) (group.some((i) => i.effects.some((e) => ORDERED.has(e.type))) ? inOrder : setBased).push(...group);
  if (setBased.length > 0) await store.sql.transaction((tx) => applySetBased(tx, catalog, setBased, policy));
  if (inOrder.length > 0) {
    await store.db.$transaction(async (tx) => {
      for (const item of inOrder) await applyItemInOrder(tx, catalog, item, policy);
    }, TX_OPTIONS);
  }
}

/** A conversation's items keep their order; conversations are independent of each other. */
function byConversation(items: AnswersItem[]): AnswersItem[][] {
  const groups = new Map<string, AnswersItem[]>();
  for (const item of items) {
    const key = item.respondent ? respondentKey(item.respondent) : `outbox\u0000${item.outboxId}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.values()];
}

/**
 * Conversations with only starts, answers, removals, completions and invitation
 * progress: stages in a fixed order (create responses, invitation progress, answers,
 * completions) are equivalent to applying each conversation's effects in order, since
 * answers are ordered by seq and completion replaces a response's answers.
 */
async function applySetBased(tx: Tx, catalog: QuestionnaireCatalog, items: AnswersItem[], policy: CompletionPolicy): Promise<void> {
  const located = items.flatMap((item) => item.effects.map((e) => ({ e, item })));
  if (located.length === 0) return;
  const of = <T extends Effect['type']>(type: T) => located.filter((l): l is Located<Of<T>> => l.e.type === type);

  const statuses = await ensureResponses(tx, catalog, of('response_started'), located);
  await applyInvitationProgress(tx, of('invitation_opened').map((l) => l.e), of('invitation_started').map((l) => l.e));
  await applyAnswers(tx, statuses, [...of('answer_recorded'), ...of('answer_removed')]);
  await completeResponses(tx, catalog, of('response_completed').map((l) => l.e), countMarksOf(items), policy);
}

/** Creates the responses that do not exist yet and returns every referenced response's status. */
async function ensureResponses(tx: Tx, catalog: QuestionnaireCatalog, starts: Located<Of<'response_started'>>[], located: Located<Effect>[]): Promise<Map<string, string>> {
  const referenced = new Set<string>();
  for (const { e } of located) if ('responseId' in e && e.responseId && e.type !== 'invitation_started') referenced.add(e.responseId);
  let statuses = await responseStatuses(tx, [...referenced]);

  const missing = [...new Map(starts.filter((s) => !statuses.has(s.e.responseId)).map((s) => [s.e.responseId, s])).values()];
  if (missing.length > 0) {
    const respondents = await respondentIds(tx, missing.flatMap((s) => (s.item.respondent ? [s.item.respondent] : [])));
    const unitCodes = [...new Set(missing.flatMap((s) => (s.e.unitCode ? [s.e.unitCode] : [])))];
    const units = new Map((await tx.$queryRaw<{ id: number; code: string }[]>`SELECT id, code FROM units WHERE code = ANY(${unitCodes}::text[])`).map((u) => [u.code, u.id]));
    const data: { id: string; questionnaireId: number; unitId: number | null; invitationId: string | null; respondentId: string | null; channel: string; procedureCode: string | null; startedAt: string; source: string }[] = [];
    for (const { e, item } of missing) {
      const q = await catalog.fetch(e.questionnaire.code, e.questionnaire.version);
      if (!q) throw new Error(`questionnaire ${e.questionnaire.code}@${e.questionnaire.version} is not stored`);
      data.push({
        id: e.responseId,
        questionnaireId: q.id,
        unitId: e.unitCode ? (units.get(e.unitCode) ?? null) : null,
        invitationId: e.invitationId ?? null,
        respondentId: item.respondent ? (respondents.get(respondentKey(item.respondent)) ?? null) : null,
        channel: e.channel,
        procedureCode: e.procedureCode ?? e.procedureText ?? null,
        startedAt: e.at,
        source: e.invitationId ? 'invited' : 'open',
      });
    }
    data.sort((a, b) => (a.id < b.id ? -1 : 1));
    const col = <T>(f: (r: (typeof data)[number]) => T) => data.map(f);
    await tx.$executeRaw`
      INSERT INTO responses (id, questionnaire_id, unit_id, invitation_id, respondent_id, channel, procedure_code, started_at, updated_at, source, is_test)
      SELECT t.id, t.q, t.unit, t.invitation, t.respondent, t.channel::"Channel", t.procedure, t.started::timestamptz AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', t.source::"ResponseSource",
        -- Test data: anything through the simulator, or answering an invitation marked test.
        t.channel = 'simulator' OR EXISTS (SELECT 1 FROM invitations i WHERE i.id = t.invitation AND i.is_test)
      FROM unnest(${col((r) => r.id)}::uuid[], ${col((r) => r.questionnaireId)}::int[], ${col((r) => r.unitId)}::int[], ${col((r) => r.invitationId)}::uuid[],
        ${col((r) => r.respondentId)}::uuid[], ${col((r) => r.channel)}::text[], ${col((r) => r.procedureCode)}::text[], ${col((r) => r.startedAt)}::text[], ${col((r) => r.source)}::text[])
        AS t(id, q, unit, invitation, respondent, channel, procedure, started, source)
      ON CONFLICT DO NOTHING`;
    statuses = new Map([...statuses, ...(await responseStatuses(tx, missing.map((s) => s.e.responseId)))]);
  }
  const absent = [...referenced].filter((id) => !statuses.has(id));
  if (absent.length > 0) throw new ResponseNotFoundYet(`${absent.length} response(s) not stored yet`);
  return statuses;
}

async function responseStatuses(tx: Tx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ id: string; status: string }[]>`SELECT id::text, status::text FROM responses WHERE id = ANY(${ids}::uuid[])`;
  return new Map(rows.map((r) => [r.id, r.status]));
}

/** Per (response, question) only the newest change counts: an answer is upserted, a removal deletes older ones. */
async function applyAnswers(tx: Tx, statuses: Map<string, string>, changes: Located<Of<'answer_recorded'> | Of<'answer_removed'>>[]): Promise<void> {
  const newest = new Map<string, Of<'answer_recorded'> | Of<'answer_removed'>>();
  for (const { e } of changes) {
    if (statuses.get(e.responseId) !== 'in_progress') continue;
    const key = `${e.responseId}\u0000${e.questionCode}`;
    const held = newest.get(key);
    if (!held || held.seq < e.seq) newest.set(key, e);
  }
  const upserts: AnswerRow[] = [];
  const removals: Of<'answer_removed'>[] = [];
  for (const e of newest.values()) {
    if (e.type === 'answer_removed') removals.push(e);
    else upserts.push({ responseId: e.responseId, at: new Date(e.at), answer: { questionCode: e.questionCode, status: e.status, value: e.value, seq: e.seq, ...(e.score === undefined ? {} : { score: e.score }) } });
  }
  await upsertAnswerRows(tx, upserts);
  if (removals.length > 0) {
    await tx.$executeRaw`
      DELETE FROM answers a
      USING unnest(${removals.map((r) => r.responseId)}::uuid[], ${removals.map((r) => r.questionCode)}::text[], ${removals.map((r) => r.seq)}::int[]) AS t(response_id, question_code, seq)
      WHERE a.response_id = t.response_id AND a.question_code = t.question_code AND a.seq < t.seq`;
  }
}

/**
 * Opened, then started: the first time of each is kept and the status only moves forward
 * (as persist-effects' applyOne does one event at a time).
 */
async function applyInvitationProgress(tx: Tx, opened: Of<'invitation_opened'>[], started: Of<'invitation_started'>[]): Promise<void> {
  if (opened.length > 0) {
    await tx.$executeRaw`
      UPDATE invitations i SET opened_at = COALESCE(i.opened_at, t.at::timestamptz AT TIME ZONE 'UTC'),
        status = CASE WHEN i.status IN ('created', 'queued', 'sent') THEN 'opened'::"InvitationStatus" ELSE i.status END
      FROM (SELECT id, min(at) AS at FROM unnest(${opened.map((e) => e.invitationId)}::uuid[], ${opened.map((e) => e.at)}::text[]) AS u(id, at) GROUP BY id) t
      WHERE i.id = t.id AND (i.opened_at IS NULL OR i.status IN ('created', 'queued', 'sent'))`;
  }
  if (started.length > 0) {
    await tx.$executeRaw`
      UPDATE invitations i SET started_at = COALESCE(i.started_at, t.at::timestamptz AT TIME ZONE 'UTC'),
        status = CASE WHEN i.status IN ('created', 'queued', 'sent', 'opened') THEN 'started'::"InvitationStatus" ELSE i.status END
      FROM (SELECT id, min(at) AS at FROM unnest(${started.map((e) => e.invitationId)}::uuid[], ${started.map((e) => e.at)}::text[]) AS u(id, at) GROUP BY id) t
      WHERE i.id = t.id AND (i.started_at IS NULL OR i.status IN ('created', 'queued', 'sent', 'opened'))`;
  }
}
