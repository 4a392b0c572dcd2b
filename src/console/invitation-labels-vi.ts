import { AppError } from '../core/app-error.js';

/** Invitation statuses as officers call them. */
export const INVITATION_STATUS_VI: Record<string, string> = {
  created: 'Đã tạo',
  queued: 'Chờ gửi',
  sent: 'Đã gửi',
  opened: 'Đã mở',
  started: 'Đang trả lời',
  completed: 'Đã hoàn thành',
  expired: 'Hết hạn',
  undeliverable: 'Không gửi được',
  opted_out: 'Từ chối nhận tin',
  cancelled: 'Đã hủy',
};

export const CHANNEL_VI: Record<string, string> = { telegram: 'Telegram', zalo: 'Zalo', simulator: 'Thử nghiệm (giả lập)' };

/** Batch states of a bulk upload. */
export const BATCH_STATUS_VI: Record<string, string> = { queued: 'Đang chờ xử lý', running: 'Đang xử lý', done: 'Đã xong', failed: 'Thất bại' };

/** A bad CSV row's field (as `parseBulkInvitations` names it) → what to fix, in Vietnamese. */
const FIELD_VI: Record<string, string> = {
  unitCode: 'thiếu mã đơn vị',
  channel: 'kênh phải là telegram, zalo hoặc simulator',
  questionnaire: 'mã bảng hỏi không hợp lệ',
  procedureCode: 'mã thủ tục không hợp lệ (tối đa 128 ký tự)',
  dossierCode: 'mã hồ sơ không hợp lệ (tối đa 128 ký tự)',
  'recipient.phone': 'số điện thoại không hợp lệ',
  'recipient.telegramChatId': 'mã Telegram (chat id) phải là dãy số',
  'recipient.zaloUserId': 'mã Zalo phải là dãy số',
  test: 'cột test không hợp lệ',
};

/** The reason a CSV row was refused at upload, from the fields at fault. */
export function bulkRowReasonVi(fields: readonly string[]): string {
  const reasons = [...new Set(fields.map((f) => FIELD_VI[f] ?? (f === 'row' ? 'dòng trống hoặc sai định dạng' : `cột không được hỗ trợ: ${f}`)))];
  const text = reasons.join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

/**
 * A domain error on creating, resending or cancelling an invitation, said in Vietnamese.
 * Batch rows only keep the English message, so it is matched too (`messageVi`).
 */
export function invitationErrorVi(err: AppError): string {
  switch (err.code) {
    case 'forbidden':
      return 'Bạn không được tạo thư mời cho đơn vị này.';
    case 'unknown_unit':
      return 'Không có đơn vị đang hoạt động với mã này.';
    case 'channel_disabled':
      return 'Kênh này chưa được cấu hình trên hệ thống.';
    case 'invalid_phone':
      return 'Số điện thoại không hợp lệ (cần số di động Việt Nam).';
    case 'unreachable_recipient':
      return 'Telegram không gửi được theo số điện thoại: hãy nhập mã Telegram (chat id) hoặc để trống người nhận và in mã QR.';
    case 'no_recipient':
      return 'Thư mời này chưa có người nhận: hãy nhập người nhận để gửi lại.';
    case 'quota_full':
      return 'Đơn vị đã đủ chỉ tiêu của đợt khảo sát và đợt này dừng mời khi đủ chỉ tiêu.';
    case 'daily_invitation_limit':
      return 'Đã đạt số thư mời tối đa trong ngày. Vui lòng thử lại vào ngày mai.';
    case 'unknown_questionnaire':
      return 'Không có bảng hỏi đang dùng với mã này.';
    case 'invitation_final':
      return 'Không thể thay đổi: công dân đã mở hoặc bắt đầu khảo sát, hoặc thư mời đã kết thúc.';
    case 'invitation_changed':
      return 'Thư mời vừa thay đổi. Vui lòng tải lại trang và thử lại.';
    case 'no_link':
      return 'Kênh này chưa có đường dẫn công khai nên chưa tạo được mã QR.';
    default:
      return messageVi(err.message);
  }
}

const MESSAGES_VI: [RegExp, string][] = [
  [/may not invite for unit/, 'Bạn không được tạo thư mời cho đơn vị này.'],
  [/no active unit with code/, 'Không có đơn vị đang hoạt động với mã này.'],
  [/channel is not configured/, 'Kênh này chưa được cấu hình trên hệ thống.'],
  [/Telegram cannot reach a citizen by phone/, 'Telegram không gửi được theo số điện thoại: cần mã Telegram (chat id).'],
  [/has reached its quota/, 'Đơn vị đã đủ chỉ tiêu của đợt khảo sát.'],
  [/invitations for today/, 'Đã đạt số thư mời tối đa trong ngày.'],
  [/no active questionnaire/, 'Không có bảng hỏi đang dùng với mã này.'],
  [/phone|Phone/, 'Số điện thoại không hợp lệ (cần số di động Việt Nam).'],
];

/** A row refused at upload is stored as "field: message; field: message" (parse-bulk-invitations.ts). */
const FIELD_ERRORS = /^(row|[A-Za-z]+(\.[A-Za-z]+)?): /;

/** A batch row's stored (English) error in Vietnamese; an unknown one keeps its text after a Vietnamese lead. */
export function messageVi(message: string): string {
  const parts = message.split('; ');
  if (parts.every((p) => FIELD_ERRORS.test(p))) return bulkRowReasonVi(parts.map((p) => FIELD_ERRORS.exec(p)![1]!));
  return MESSAGES_VI.find(([re]) => re.test(message))?.[1] ?? `Không tạo được thư mời (${message}).`;
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;
