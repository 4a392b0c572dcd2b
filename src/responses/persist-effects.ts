import type { Effect, FinalAnswer } from '../conversation/effects.js';
import { type Prisma, type Db } from '../db/prisma-client.js';
import type { QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';
import type { AnswersJob } from './answers-job.js';
import { completeResponse } from './complete-response.js';
import { upsertAnswers } from './upsert-answers.js';

type Tx = Prisma.TransactionClient;
type Of<T extends Effect['type']> = Extract<Effect, { type: T }>;

/** Thrown when an effect refers to a response not written yet: the job retries later. */
export class ResponseNotFoundYet extends Error {
  override name = 'ResponseNotFoundYet';
}

async function startResponse(tx: Tx, catalog: QuestionnaireCatalog, e: Of<'response_started'>, respondentId: string | null): Promise<void> {
  const q = await catalog.fetch(e.questionnaire.code, e.questionnaire.version);
  if (!q) throw new Error(`questionnaire ${e.questionnaire.code}@${e.questionnaire.version} is not stored`);
  const unit = e.unitCode ? await tx.unit.findUnique({ where: { code: e.unitCode }, select: { id: true } }) : null;
  await tx.response.createMany({
    data: [{ id: e.responseId, questionnaireId: q.id, unitId: unit?.id ?? null, invitationId: e.invitationId ?? null, respondentId, channel: e.channel, procedureCode: e.procedureCode ?? e.procedureText ?? null, startedAt: new Date(e.at) }],
    skipDuplicates: true,
  });
}

async function requireResponse(tx: Tx, responseId: string) {
  const r = await tx.response.findUnique({ where: { id: responseId }, select: { id: true, status: true } });
  if (!r) throw new ResponseNotFoundYet(`response ${responseId} not stored yet`);
  return r;
}

async function applyOne(tx: Tx, catalog: QuestionnaireCatalog, e: Effect, respondentId: string | null): Promise<void> {
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
      return completeResponse(tx, catalog, e);
    case 'response_abandoned':
      await tx.response.updateMany({ where: { id: e.responseId, status: 'in_progress' }, data: { status: 'abandoned' } });
      return;
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
 * Persists one event's effects in one transaction. Idempotent: responses are created
 * with skipDuplicates, answers only overwrite older seqs, completion rolls up once.
 */
export async function persistEffects(db: Db, catalog: QuestionnaireCatalog, job: AnswersJob): Promise<void> {
  await db.$transaction(async (tx) => {
    let respondentId: string | null = null;
    if (job.respondent && job.effects.some((e) => e.type === 'response_started' || e.type === 'opted_out' || e.type === 'response_resumed')) {
      // One atomic statement: parallel batches of one citizen must not race on a find-then-create.
      const [r] = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO respondents (id, channel, external_id, updated_at)
        VALUES (gen_random_uuid(), ${job.respondent.channel}::"Channel", ${job.respondent.externalId}, now())
        ON CONFLICT (channel, external_id) DO UPDATE SET updated_at = respondents.updated_at
        RETURNING id`;
      respondentId = r!.id;
    }
    for (const e of job.effects) await applyOne(tx, catalog, e, respondentId);
  });
}
