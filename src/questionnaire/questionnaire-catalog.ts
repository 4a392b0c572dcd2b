import type { Db } from '../db/prisma-client.js';
import type { QuestionnaireDefinition } from './definition-schema.js';
import { parseDefinition } from './validate-definition.js';

export type StoredQuestionnaire = { id: number; code: string; version: number; active: boolean; definition: QuestionnaireDefinition };

/**
 * Stored questionnaire versions, validated once and cached: a version is immutable
 * once stored, so the cache never goes stale (new versions are loaded on first use).
 */
export class QuestionnaireCatalog {
  private readonly byRef = new Map<string, StoredQuestionnaire>();
  private readonly byId = new Map<number, StoredQuestionnaire>();

  constructor(private readonly db: Db) {}

  /** Loads every stored version (call at start; the engine's lookups are synchronous). */
  async loadAll(): Promise<StoredQuestionnaire[]> {
    const rows = await this.db.questionnaire.findMany();
    for (const row of rows) this.remember(row);
    return [...this.byId.values()];
  }

  private remember(row: { id: number; code: string; version: number; active: boolean; definition: unknown }): StoredQuestionnaire {
    const stored = { id: row.id, code: row.code, version: row.version, active: row.active, definition: parseDefinition(row.definition, `${row.code}@${row.version}`) };
    this.byRef.set(`${row.code}@${row.version}`, stored);
    this.byId.set(row.id, stored);
    return stored;
  }

  /** Synchronous lookup among loaded versions. */
  get(code: string, version: number): StoredQuestionnaire | undefined {
    return this.byRef.get(`${code}@${version}`);
  }

  getById(id: number): StoredQuestionnaire | undefined {
    return this.byId.get(id);
  }

  /** Lookup that loads a version stored after start. */
  async fetch(code: string, version: number): Promise<StoredQuestionnaire | undefined> {
    const hit = this.get(code, version);
    if (hit) return hit;
    const row = await this.db.questionnaire.findUnique({ where: { code_version: { code, version } } });
    return row ? this.remember(row) : undefined;
  }

  /** Latest active version of a code. */
  async latest(code: string): Promise<StoredQuestionnaire | undefined> {
    const row = await this.db.questionnaire.findFirst({ where: { code, active: true }, orderBy: { version: 'desc' } });
    return row ? (this.get(row.code, row.version) ?? this.remember(row)) : undefined;
  }
}
