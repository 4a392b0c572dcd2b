import type { AppError } from '../core/app-error.js';
import type { RowError } from '../units/parse-units-upload.js';

/** What each unit field must be, in Vietnamese (the upload parser speaks English to API clients). */
const UNIT_FIELD_VI: Record<string, string> = {
  code: 'Mã đơn vị: 1–64 ký tự gồm chữ cái không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới.',
  name: 'Tên đơn vị không được để trống (tối đa 300 ký tự, không chứa ký tự điều khiển).',
  group: 'Nhóm đơn vị không được để trống (tối đa 64 ký tự, không chứa ký tự điều khiển).',
  parentCode: 'Mã đơn vị cấp trên tối đa 64 ký tự và phải khác mã của chính đơn vị.',
  label: 'Tên nhóm không được để trống (tối đa 200 ký tự, không chứa ký tự điều khiển).',
  order: 'Thứ tự là số nguyên từ 0 đến 1.000.000.',
  rankSeparately: 'Cách xếp hạng không hợp lệ.',
  active: 'Trạng thái không hợp lệ.',
};

const ALLOWED_COLUMNS = 'code, name, group, parentCode';

/** One issue of a row ("path: message" as parse-coded-rows writes it) in Vietnamese. */
function issueVi(issue: string): string {
  const dup = /^code "(.*)" already appears in row (\d+)$/.exec(issue);
  if (dup) return `Mã "${dup[1]}" đã có ở dòng ${dup[2]}.`;
  const sep = issue.indexOf(': ');
  const path = sep > 0 ? issue.slice(0, sep) : '';
  const message = sep > 0 ? issue.slice(sep + 2) : issue;
  const unknownKeys = /^Unrecognized keys?: (.*)$/.exec(message);
  if (unknownKeys) return `Cột không được hỗ trợ: ${unknownKeys[1]} (chỉ dùng ${ALLOWED_COLUMNS}).`;
  return UNIT_FIELD_VI[path] ?? 'Dòng không hợp lệ.';
}

/** A refused row, numbered as the upload counts (CSV: after the header line), in Vietnamese. */
export function rowErrorVi(e: RowError): string {
  const issues = [...new Set(e.message.split('; ').map(issueVi))];
  return `Dòng ${e.row}: ${issues.join(' ')}`;
}

/** Why an upload or a form was refused: a headline and, for rows, one line per refused row. */
export function uploadErrorVi(err: AppError, noun: string): { error: string; details: string[] } {
  if (err.code === 'invalid_rows' && Array.isArray(err.details)) {
    const rows = err.details as RowError[];
    return { error: `${rows.length} dòng không hợp lệ; chưa lưu ${noun} nào.`, details: rows.map(rowErrorVi) };
  }
  if (err.code === 'too_many_rows') return { error: `Quá nhiều dòng trong một lần tải lên; chưa lưu ${noun} nào.`, details: [] };
  if (/^no .* in the upload$/.test(err.message)) return { error: `Không có dòng dữ liệu nào; chưa lưu ${noun} nào.`, details: [] };
  if (err.message.startsWith('the CSV could not be read')) return { error: `Không đọc được tệp CSV (kiểm tra dấu phân cách và dấu ngoặc kép); chưa lưu ${noun} nào.`, details: [] };
  return { error: `Dữ liệu chưa hợp lệ; chưa lưu ${noun} nào.`, details: [] };
}

/** Field errors of a single-record form (zod issues by path) in Vietnamese. */
export function fieldErrorsVi(paths: (string | number | symbol)[][]): string[] {
  return [...new Set(paths.map((p) => UNIT_FIELD_VI[String(p[0] ?? '')] ?? 'Dữ liệu chưa hợp lệ.'))];
}

