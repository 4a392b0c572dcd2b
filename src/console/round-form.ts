import type { z } from 'zod';
import { createRoundSchema, patchRoundSchema, type CreateRound, type PatchRound } from '../rounds/round-schema.js';
import { isoDay, type RoundWithQuotas } from '../rounds/round-store.js';
import { formatDay } from './format-vi.js';

/** The round form's fields as typed (re-shown after an error). */
export type RoundFormValues = {
  code: string;
  name: string;
  questionnaire: string;
  opensOn: string;
  closesOn: string;
  eligibleFrom: string;
  eligibleTo: string;
  /** One "UNIT_CODE target" per line. */
  quotas: string;
  onQuotaFull: string;
};

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const FIELDS = ['code', 'name', 'questionnaire', 'opensOn', 'closesOn', 'eligibleFrom', 'eligibleTo', 'quotas', 'onQuotaFull'] as const;

export function roundFormValues(body: unknown): RoundFormValues {
  const b = (body ?? {}) as Record<string, unknown>;
  const out = {} as RoundFormValues;
  for (const f of FIELDS) out[f] = typeof b[f] === 'string' ? (b[f] as string) : '';
  return out;
}

/** A round's current values in the form (days as dd/mm/yyyy, quotas one per line). */
export function valuesOfRound(r: RoundWithQuotas): RoundFormValues {
  return {
    code: r.code,
    name: r.name,
    questionnaire: `${r.questionnaire.code}@${r.questionnaire.version}`,
    opensOn: formatDay(r.opensOn),
    closesOn: formatDay(r.closesOn),
    eligibleFrom: r.eligibleFrom ? formatDay(r.eligibleFrom) : '',
    eligibleTo: r.eligibleTo ? formatDay(r.eligibleTo) : '',
    quotas: [...r.quotas]
      .sort((a, b) => a.unit.code.localeCompare(b.unit.code))
      .map((q) => `${q.unit.code} ${q.target}`)
      .join('\n'),
    onQuotaFull: r.onQuotaFull,
  };
}

/** "SNV 120" per line (also "SNV, 120", "SNV;120" or a tab as a spreadsheet pastes it); blank lines are skipped. */
export function parseQuotaLines(text: string): Parsed<{ unitCode: string; target: number }[]> {
  const quotas: { unitCode: string; target: number }[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const m = /^(\S+?)[\s,;:]+(\d[\d.]*)$/.exec(line);
    // Thousands may be typed with dots, as Vietnamese numbers are written (1.200).
    const target = m ? Number(m[2]!.replace(/\./g, '')) : NaN;
    if (!m || !Number.isInteger(target) || target < 1 || target > 1_000_000) {
      errors.push(`Chỉ tiêu, dòng ${i + 1}: cần "MÃ_ĐƠN_VỊ chỉ_tiêu" với chỉ tiêu là số nguyên từ 1 đến 1.000.000 (ví dụ: SNV 120).`);
      return;
    }
    quotas.push({ unitCode: m[1]!, target });
  });
  const seen = new Set<string>();
  for (const q of quotas) {
    if (seen.has(q.unitCode)) errors.push(`Chỉ tiêu: đơn vị ${q.unitCode} xuất hiện nhiều lần; mỗi đơn vị chỉ một dòng.`);
    seen.add(q.unitCode);
  }
  if (quotas.length === 0 && errors.length === 0) errors.push('Chỉ tiêu: cần ít nhất một dòng "MÃ_ĐƠN_VỊ chỉ_tiêu".');
  return errors.length ? { ok: false, errors } : { ok: true, value: quotas };
}

const DAY_HINT = 'hãy nhập ngày dạng dd/mm/yyyy (ví dụ 01/12/2026) hoặc yyyy-mm-dd';
const LABELS: Record<string, string> = {
  code: 'Mã đợt',
  name: 'Tên đợt',
  questionnaire: 'Bộ câu hỏi',
  opensOn: 'Ngày mở',
  closesOn: 'Ngày đóng',
  eligibleFrom: 'Hồ sơ hoàn thành từ ngày',
  eligibleTo: 'Hồ sơ hoàn thành đến ngày',
  quotas: 'Chỉ tiêu',
  onQuotaFull: 'Khi đạt chỉ tiêu',
};

