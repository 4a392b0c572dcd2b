import { exportText } from './safe-text.js';
import type { Question, QuestionnaireDefinition } from '../questionnaire/definition-schema.js';

export type MicrodataColumn = { key: string; header: string; question?: Question };

/** Fixed columns first, then one per question in questionnaire order (free text only on request). */
export function microdataColumns(def: QuestionnaireDefinition, includeText: boolean): MicrodataColumn[] {
  const fixed: MicrodataColumn[] = [
    { key: 'unit_code', header: 'Mã đơn vị' },
    { key: 'unit_name', header: 'Đơn vị' },
    { key: 'unit_group', header: 'Nhóm đơn vị' },
    { key: 'questionnaire', header: 'Phiếu khảo sát' },
    { key: 'completed_month', header: 'Tháng hoàn thành' },
    { key: 'source', header: 'Nguồn phiếu' },
    { key: 'quality_flags', header: 'Cờ chất lượng' },
  ];
  const questions = def.questions.filter((q) => includeText || q.kind !== 'text').map((q) => ({ key: q.code, header: q.code, question: q }));
  return [...fixed, ...questions];
}

/**
 * One answer as a cell: likert → 1–5 (N/A → "na"), single → option value, multi →
 * values joined by ";", yes/no → "yes"/"no", text → the text with phone numbers, e-mail
 * addresses and ID numbers masked; unanswered → empty. Text cells are safe for spreadsheets.
 */
export function answerCell(status: string, score: number | null, value: unknown): string | number {
  if (status === 'not_applicable') return 'na';
  if (status !== 'answered') return '';
  if (score !== null) return score;
  if (Array.isArray(value)) return value.map(String).join(';');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return value === null || value === undefined ? '' : exportText(String(value));
}
