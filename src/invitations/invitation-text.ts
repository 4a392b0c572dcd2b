/** The invitation a citizen receives (Vietnamese, NFC). */
export function invitationText(opts: { unitName: string; link?: string; code: string; expiresAt: Date }): string {
  const until = opts.expiresAt.toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
  const how = opts.link ? `Bấm vào đường dẫn để bắt đầu: ${opts.link}` : `Gửi mã khảo sát ${opts.code} vào cuộc trò chuyện này để bắt đầu.`;
  return [
    `Cảm ơn Ông/Bà đã thực hiện thủ tục hành chính tại ${opts.unitName}.`,
    'Mời Ông/Bà dành khoảng 5 phút cho biết mức độ hài lòng về sự phục vụ. Phiếu khảo sát hoàn toàn ẩn danh.',
    how,
    `Lời mời có hiệu lực đến ngày ${until}.`,
  ]
    .join('\n')
    .normalize('NFC');
}
