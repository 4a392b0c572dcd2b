import type { UserView } from '../users/user-schema.js';
import { navFor, ROLE_LABELS } from './navigation.js';

export type PageUser = Pick<UserView, 'username' | 'displayName' | 'role'>;

/** What every signed-in page's frame needs: who is looking, the session's CSRF token and where they are. */
export type PageFrame = { user: PageUser; csrf: string; path: string };

function Head({ title }: { title: string }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title safe>{`${title} · SIPAS`}</title>
      <link rel="stylesheet" href="/assets/console.css" />
      {/* No favicon request (it would only be a 404). */}
      <link rel="icon" href="data:," />
      <script src="/assets/htmx.min.js" defer></script>
    </head>
  );
}

/** A page of the signed-in console: skip link, header with the role's navigation and logout, then the page. */
export function Layout({ title, frame, children }: { title: string; frame: PageFrame; children?: JSX.Element | JSX.Element[] | string }) {
  const items = navFor(frame.user.role);
  return (
    <>
      {'<!doctype html>'}
      <html lang="vi">
        <Head title={title} />
        <body>
          <a class="skip-link" href="#main">
            Bỏ qua điều hướng
          </a>
          <header class="site-header">
            <p class="brand">SIPAS · Chỉ số hài lòng</p>
            <nav aria-label="Điều hướng chính">
              <ul class="nav">
                {items.map((i) => (
                  <li>
                    <a href={i.href} aria-current={i.href === frame.path ? 'page' : undefined} safe>
                      {i.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <div class="account">
              <span class="who" safe>
                {`${frame.user.displayName} (${ROLE_LABELS[frame.user.role]})`}
              </span>
              <form method="post" action="/logout" class="inline">
                <input type="hidden" name="_csrf" value={frame.csrf} />
                <button type="submit">Đăng xuất</button>
              </form>
            </div>
          </header>
          <main id="main" tabindex="-1">
            <h1 safe>{title}</h1>
            {children}
          </main>
        </body>
      </html>
    </>
  );
}

/** A page for someone not signed in (login, first administrator): no navigation. */
export function BareLayout({ title, children }: { title: string; children?: JSX.Element | JSX.Element[] | string }) {
  return (
    <>
      {'<!doctype html>'}
      <html lang="vi">
        <Head title={title} />
        <body class="bare">
          <main id="main" class="narrow">
            <p class="brand">SIPAS · Chỉ số hài lòng</p>
            <h1 safe>{title}</h1>
            {children}
          </main>
        </body>
      </html>
    </>
  );
}
