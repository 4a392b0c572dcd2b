import { firstPending, sessionSchema, type EngineContext, type RecordedAnswer, type Session } from '../engine/index.js';
import type { Db } from '../db/prisma-client.js';
import type { QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';
import type { SessionKey } from '../core/user-hash.js';

/**
 * Rebuilds a session lost from Redis (flush, eviction, failover) out of the citizen's
 * in-progress response and its stored answers: the conversation resumes at the first
 * question without an answer. The version starts above every stored seq so new answers
 * still win over old ones.
 */
export async function rebuildFromDatabase(db: Db, catalog: QuestionnaireCatalog, key: SessionKey, ctx: EngineContext): Promise<Session | undefined> {
  const respondent = await db.respondent.findUnique({ where: { channel_externalId: { channel: key.channel as 'telegram', externalId: key.userRef } }, select: { id: true } });
  if (!respondent) return undefined;
  const response = await db.response.findFirst({
    where: { respondentId: respondent.id, status: 'in_progress' },
    orderBy: { startedAt: 'desc' },
    include: { answers: true, unit: true },
  });
  if (!response) return undefined;
  const stored = await catalog.byRowId(response.questionnaireId);

  const answers: Record<string, RecordedAnswer> = {};
  let maxSeq = 0;
  for (const a of response.answers) {
    maxSeq = Math.max(maxSeq, a.seq);
    answers[a.questionCode] = {
      status: a.status,
      value: (a.value ?? null) as RecordedAnswer['value'],
      ...(a.score === null ? {} : { score: a.score }),
      seq: a.seq,
      at: (a.answeredAt ?? ctx.now).toISOString(),
    };
  }
  const next = firstPending(stored.definition, answers) ?? stored.definition.questions.at(-1);
  const candidate = {
    schema: 1,
    version: maxSeq + 1,
    responseId: response.id,
    responseStarted: true,
    channel: key.channel,
    questionnaire: { code: stored.code, version: stored.version },
    invitationId: response.invitationId,
    unit: response.unit ? { code: response.unit.code, name: response.unit.name } : null,
    procedureCode: response.procedureCode,
    procedureText: null,
    phase: 'question',
    current: next?.code ?? null,
    answers,
    attempts: 0,
    multiDraft: [],
    unitCandidates: [],
    remindersSent: 0,
    createdAt: (response.startedAt ?? ctx.now).toISOString(),
    lastActivityAt: (!response.updatedAt || response.updatedAt > ctx.now ? ctx.now : response.updatedAt).toISOString(),
    endedAt: null,
  };
  const parsed = sessionSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}
