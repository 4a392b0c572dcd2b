import type { SurveyLength } from './survey-length.js';

/**
 * Every citizen-facing sentence of the conversation, in Vietnamese (NFC), in one
 * place so it can be reviewed and corrected without reading the engine.
 */
// Addresses the citizen as «Ông/Bà», like the questionnaires do.
const q = (s: string) => `“${s}”`;

/** The survey's length as every text says it (invitation, intro, consent): "26–30 câu hỏi, mất khoảng 7 phút". */
const surveyLengthVi = (l: SurveyLength) =>
  `${l.minQuestions === l.maxQuestions ? l.maxQuestions : `${l.minQuestions}–${l.maxQuestions}`} câu hỏi, mất khoảng ${l.minutes} phút`;

/**
 * A questionnaire's intro may say how long the survey takes ("khoảng 5 phút"); the stored
 * version cannot change, so the figure shown is always the computed one.
 */
export function withSurveyMinutes(intro: string, length: SurveyLength): string {
  return intro.replace(/khoảng\s+\d+(?:\s*[–-]\s*\d+)?\s+phút/gu, `khoảng ${length.minutes} phút`);
}

export const VI = {
  button: {
    start: 'Bắt đầu',
    decline: 'Từ chối',
    skip: 'Bỏ qua',
    back: '⬅️ Quay lại',
    done: 'Xong',
    yes: 'Có',
    no: 'Không',
  },

  greeting:
    'Xin chào! Đây là kênh khảo sát mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước. ' +
    'Để bắt đầu, Ông/Bà vui lòng mở đường liên kết hoặc quét mã QR khảo sát, hoặc gửi /start.',

  surveyLength: surveyLengthVi,
  consent: (intro: string, unitName: string | null, length: SurveyLength) =>
    [
      withSurveyMinutes(intro, length),
      unitName ? `Đơn vị được khảo sát: ${unitName}.` : null,
      `Khảo sát gồm ${surveyLengthVi(length)}. ` +
        'Câu trả lời được giữ bí mật và không gắn với họ tên hay số điện thoại của Ông/Bà. Ông/Bà có thể tạm dừng và quay lại bất cứ lúc nào.',
    ]
      .filter(Boolean)
      .join('\n\n'),
  consentHint: 'Gõ 1 để bắt đầu hoặc 2 để từ chối.',
  consentInvalid: `Xin lỗi, chúng tôi chưa hiểu. Ông/Bà vui lòng chọn ${q('Bắt đầu')} để tham gia khảo sát hoặc ${q('Từ chối')} nếu không muốn tham gia.`,
  declined: 'Xin cảm ơn Ông/Bà. Chúng tôi sẽ không gửi thêm tin nhắn về khảo sát này. Nếu đổi ý, Ông/Bà có thể gửi /start để bắt đầu lại.',

  unitAsk: 'Ông/Bà đã thực hiện thủ tục hành chính tại cơ quan, đơn vị nào? Vui lòng gõ tên hoặc mã đơn vị (ví dụ: UBND xã Tân Phong).',
  unitHint: 'Gõ tên hoặc mã đơn vị.',
  unitNotFound: (text: string) => `Không tìm thấy đơn vị nào khớp với ${q(text)}. Vui lòng gõ lại tên hoặc mã đơn vị.`,
  unitChoose: (count: number, shown: number) =>
    count > shown
      ? `Có ${count} đơn vị phù hợp, dưới đây là ${shown} đơn vị đầu tiên. Vui lòng chọn một đơn vị hoặc gõ tên cụ thể hơn:`
      : `Có ${count} đơn vị phù hợp. Vui lòng chọn đơn vị Ông/Bà đã đến làm thủ tục:`,
  unitChooseHint: (shown: number) => `Gõ số thứ tự từ 1 đến ${shown}, hoặc gõ tên khác để tìm lại.`,
  unitChosen: (name: string) => `Đơn vị: ${name}.`,

  procedureAsk: 'Ông/Bà đã thực hiện thủ tục hành chính gì? (ví dụ: đăng ký khai sinh, cấp giấy phép xây dựng)',
  procedureHint: `Gõ tên thủ tục, hoặc gõ ${q('bỏ qua')} nếu không muốn trả lời.`,
  procedureEmpty: `Vui lòng gõ tên thủ tục, hoặc gõ ${q('bỏ qua')}.`,

  progress: (current: number, total: number) => `Câu ${current}/${total}`,
  currentAnswer: (label: string) => `Câu trả lời hiện tại: ${label}. Chọn lại để thay đổi.`,
  chosen: (labels: string) => `Đã chọn: ${labels}.`,
  hint: {
    likert: (allowNa: boolean) =>
      'Gõ số từ 1 (Rất không hài lòng) đến 5 (Rất hài lòng)' + (allowNa ? ', gõ 0 nếu không có ý kiến.' : '.'),
    yesno: 'Gõ 1 (Có) hoặc 2 (Không).',
    single: (n: number) => `Gõ số thứ tự từ 1 đến ${n}.`,
    multi: (max: number | undefined) =>
      'Có thể chọn nhiều lựa chọn: gõ các số cách nhau bởi dấu phẩy (ví dụ: 1,3), hoặc chọn từng lựa chọn rồi chọn ' +
      q('Xong') +
      (max ? `. Chọn tối đa ${max}.` : '.'),
    text: (max: number) => `Gõ câu trả lời của Ông/Bà (tối đa ${max} ký tự).`,
    skip: `Gõ ${q('bỏ qua')} nếu không muốn trả lời.`,
    back: `Gõ ${q('quay lại')} để sửa câu trước.`,
  },

  invalid: {
    likert: (allowNa: boolean) =>
      'Xin lỗi, câu trả lời chưa hợp lệ. Vui lòng chọn một mức từ 1 đến 5 (1 = Rất không hài lòng, 5 = Rất hài lòng)' +
      (allowNa ? ', hoặc 0 nếu không có ý kiến.' : '.'),
    naNotAllowed: 'Câu này cần một mức đánh giá từ 1 đến 5.',
    yesno: `Xin lỗi, câu trả lời chưa hợp lệ. Vui lòng trả lời ${q('Có')} (1) hoặc ${q('Không')} (2).`,
    single: (n: number) => `Xin lỗi, câu trả lời chưa hợp lệ. Vui lòng chọn một lựa chọn bằng cách gõ số từ 1 đến ${n}.`,
    multi: (n: number) =>
      `Xin lỗi, câu trả lời chưa hợp lệ. Vui lòng gõ số thứ tự các lựa chọn từ 1 đến ${n}, cách nhau bởi dấu phẩy (ví dụ: 1,3).`,
    multiTooMany: (max: number) => `Ông/Bà chỉ được chọn tối đa ${max} lựa chọn.`,
    multiEmpty: `Ông/Bà chưa chọn lựa chọn nào. Vui lòng chọn ít nhất một lựa chọn rồi bấm ${q('Xong')}.`,
    textEmpty: 'Câu trả lời đang trống. Vui lòng gõ nội dung câu trả lời.',
    textTooLong: (length: number, max: number) =>
      `Câu trả lời dài ${length} ký tự, vượt quá giới hạn ${max} ký tự. Vui lòng rút gọn và gửi lại.`,
    skipRequired: (allowNa: boolean) =>
      'Câu này cần được trả lời, không thể bỏ qua.' + (allowNa ? ' Nếu không có ý kiến, gõ 0.' : ''),
  },
  capReached: `Chúng tôi chưa nhận được câu trả lời hợp lệ nên tạm bỏ qua câu này. Ông/Bà có thể gõ ${q('quay lại')} để trả lời lại.`,
  capKept: 'Chúng tôi chưa nhận được câu trả lời hợp lệ nên giữ nguyên câu trả lời trước đó của Ông/Bà.',
  skipped: 'Đã bỏ qua câu này.',

  backAtFirst: 'Đây là câu hỏi đầu tiên, không thể quay lại thêm.',
  backNotAvailable: 'Hiện chưa có câu trả lời nào để quay lại.',
  stale: `Lựa chọn này thuộc một câu hỏi đã qua nên không được ghi nhận. Nếu muốn sửa câu trả lời, gõ ${q('quay lại')}. Mời Ông/Bà trả lời câu hỏi hiện tại:`,
  staleEnded: 'Khảo sát đã kết thúc, lựa chọn này không được ghi nhận.',

  resume: 'Chào mừng Ông/Bà quay lại! Khảo sát tiếp tục từ câu Ông/Bà đang trả lời dở.',
  reminder: 'Ông/Bà còn một khảo sát đang làm dở. Ý kiến của Ông/Bà giúp cơ quan nhà nước phục vụ người dân tốt hơn. Mời Ông/Bà tiếp tục:',
  expired:
    'Phiên khảo sát trước của Ông/Bà đã hết hạn vì lâu không có trả lời. Xin cảm ơn Ông/Bà đã dành thời gian. ' +
    'Để làm khảo sát mới, vui lòng mở lại đường liên kết hoặc quét mã QR khảo sát.',
  replaced: 'Khảo sát Ông/Bà đang làm dở trước đó đã được đóng lại để bắt đầu khảo sát mới.',

  invitationUnknown: 'Mã khảo sát không đúng hoặc không tồn tại. Vui lòng kiểm tra lại đường liên kết hoặc mã khảo sát.',
  invitationExpired: 'Lời mời khảo sát này đã hết hạn. Xin cảm ơn Ông/Bà đã quan tâm.',
  invitationCancelled: 'Lời mời khảo sát này đã được cơ quan huỷ. Xin cảm ơn Ông/Bà đã quan tâm.',
  invitationUsed: 'Lời mời khảo sát này đã được sử dụng. Mỗi lời mời chỉ được trả lời một lần. Xin cảm ơn Ông/Bà!',
  alreadyCounted: (unitName: string) =>
    `Ý kiến của Ông/Bà về ${unitName} trong đợt khảo sát này đã được ghi nhận. Mỗi người chỉ đánh giá một đơn vị một lần trong mỗi đợt. Xin cảm ơn Ông/Bà!`,
  stillInProgress: 'Ông/Bà vẫn đang có một khảo sát làm dở:',

  completed: 'Ông/Bà đã hoàn thành khảo sát. Xin cảm ơn Ông/Bà! Để làm khảo sát mới, vui lòng mở đường liên kết hoặc quét mã QR khảo sát.',
  optedOutInfo: 'Ông/Bà đã dừng khảo sát. Nếu muốn tham gia lại, hãy gửi /start.',
  stopGoodbye:
    'Ông/Bà đã dừng khảo sát. Chúng tôi sẽ không gửi thêm nhắc nhở. Xin cảm ơn Ông/Bà đã dành thời gian! Nếu muốn tham gia lại, hãy gửi /start.',
  stopNoSurvey: 'Ông/Bà sẽ không nhận thêm tin nhắn nhắc khảo sát. Xin cảm ơn Ông/Bà!',
  contactThanks: 'Xin cảm ơn Ông/Bà đã chia sẻ thông tin.',
  unavailable: 'Xin lỗi, khảo sát này hiện không còn khả dụng. Xin cảm ơn Ông/Bà đã quan tâm.',

  help: [
    'Hướng dẫn trả lời khảo sát:',
    '• Mỗi lần một câu hỏi: bấm nút hoặc gõ số thứ tự của câu trả lời.',
    '• Mức độ hài lòng: 1 = Rất không hài lòng, 2 = Không hài lòng, 3 = Bình thường, 4 = Hài lòng, 5 = Rất hài lòng; 0 = Không có ý kiến.',
    `• Gõ ${q('quay lại')} (/back) để sửa câu trả lời trước.`,
    `• Gõ ${q('bỏ qua')} để bỏ qua câu hỏi không bắt buộc.`,
    `• Gõ ${q('dừng')} (/stop) để dừng khảo sát.`,
    '• Ông/Bà có thể tạm dừng và quay lại bất cứ lúc nào, khảo sát sẽ tiếp tục từ câu đang dở.',
    'Câu trả lời của Ông/Bà được giữ bí mật.',
  ].join('\n'),
} as const;
