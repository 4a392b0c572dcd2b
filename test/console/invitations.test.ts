/**
 * The invitation pages in headless Chromium, on the product started as `npm start` with
 * its fake Telegram: an officer creates an invitation and prints its card, uploads a CSV
 * with one bad row and watches the batch complete, searches by dossier code, resends to a
 * corrected chat id, and is refused /rankings and another unit's invitation. Every page
 * passes axe-core at 360 and 1366 px (screenshots in test-artifacts/screenshots/).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_TEST_TIMEOUT, CONSOLE_USERS, browserErrors, checkPage, consoleInBrowser, login, newConsolePage, withPage } from '../support/browser.js';

const mainText = async (page: Page) => (await page.locator('main').innerText()).normalize('NFC');

describe('invitation pages in Chromium (an officer of SNV)', () => {
  let page: Page;
  let otherUnitInvitation: string;

  const rig = consoleInBrowser({
    async prepare(product) {
      const res = await product.api('POST', '/api/v1/invitations', { unitCode: 'XTP', channel: 'telegram', dossierCode: 'XTP-2026-9' });
      expect(res.status).toBe(201);
      otherUnitInvitation = ((await res.json()) as { id: string }).id;
    },
  });
  // One page, logged in once as the officer, that the block's tests share in order.
  beforeAll(async () => {
    page = await newConsolePage(rig.browser, rig.product.baseUrl);
    await login(page, CONSOLE_USERS.officer.username, CONSOLE_USERS.officer.password);
  }, BROWSER_TEST_TIMEOUT);
  afterAll(async () => {
    await page?.context().close();
  });

  it('creates an invitation through the form, which is sent to its chat, and shows a print-ready card', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Thư mời' }).click();
    await page.waitForURL((u) => u.pathname === '/invitations');
    await page.getByRole('link', { name: 'Tạo thư mời' }).click();
    await page.waitForURL((u) => u.pathname === '/invitations/new');
    await checkPage(page, 'invitations-new');
    await page.getByLabel('Đơn vị', { exact: true }).selectOption('SNV');
    await page.getByLabel('Kênh', { exact: true }).selectOption('telegram');
    await page.getByLabel('Mã hồ sơ (không bắt buộc)').fill('HS-2026-0001');
    await page.getByLabel('Mã thủ tục hành chính (không bắt buộc)').fill('1.001234');
    await page.getByLabel('Mã Telegram (chat id) — kênh Telegram').fill('100200300');
    await page.getByRole('button', { name: 'Tạo thư mời' }).click();
    await page.waitForURL((u) => /^\/invitations\/[0-9a-f-]{36}\/card$/.test(u.pathname));

    const text = await mainText(page);
    expect(text).toContain('Đã tạo thư mời.');
    expect(text).toContain('Sở Nội vụ');
    const inv = await rig.product.db.prisma.invitation.findFirstOrThrow({ where: { dossierCode: 'HS-2026-0001' } });
    expect(text).toContain(inv.code);
    // The QR image (a data: URI under the page's CSP) was decoded.
    const qr = page.getByRole('img', { name: `Mã QR của thư mời ${inv.code}` });
    await expect.poll(() => qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    await checkPage(page, 'invitation-card');
    // Printed: the card alone, without the navigation.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.site-header').isVisible()).toBe(false);
    expect(await page.locator('.invitation-card').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    await expect.poll(() => rig.product.telegram.acceptedSendsTo('100200300').length, { timeout: 60_000, message: 'the invitation sent to its chat' }).toBeGreaterThan(0);
  });

  it('uploads a CSV with one bad row, sees the row’s Vietnamese reason and watches the batch complete', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await page.goto('/invitations/bulk');
    await checkPage(page, 'invitations-bulk');
    const csv = ['Mã đơn vị;Kênh;Mã hồ sơ;Mã Telegram', 'SNV;telegram;HS-2026-0101;100200401', 'SNV;telegram;HS-2026-0102;khong-phai-so', 'SNV;telegram;HS-2026-0103;100200403'].join('\n');
    await page.getByLabel('Nội dung CSV').fill(csv);
    await page.getByRole('button', { name: 'Kiểm tra và tạo thư mời' }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/invitations/batches/'));
    // htmx polls the progress every 2 s until the worker is done.
    await expect.poll(() => mainText(page), { timeout: 90_000, message: 'the batch done' }).toContain('Trạng thái: Đã xong');
    const text = await mainText(page);
    expect(text).toContain('Thư mời mới: 2');
    expect(text).toContain('Dòng lỗi: 1');
    const errorRow = page.getByRole('region', { name: 'Các dòng lỗi' }).locator('tbody tr');
    expect(await errorRow.count()).toBe(1);
    expect((await errorRow.innerText()).normalize('NFC')).toMatch(/^2\s+Mã Telegram \(chat id\) phải là dãy số\.$/);
    await checkPage(page, 'invitation-batch');
    await expect.poll(() => rig.product.telegram.acceptedSendsTo('100200403').length, { timeout: 60_000 }).toBeGreaterThan(0);
  });

  it('refreshes a running batch’s progress by itself (htmx polling), without a reload', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    const officer = await rig.product.db.prisma.user.findUniqueOrThrow({ where: { username: CONSOLE_USERS.officer.username } });
    // A batch the worker has not finished (stored directly: the real ones finish too fast to watch).
    const batch = await rig.product.db.prisma.invitationBatch.create({
      data: { id: '6f1d2c3b-4a59-4e68-8f7a-0b1c2d3e4f50', createdByKeyId: `user:${officer.id}`, status: 'running', total: 2, processed: 0, results: [] },
    });
    await page.goto(`/invitations/batches/${batch.id}`);
    expect(await mainText(page)).toContain('Trạng thái: Đang xử lý — đã xử lý 0/2 dòng');
    const loads: string[] = [];
    const onLoad = () => loads.push(page.url());
    page.on('load', onLoad);
    await rig.product.db.prisma.invitationBatch.update({
      where: { id: batch.id },
      data: { status: 'done', processed: 2, errors: 2, finishedAt: new Date(), results: [{ row: 1, status: 'error', error: 'no active unit with code "ABC"' }, { row: 2, status: 'error', error: 'this key may not invite for unit XTP' }] },
    });
    await expect.poll(() => mainText(page), { timeout: 60_000, message: 'the progress refreshed in place' }).toContain('Trạng thái: Đã xong — đã xử lý 2/2 dòng');
    const text = await mainText(page);
    expect(text).toContain('Không có đơn vị đang hoạt động với mã này.');
    expect(text).toContain('Bạn không được tạo thư mời cho đơn vị này.');
    expect(loads).toEqual([]);
    page.off('load', onLoad);
  });

  it('searches by dossier code, and resends the invitation to a corrected chat id', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await page.goto('/invitations');
    await checkPage(page, 'invitations-list');
    await page.getByLabel('Mã ngắn hoặc mã hồ sơ').fill('HS-2026-0101');
    await page.getByRole('button', { name: 'Tìm' }).click();
    await page.waitForURL((u) => u.searchParams.get('q') === 'HS-2026-0101');
    const rows = page.getByRole('region', { name: 'Danh sách thư mời' }).locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.innerText()).toContain('HS-2026-0101');
    await checkPage(page, 'invitations-search');

    await rows.getByRole('link').click();
    await page.waitForURL((u) => /^\/invitations\/[0-9a-f-]{36}$/.test(u.pathname));
    expect(await mainText(page)).toContain('Telegram 100200401');
    await checkPage(page, 'invitation-detail');
    await page.getByLabel(/Mã Telegram \(chat id\) mới/).fill('100200499');
    await page.getByRole('button', { name: 'Gửi lại' }).click();
    await page.waitForURL((u) => u.searchParams.get('resent') === '1');
    const text = await mainText(page);
    expect(text).toContain('Đã đưa thư mời vào hàng đợi gửi lại.');
    expect(text).toContain('Telegram 100200499');
    expect(text).toContain('Cán bộ gửi lại tới người nhận mới');
    await checkPage(page, 'invitation-resent');
    await expect.poll(() => rig.product.telegram.acceptedSendsTo('100200499').length, { timeout: 60_000, message: 'the resend reached the corrected chat' }).toBeGreaterThan(0);
  });

  it('runs the card and the batch page under their own CSP: the QR data: image shows, htmx runs, nothing is refused', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await withPage(rig, CONSOLE_USERS.officer, async (strict) => {
      const inv = await rig.product.db.prisma.invitation.findFirstOrThrow({ where: { dossierCode: 'HS-2026-0103' } });
      await strict.goto(`/invitations/${inv.id}/card`);
      await expect.poll(() => strict.locator('img.card-qr').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
      const batch = await rig.product.db.prisma.invitationBatch.findFirstOrThrow();
      await strict.goto(`/invitations/batches/${batch.id}`);
      await strict.waitForLoadState('networkidle');
      expect(await strict.evaluate('typeof window.htmx')).toBe('object');
      expect(browserErrors(strict)).toEqual([]);
    }, { bypassCSP: false });
  });

  it('is refused the rankings and another unit’s invitation', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    const rankings = await page.goto('/rankings');
    // Officers never see reports: the 403 page.
    expect(rankings?.status()).toBe(403);
    expect((await mainText(page))).toContain('Không có quyền truy cập');
    const other = await page.goto(`/invitations/${otherUnitInvitation}`);
    expect(other?.status()).toBe(404);
    const text = (await page.locator('body').innerText()).normalize('NFC');
    expect(text).toContain('Không tìm thấy');
    expect(text).not.toContain('XTP-2026-9');
  });
});
