import type { AppError } from '../core/app-error.js';
import { MIN_PASSWORD_LENGTH } from '../users/user-schema.js';

const FIELD_VI: Record<string, string> = {
  username: 'Tên đăng nhập: 1–64 ký tự gồm chữ thường không dấu (a-z), chữ số, dấu chấm, gạch ngang hoặc gạch dưới.',
  displayName: 'Họ và tên không được để trống (tối đa 120 ký tự).',
  role: 'Vai trò không hợp lệ.',
  unitCodes: 'Mã đơn vị không hợp lệ.',
  password: `Mật khẩu cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`,
};

/** What went wrong creating a user, said in Vietnamese for the console (the store speaks English to the CLI). */
export function userErrorVi(err: AppError): string {
  switch (err.code) {
    case 'username_taken':
      return 'Tên đăng nhập này đã có người dùng.';
    case 'unknown_unit':
      return `Không có đơn vị với mã ${err.message.replace(/^unknown unit\(s\): /, '').replace(/ \(.*$/, '')}.`;
    case 'officer_needs_unit':
      return 'Cán bộ cần ít nhất một mã đơn vị.';
    case 'units_only_for_officers':
      return 'Chỉ cán bộ mới gắn với đơn vị; để trống mã đơn vị cho vai trò này.';
    default: {
      const fields = (err.details as { fields?: string[] } | undefined)?.fields ?? [];
      const lines = [...new Set(fields)].map((f) => FIELD_VI[f]).filter(Boolean);
      return lines.length ? lines.join(' ') : 'Dữ liệu chưa hợp lệ.';
    }
  }
}