/** The schema's complaints, said per field in Vietnamese (the schema speaks English to API callers). */
function issuesVi(issues: z.ZodError['issues'], values: Partial<RoundFormValues>): string[] {
  const out = issues.map((i) => {
    const field = String(i.path[0] ?? '');
    if (i.message.includes('must not be after')) {
      return field === 'opensOn' ? 'Ngày mở không được sau ngày đóng.' : 'Khoảng hồ sơ: ngày bắt đầu không được sau ngày kết thúc.';
    }
    switch (field) {
      case 'code':
        return 'Mã đợt: 1–40 ký tự gồm chữ cái không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới (ví dụ: Q4-2026).';
      case 'name':
        return 'Tên đợt không được để trống (tối đa 200 ký tự, một dòng).';
      case 'questionnaire':
        return 'Hãy chọn bộ câu hỏi.';
      case 'opensOn':
      case 'closesOn':
      case 'eligibleFrom':
      case 'eligibleTo': {
        const typed = values[field]?.trim();
        return typed ? `${LABELS[field]}: "${typed}" không phải ngày hợp lệ; ${DAY_HINT}.` : `${LABELS[field]}: ${DAY_HINT}.`;
      }
      case 'onQuotaFull':
        return 'Lựa chọn "Khi đạt chỉ tiêu" không hợp lệ.';
      default:
        return `${LABELS[field] ?? 'Dữ liệu'}: chưa hợp lệ.`;
    }
  });
  return [...new Set(out)];
}

const orUndefined = (s: string) => (s.trim() === '' ? undefined : s);

/** The create form as `POST /api/v1/rounds`'s body, validated by the same schema. */
export function parseCreateForm(v: RoundFormValues): Parsed<CreateRound> {
  const quotas = parseQuotaLines(v.quotas);
  const body = {
    code: v.code,
    name: v.name,
    questionnaire: v.questionnaire,
    opensOn: v.opensOn,
    closesOn: v.closesOn,
    ...(orUndefined(v.eligibleFrom) ? { eligibleFrom: v.eligibleFrom } : {}),
    ...(orUndefined(v.eligibleTo) ? { eligibleTo: v.eligibleTo } : {}),
    quotas: quotas.ok ? quotas.value : [{ unitCode: 'placeholder', target: 1 }],
    onQuotaFull: v.onQuotaFull || 'continue',
  };
  const parsed = createRoundSchema.safeParse(body);
  const errors = [...(parsed.success ? [] : issuesVi(parsed.error.issues, v)), ...(quotas.ok ? [] : quotas.errors)];
  return errors.length || !parsed.success ? { ok: false, errors } : { ok: true, value: parsed.data };
}

const sameQuotas = (a: { unitCode: string; target: number }[], b: { unitCode: string; target: number }[]) => {
  const key = (qs: typeof a) => qs.map((q) => `${q.unitCode}=${q.target}`).sort().join(',');
  return key(a) === key(b);
};

/**
 * The edit form as a PATCH: only what differs from the round (a closed round takes a
 * new name only, so unchanged fields must not ride along). Empty eligibility days clear them.
 */
export function parseEditForm(v: RoundFormValues, current: RoundWithQuotas): Parsed<PatchRound | null> {
  const now = valuesOfRound(current);
  const quotas: Parsed<{ unitCode: string; target: number }[]> = current.closedAt ? { ok: true, value: [] } : parseQuotaLines(v.quotas);
  const candidate: Record<string, unknown> = {};
  if (v.name.trim() !== current.name) candidate.name = v.name;
  if (!current.closedAt) {
    for (const f of ['opensOn', 'closesOn'] as const) if (v[f].trim() !== now[f]) candidate[f] = v[f];
    for (const f of ['eligibleFrom', 'eligibleTo'] as const) if (v[f].trim() !== now[f]) candidate[f] = v[f].trim() === '' ? null : v[f];
    if (v.onQuotaFull && v.onQuotaFull !== current.onQuotaFull) candidate.onQuotaFull = v.onQuotaFull;
    const before = current.quotas.map((q) => ({ unitCode: q.unit.code, target: q.target }));
    if (quotas.ok && !sameQuotas(quotas.value, before)) candidate.quotas = quotas.value;
  }
  if (quotas.ok && Object.keys(candidate).length === 0) return { ok: true, value: null };
  const parsed = patchRoundSchema.safeParse(Object.keys(candidate).length ? candidate : { name: current.name });
  // Days are compared as the store keeps them: a day retyped in the other format is no change.
  const errors = [...(parsed.success ? [] : issuesVi(parsed.error.issues, v)), ...(quotas.ok ? [] : quotas.errors)];
  if (errors.length || !parsed.success) return { ok: false, errors };
  const patch = parsed.data;
  for (const f of ['opensOn', 'closesOn', 'eligibleFrom', 'eligibleTo'] as const) {
    const before = f === 'opensOn' || f === 'closesOn' ? isoDay(current[f]) : current[f] ? isoDay(current[f]) : null;
    if (patch[f] !== undefined && patch[f] === before) delete patch[f];
  }
  return Object.keys(patch).length ? { ok: true, value: patch } : { ok: true, value: null };
}
