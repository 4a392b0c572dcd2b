import { MIN_PASSWORD_LENGTH } from '../users/user-schema.js';
import { BareLayout } from './layout.js';
import { ErrorLine } from './error-line.js';

/** The form behind the one-time link printed at first start. */
export function FirstAdminPage({ csrf, token, error, values }: { csrf: string; token: string; error?: string; values?: { username?: string; displayName?: string } }) {
  return (
    <BareLayout title="Tạo quản trị viên đầu tiên">
      <p>Chưa có người dùng nào. Tạo tài khoản quản trị viên đầu tiên; liên kết này chỉ dùng được một lần.</p>
      <ErrorLine message={error} />
      <form method="post" action={`/setup/first-admin?token=${encodeURIComponent(token)}`} class="stack">
        <input type="hidden" name="_csrf" value={csrf} />
        <label for="username">Tên đăng nhập</label>
        <input id="username" name="username" type="text" autocomplete="username" required value={values?.username ?? ''} />
        <label for="displayName">Họ và tên</label>
        <input id="displayName" name="displayName" type="text" autocomplete="name" required value={values?.displayName ?? ''} />
        <label for="password">{`Mật khẩu (ít nhất ${MIN_PASSWORD_LENGTH} ký tự)`}</label>
        <input id="password" name="password" type="password" autocomplete="new-password" minlength={String(MIN_PASSWORD_LENGTH)} required />
        <button type="submit">Tạo quản trị viên</button>
      </form>
    </BareLayout>
  );
}
