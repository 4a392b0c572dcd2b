/** Citizen-facing sentences the Zalo channel adds to the engine's own (Vietnamese, NFC). */
export const ZALO_VI = {
  /** Images, stickers, voice, files… cannot answer a survey question. */
  mediaReply: 'Xin lỗi, hệ thống chỉ nhận câu trả lời bằng chữ hoặc số. Xin Ông/Bà vui lòng gõ câu trả lời bằng chữ hoặc số.',
  /** Confirms a button press (oa.query.hide hides the citizen's own message). */
  chosen: (label: string) => `Đã chọn: ${label}.`,
  /** Button of a CS invitation: its payload is the survey code. */
  startButton: 'Bắt đầu khảo sát',
} as const;
