import type { AppError } from '../core/app-error.js';
import type { FrameRejection } from '../sampling/upload-frame.js';
import { formatDay } from './format-vi.js';

/** "2026-12-01" → "01/12/2026" inside a message. */
const viDays = (s: string) => s.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, (_m, y: string, mo: string, d: string) => formatDay(new Date(`${y}-${mo}-${d}T00:00:00Z`)));

/** Why the rounds store refused a change, in Vietnamese for the console (the store speaks English to API callers). */
export function roundErrorVi(err: AppError): string {
  switch (err.code) {
    case 'round_exists':
      return 'Đã có đợt khảo sát với mã này; hãy chọn mã khác.';
    case 'unknown_unit': {
      const units = (err.details as { unknownUnits?: string[] } | undefined)?.unknownUnits ?? [];
      return `Không có đơn vị với mã: ${units.join(', ')}.`;
    }
    case 'round_overlap': {
      const m = /unit (\S+) is already in round (\S+)/.exec(err.message);
      return m ? `Đơn vị ${m[1]} đã thuộc đợt ${m[2]} trong một số ngày này: mỗi đơn vị chỉ thuộc một đợt tại một thời điểm.` : 'Một đơn vị đã thuộc đợt khác trong những ngày này.';
    }
    case 'round_closed':
      return /ended on/.test(err.message) ? 'Đợt khảo sát đã hết hạn; không thể tải danh sách hồ sơ.' : 'Đợt khảo sát đã đóng; chỉ có thể đổi tên.';
    case 'questionnaire_not_found':
    case 'unknown_questionnaire':
      return 'Không tìm thấy bộ câu hỏi đang dùng được với mã này.';
    case 'seed_fixed': {
      const m = /seed "([^"]+)"/.exec(err.message);
      return `Đợt này rút mẫu với hạt giống "${m?.[1] ?? ''}" (ghi lại ở lần tải đầu tiên); hãy để trống hoặc nhập đúng hạt giống đó.`;
    }
    case 'too_many_rows':
      return 'Tệp có quá nhiều dòng (tối đa 100.000 dòng mỗi lần tải).';
    default:
      if (/must not be after/.test(err.message)) return 'Ngày mở không được sau ngày đóng.';
      if (/CSV could not be read/.test(err.message)) return 'Không đọc được tệp CSV: hãy kiểm tra dòng tiêu đề (Mã đơn vị, Mã hồ sơ, Ngày hoàn thành…) và dấu phân cách.';
      if (/no rows/.test(err.message)) return 'Tệp không có dòng hồ sơ nào.';
      return 'Dữ liệu chưa hợp lệ.';
  }
}

const FRAME_FIELDS_VI: Record<string, string> = {
  unitCode: 'mã đơn vị',
  procedureCode: 'mã thủ tục',
  dossierCode: 'mã hồ sơ',
  completedOn: 'ngày hoàn thành',
  channel: 'kênh',
  phone: 'số điện thoại',
  telegramChatId: 'mã Telegram',
  zaloUserId: 'mã Zalo',
};

/** Why a frame row was left out, in Vietnamese. */
export function frameRejectionVi(r: FrameRejection): string {
  switch (r.code) {
    case 'invalid': {
      const fields = [...new Set(r.reason.split('; ').map((part) => part.split(':')[0]!.trim()))].map((f) => FRAME_FIELDS_VI[f] ?? f);
      return `Thiếu hoặc sai: ${fields.join(', ')}.`;
    }
    case 'duplicate':
      return `Hồ sơ trùng với dòng ${/row (\d+)/.exec(r.reason)?.[1] ?? '?'}.`;
    case 'unit_not_in_round':
      return `Đơn vị ${/unit "([^"]*)"/.exec(r.reason)?.[1] ?? ''} không có chỉ tiêu trong đợt này (hoặc không thuộc phạm vi của bạn).`;
    case 'completed_in_future':
      return `Ngày hoàn thành ở tương lai (${viDays(/\d{4}-\d{2}-\d{2}/.exec(r.reason)?.[0] ?? '')}).`;
    case 'outside_window':
      return `Ngày hoàn thành ${viDays(/\d{4}-\d{2}-\d{2}/.exec(r.reason)?.[0] ?? '')} nằm ngoài khoảng thời gian hồ sơ của đợt.`;
    case 'unreachable':
      return 'Không liên lạc được: cần mã Telegram (chat id), mã Zalo, hoặc số điện thoại khi đã cấu hình Zalo ZNS.';
    case 'unreachable_recipient':
      return 'Telegram không nhắn được theo số điện thoại: cần mã Telegram (chat id).';
    case 'invalid_phone':
      return 'Số điện thoại không hợp lệ.';
    default:
      return 'Dòng không hợp lệ.';
  }
}
