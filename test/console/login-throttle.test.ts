/**
 * Password guessing: five wrong passwords slow every further attempt (a 429 or a clear
 * delay). In a file of its own, with its own product: the limit may hold for the whole
 * address, which would disturb the other console tests' logins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_TEST_TIMEOUT, CONSOLE_USERS, seedConsoleUsers, startConsoleProduct, type ConsoleProduct } from '../support/browser.js';
import { ConsoleHttpClient, csrfTokenIn } from '../support/console-http.js';

const WRONG_LOGIN = 'Tên đăng nhập hoặc mật khẩu không đúng.';
const { officer } = CONSOLE_USERS;

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

describe('console login throttling (product started as npm start)', () => {
  let product: ConsoleProduct;

  beforeAll(async () => {
    product = await startConsoleProduct();
    await seedConsoleUsers(product);
  }, BROWSER_TEST_TIMEOUT);
  afterAll(async () => {
    await product?.stop();
  });

  it('answers five wrong passwords with 401 and the Vietnamese message, then slows further attempts', async () => {
    const c = new ConsoleHttpClient(product.baseUrl);
    const durations: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const _csrf = await c.csrfFrom('/login');
      const { value: res, ms } = await timed(() => c.request('POST', '/login', { username: officer.username, password: `sai-mat-khau-${i}`, _csrf }));
      expect(res.status, `wrong password #${i}`).toBe(401);
      expect((await res.text()).normalize('NFC')).toContain(WRONG_LOGIN);
      durations.push(ms);
    }
    // The form itself may already be held back; otherwise post the sixth guess with its token.
    const form = await timed(() => c.get('/login'));
    const _csrf = form.value.status === 429 ? '' : (csrfTokenIn(await form.value.text()) ?? '');
    const { value: sixth, ms } = form.value.status === 429 ? form : await timed(() => c.request('POST', '/login', { username: officer.username, password: 'sai-mat-khau-6', _csrf }));
    const typical = Math.min(...durations);
    // Either refused outright, or held back well beyond what a wrong password normally costs.
    const slowed = sixth.status === 429 || ms >= typical + 1000;
    expect(slowed, `6th attempt: ${sixth.status} after ${Math.round(ms)} ms (wrong passwords took ${durations.map(Math.round).join(', ')} ms)`).toBe(true);
    expect(sixth.status).not.toBe(303);
  });
});
