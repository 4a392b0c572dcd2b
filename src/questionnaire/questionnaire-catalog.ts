import { isDeepStrictEqual } from 'node:util';
import { AppError } from '../core/app-error.js';
import type { Db } from '../db/prisma-client.js';
import type { QuestionnaireDefinition } from './definition-schema.js';
import { parseQuestionnaireRef, type QuestionnaireRef } from './questionnaire-ref.js';
import { parseDefinition } from './validate-definition.js';

/**
 * The one gateway to stored questionnaires: nothing else queries the `questionnaires`
 * table. A stored version is immutable, so versions are validated once and cached for
 * the life of the process (a version stored after start is loaded on first use).
 *
 * How a reference resolves — `code@version` names that version; a bare `code`:
 * - for a **report** (reports, microdata, `scoring:verify`): the highest stored version,
 *   active or not, so a closed survey stays reportable;
 * - to **start** a survey (invitations, open surveys, the simulator): the highest
 *   *active* version; a named version must be active too, so a closed survey can never
 *   be started again.
 * Anything else is a `QuestionnaireNotFoundError`.
 */

/** The questionnaire every deployment offers when nothing else is named. */
export const DEFAULT_QUESTIONNAIRE_CODE = 'sipas-2017';

export type StoredQuestionnaire = { id: number; code: string; version: number; title: string; active: boolean; definition: QuestionnaireDefinition };

/** What a resolved reference is for: see the rule above. */
export type QuestionnairePurpose = 'start' | 'report';

export class QuestionnaireNotFoundError extends AppError {
  constructor(ref: string, purpose?: QuestionnairePurpose) {
    super('not_found', 'unknown_questionnaire', purpose === 'start' ? `no active questionnaire "${ref}"` : `questionnaire ${ref} not found`);
    this.name = 'QuestionnaireNotFoundError';
  }
}

export type SeedResult = { inserted: string[]; unchanged: string[]; conflicts: string[] };

type Row = { id: number; code: string; version: number; title: string; active: boolean; definition: unknown };

export class QuestionnaireCatalog {
  private readonly byRef = new Map<string, StoredQuestionnaire>();
  private readonly byId = new Map<number, StoredQuestionnaire>();

  constructor(private readonly db: Db) {}

  /** Loads every stored version (call at start; the engine's lookups are synchronous). */
  async loadAll(): Promise<StoredQuestionnaire[]> {
    for (const row of await this.db.questionnaire.findMany()) this.remember(row);
    return [...this.byId.values()];
  }

  private remember(row: Row): StoredQuestionnaire {
    const cached = this.byId.get(row.id);
    // `active` may change (a survey closed); the definition never does.
    if (cached) return Object.assign(cached, { active: row.active });
    const stored = { id: row.id, code: row.code, version: row.version, title: row.title, active: row.active, definition: parseDefinition(row.definition, `${row.code}@${row.version}`) };
    this.byRef.set(`${row.code}@${row.version}`, stored);
    this.byId.set(row.id, stored);
    return stored;
  }

  /** Synchronous lookup among loaded versions (the engine's). */
  get(code: string, version: number): StoredQuestionnaire | undefined {
    return this.byRef.get(`${code}@${version}`);
  }

  /** A version by its code and number, loading one stored after start. */
  async fetch(code: string, version: number): Promise<StoredQuestionnaire | undefined> {
    const hit = this.get(code, version);
    if (hit) return hit;
    const row = await this.db.questionnaire.findUnique({ where: { code_version: { code, version } } });
    return row ? this.remember(row) : undefined;
  }

  /** A version by its row id; throws `QuestionnaireNotFoundError`. */
  async byRowId(id: number): Promise<StoredQuestionnaire> {
    const hit = this.byId.get(id);
    if (hit) return hit;
    const row = await this.db.questionnaire.findUnique({ where: { id } });
    if (!row) throw new QuestionnaireNotFoundError(`#${id}`);
    return this.remember(row);
  }

  /** Resolves `code` or `code@version` (already validated by `questionnaireRefSchema`) by the rule above. */
  async resolve(ref: string | QuestionnaireRef, purpose: QuestionnairePurpose): Promise<StoredQuestionnaire> {
    const { code, version } = typeof ref === 'string' ? parseQuestionnaireRef(ref) : ref;
    const text = version === undefined ? code : `${code}@${version}`;
    const row = await this.db.questionnaire.findFirst({
      where: { code, ...(version === undefined ? {} : { version }), ...(purpose === 'start' ? { active: true } : {}) },
      orderBy: { version: 'desc' },
    });
    if (!row) throw new QuestionnaireNotFoundError(text, purpose);
    return this.remember(row);
  }

  /** Every stored version, by code, newest version first (optionally only those of `code`). */
  async list(code?: string): Promise<StoredQuestionnaire[]> {
    const rows = await this.db.questionnaire.findMany({ where: code ? { code } : {}, orderBy: [{ code: 'asc' }, { version: 'desc' }] });
    return rows.map((row) => this.remember(row));
  }

  /** Opens or closes a version for new surveys (reports keep working either way). */
  async setActive(code: string, version: number, active: boolean): Promise<void> {
    const res = await this.db.questionnaire.updateMany({ where: { code, version }, data: { active } });
    if (res.count === 0) throw new QuestionnaireNotFoundError(`${code}@${version}`);
    const cached = this.get(code, version);
    if (cached) cached.active = active;
  }

  /**
   * Stores definitions that the database does not have yet. A stored version is never
   * overwritten: answers refer to it, so a changed definition needs a new version
   * (reported in `conflicts`). A version stored alongside a newer one of the same code
   * is stored closed (reportable, never started); one already stored keeps its state.
   */
  async seed(defs: QuestionnaireDefinition[]): Promise<SeedResult> {
    const result: SeedResult = { inserted: [], unchanged: [], conflicts: [] };
    for (const def of defs) {
      const id = `${def.code}@${def.version}`;
      const existing = await this.db.questionnaire.findUnique({ where: { code_version: { code: def.code, version: def.version } } });
      if (!existing) {
        await this.db.questionnaire
          .create({ data: { code: def.code, version: def.version, title: def.title.vi, definition: def as object, active: !defs.some((d) => d.code === def.code && d.version > def.version) } })
          .catch(async (err: unknown) => {
            // Another process seeded it at the same moment.
            if ((err as { code?: string }).code !== 'P2002') throw err;
          });
        result.inserted.push(id);
      } else if (isDeepStrictEqual(JSON.parse(JSON.stringify(def)), existing.definition)) {
        result.unchanged.push(id);
      } else {
        result.conflicts.push(id);
      }
    }
    return result;
  }
}

/** Stores the built-in (or given) definitions through a catalog of its own: see `QuestionnaireCatalog.seed`. */
export function seedQuestionnaires(db: Db, defs: QuestionnaireDefinition[]): Promise<SeedResult> {
  return new QuestionnaireCatalog(db).seed(defs);
}
