import { ZodError } from 'zod';
import { AppError } from '../core/app-error.js';
import { STATUS_OF_KIND } from '../api/error-handler.js';

/*
 * Why a report or download could not be made, said in Vietnamese for the console. The
 * report modules speak English to API clients; this maps their refusals (query parsing,
 * `report-access.ts`, unknown round, questionnaire or group) to a page message and a status.
 */

export type ReportErrorVi = { status: number; message: string };

const PERIOD_FORMATS_VI = 'năm (2026), quý (2026-Q3 hoặc Q3/2026) hoặc tháng (2026-09 hoặc 09/2026)';
const GRANULARITY_VI: Record<string, string> = { year: 'năm', quarter: 'quý', month: 'tháng' };
const vnDay = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** A query field the schema refused, by field and, for the cross-field rules, by what the rule says. */
function fieldMessage(field: string, message: string): string {
  if (field === 'period' && message.startsWith('give either')) return 'Chọn kỳ báo cáo hoặc khoảng ngày, không chọn cả hai.';
  if (field === 'round' && message.startsWith('a round is the period')) return 'Đợt khảo sát đã là kỳ báo cáo: bỏ trống kỳ báo cáo và khoảng ngày khi chọn đợt.';
  if (field === 'from' && message.includes('must not be after')) return '“Từ ngày” không được sau “Đến ngày”.';
  switch (field) {
    case 'period':
      return `Kỳ báo cáo không hợp lệ: nhập ${PERIOD_FORMATS_VI}.`;
    case 'from':
    case 'to':
      return 'Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy (từ năm 2000).';
    case 'round':
      return 'Mã đợt khảo sát không hợp lệ.';
    case 'questionnaire':
      return 'Mã bộ câu hỏi không hợp lệ.';
    case 'group':
      return 'Nhóm đơn vị không hợp lệ.';
    case 'format':
    case 'locale':
      return 'Định dạng tải xuống không hợp lệ.';
    default:
      return 'Bộ lọc không hợp lệ.';
  }
}

/** The refusals of `report-access.ts` and the report routes, matched on what they say. */
const RULES: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^round (\S+) has not ended; .* from the day after (\d{4}-\d{2}-\d{2})$/, (m) => `Đợt khảo sát ${m[1]} chưa kết thúc: số liệu của đợt xem được từ sau ngày ${vnDay(m[2]!)}.`],
  [/^period (\S+) has not ended; .* from the day after (\d{4}-\d{2}-\d{2})$/, (m) => `Kỳ ${m[1]} chưa kết thúc: số liệu của kỳ xem được từ sau ngày ${vnDay(m[2]!)}.`],
  [/^viewers ask for a whole period \(period=([^)]+)\)/, (m) => `Người xem chỉ xem được trọn một kỳ báo cáo (ví dụ ${m[1]}) hoặc một đợt khảo sát đã kết thúc, không xem theo khoảng ngày.`],
  [/^microdata exports ask for a whole period \(period=([^)]+)\)/, (m) => `Dữ liệu vi mô chỉ xuất theo trọn một kỳ báo cáo (ví dụ ${m[1]}) hoặc một đợt khảo sát đã kết thúc, không theo khoảng ngày.`],
  [/^reports here cover whole (\w+)s .* e\.g\. period=(\S+); "([^"]+)" is a (\w+)$/, (m) => `Báo cáo tính theo trọn ${GRANULARITY_VI[m[1]!] ?? m[1]} (ví dụ ${m[2]}); “${m[3]}” là một ${GRANULARITY_VI[m[4]!] ?? m[4]}.`],
  [/^"(.*)" is not a unit group$/, (m) => `Không có nhóm đơn vị “${m[1]}”.`],
];

/** The page message for a refused report query, or undefined when `err` is not a refusal (a failure: let it be a 500). */
export function reportErrorVi(err: unknown): ReportErrorVi | undefined {
  if (err instanceof ZodError) {
    const issue = err.issues[0];
    return { status: 400, message: fieldMessage(String(issue?.path[0] ?? ''), issue?.message ?? '') };
  }
  if (!(err instanceof AppError) || err.kind === 'unavailable') return undefined;
  const status = STATUS_OF_KIND[err.kind];
  if (err.code === 'unknown_round') return { status, message: 'Không có đợt khảo sát với mã này.' };
  if (err.code === 'unknown_questionnaire') return { status, message: 'Không có bộ câu hỏi này.' };
  for (const [pattern, say] of RULES) {
    const m = pattern.exec(err.message);
    if (m) return { status, message: say(m) };
  }
  if (err.kind === 'forbidden') return { status, message: 'Vai trò của bạn không dùng được bộ lọc hoặc tệp tải xuống này.' };
  return { status, message: 'Không lập được báo cáo với bộ lọc này.' };
}
