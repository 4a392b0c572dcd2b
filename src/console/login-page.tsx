import { BareLayout } from './layout.js';
import { ErrorLine } from './error-line.js';

/** The login form (fields `username`, `password`, hidden `_csrf`: the browser tests' contract). */
export function LoginPage({ csrf, next, error, username }: { csrf: string; next?: string; error?: string; username?: string }) {
  return (
    <BareLayout title="Đăng nhập">
      <ErrorLine message={error} />
      <form method="post" action={next ? `/login?next=${encodeURIComponent(next)}` : '/login'} class="stack">
        <input type="hidden" name="_csrf" value={csrf} />
        <label for="username">Tên đăng nhập</label>
        <input id="username" name="username" type="text" autocomplete="username" required autofocus value={username ?? ''} />
        <label for="password">Mật khẩu</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">Đăng nhập</button>
      </form>
    </BareLayout>
  );
}
