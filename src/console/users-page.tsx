import { MIN_PASSWORD_LENGTH, type UserView } from '../users/user-schema.js';
import { formatDateTime } from './format-vi.js';
import { TableWrap } from './table-wrap.js';
import { Layout, type PageFrame } from './layout.js';
import { ROLE_LABELS } from './navigation.js';
import { RoleAndUnitsFields } from './role-fields.js';
import { ErrorLine } from './error-line.js';

export type NewUserForm = { username?: string; displayName?: string; role?: string; units?: string };

/** Administrators' page of console users: the list (with a lock button each) and a form to add one. */
export function UsersPage({ frame, users, notice, error, form }: { frame: PageFrame; users: UserView[]; notice?: string; error?: string; form?: NewUserForm }) {
  return (
    <Layout title="Người dùng" frame={frame}>
      {notice ? (
        <p class="notice" role="status" safe>
          {notice}
        </p>
      ) : (
        ''
      )}
      <ErrorLine message={error} />
      <p>
        Đặt lại mật khẩu bằng lệnh <code>npm run user -- reset-password</code> trên máy chủ.
      </p>
      <TableWrap label={`Danh sách người dùng (${users.length})`}>
        <table>
          <caption>{`Danh sách người dùng (${users.length})`}</caption>
          <thead>
            <tr>
              <th scope="col">Tên đăng nhập</th>
              <th scope="col">Họ và tên</th>
              <th scope="col">Vai trò</th>
              <th scope="col">Đơn vị</th>
              <th scope="col">Trạng thái</th>
              <th scope="col">Đăng nhập gần nhất</th>
              <th scope="col">Thao tác</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr>
                <td safe>{u.username}</td>
                <td safe>{u.displayName}</td>
                <td safe>{ROLE_LABELS[u.role]}</td>
                <td safe>{u.unitCodes.join(', ') || '—'}</td>
                <td safe>{u.disabledAt ? `Đã khóa từ ${formatDateTime(u.disabledAt)}` : 'Đang hoạt động'}</td>
                <td safe>{u.lastLoginAt ? formatDateTime(u.lastLoginAt) : 'Chưa đăng nhập'}</td>
                <td>
                  {u.disabledAt || u.username === frame.user.username ? (
                    '—'
                  ) : (
                    <form method="post" action={`/admin/users/${encodeURIComponent(u.username)}/disable`} class="inline">
                      <input type="hidden" name="_csrf" value={frame.csrf} />
                      <button type="submit" class="secondary" aria-label={`Khóa ${u.username}`}>
                        Khóa
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <h2>Thêm người dùng</h2>
      <form method="post" action="/admin/users" class="stack narrow-form">
        <input type="hidden" name="_csrf" value={frame.csrf} />
        <label for="username">Tên đăng nhập</label>
        <input id="username" name="username" type="text" autocomplete="off" required value={form?.username ?? ''} />
        <label for="displayName">Họ và tên</label>
        <input id="displayName" name="displayName" type="text" autocomplete="off" required value={form?.displayName ?? ''} />
        <RoleAndUnitsFields role={form?.role} units={form?.units} />
        <label for="password">{`Mật khẩu ban đầu (ít nhất ${MIN_PASSWORD_LENGTH} ký tự)`}</label>
        <input id="password" name="password" type="password" autocomplete="new-password" minlength={String(MIN_PASSWORD_LENGTH)} required />
        <button type="submit">Thêm người dùng</button>
      </form>
    </Layout>
  );
}
