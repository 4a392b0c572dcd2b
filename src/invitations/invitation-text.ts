import { VI, type SurveyLength } from '../engine/index.js';

/**
 * The invitation a citizen receives (Vietnamese, NFC). `length` is the questionnaire's
 * (engine's `surveyLength`), said in the same words as the survey's consent step.
 */
export function invitationText(opts: { unitName: string; link?: string; code: string; expiresAt: Date; length: SurveyLength }): string {
  const until = opts.expiresAt.toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
  const how = opts.link ? `Bấm vào đường dẫn để bắt đầu: ${opts.link}` : `Gửi mã khảo sát ${opts.code} vào cuộc trò chuyện này để bắt đầu.`;
  return [
    `Cảm ơn Ông/Bà đã thực hiện thủ tục hành chính tại ${opts.unitName}.`,
    `Mời Ông/Bà cho biết mức độ hài lòng về sự phục vụ. Khảo sát gồm ${VI.surveyLength(opts.length)}. Phiếu khảo sát hoàn toàn ẩn danh.`,
    how,
    `Lời mời có hiệu lực đến ngày ${until}.`,
  ]
    .join('\n')
    .normalize('NFC');
}

/** The one reminder to someone who never opened the invitation: short, with the same link or code. */
export function unopenedReminderText(opts: { unitName: string; link?: string; code: string; expiresAt: Date }): string {
  const until = opts.expiresAt.toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
  const how = opts.link ? `Bấm vào đường dẫn để bắt đầu: ${opts.link}` : `Gửi mã khảo sát ${opts.code} vào cuộc trò chuyện này để bắt đầu.`;
  return [
    `Nhắc lại: Ông/Bà chưa trả lời khảo sát về sự phục vụ của ${opts.unitName}. Ý kiến của Ông/Bà giúp cơ quan phục vụ tốt hơn.`,
    how,
    `Lời mời có hiệu lực đến ngày ${until}.`,
  ]
    .join('\n')
    .normalize('NFC');
}
