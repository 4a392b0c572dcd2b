/**
 * The web console over plain HTTP, as a browser without JavaScript would use it: a cookie
 * jar, form posts, the CSRF token read from the page's hidden `_csrf` field. For tests of
 * what the server answers (status codes, headers, cookies) rather than what a page shows,
 * and for the console benchmark (so no test-runner imports here).
 */

export type SetCookie = { name: string; value: string; attributes: string[] };

export function parseSetCookie(header: string): SetCookie {
  const [pair = '', ...attributes] = header.split(';').map((s) => s.trim());
  const eq = pair.indexOf('=');
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
}

/** The value of the hidden `_csrf` input of an HTML page (attribute order does not matter). */
export function csrfTokenIn(html: string): string | undefined {
  for (const tag of html.match(/<input\b[^>]*>/gi) ?? []) {
    if (!/\bname\s*=\s*["']?_csrf["'\s>]/i.test(tag)) continue;
    const value = /\bvalue\s*=\s*"([^"]*)"|\bvalue\s*=\s*'([^']*)'/i.exec(tag);
    if (value) return value[1] ?? value[2];
  }
  return undefined;
}

export class ConsoleHttpClient {
  readonly cookies = new Map<string, string>();
  /** The Set-Cookie headers of the last answer, parsed. */
  lastSetCookies: SetCookie[] = [];

  constructor(readonly baseUrl: string) {}

  /** One request, redirects not followed, cookies kept; `form` is sent url-encoded. */
  async request(method: string, urlPath: string, form?: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${this.baseUrl}${urlPath}`, {
      method,
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...headers },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    this.lastSetCookies = res.headers.getSetCookie().map(parseSetCookie);
    for (const c of this.lastSetCookies) {
      const expired = c.value === '' || c.attributes.some((a) => /^max-age=0$/i.test(a));
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  get(urlPath: string): Promise<Response> {
    return this.request('GET', urlPath);
  }

  /** GETs a page that holds a form and returns its CSRF token (fails when it has none). */
  async csrfFrom(urlPath: string): Promise<string> {
    const res = await this.get(urlPath);
    const html = await res.text();
    const token = csrfTokenIn(html);
    if (!token) throw new Error(`no _csrf field in ${urlPath} (status ${res.status})`);
    return token;
  }

  /** Logs in through the form (with its CSRF token); returns the answer to the POST. */
  async login(username: string, password: string): Promise<Response> {
    const _csrf = await this.csrfFrom('/login');
    return this.request('POST', '/login', { username, password, _csrf });
  }

  /** Logs in and fails unless the console sent the user on (303). */
  async loginOk(username: string, password: string): Promise<void> {
    const res = await this.login(username, password);
    if (res.status !== 303) throw new Error(`POST /login as ${username}: ${res.status} ${await res.text()}`);
  }
}

/** Where a redirect points, as a path with its query (or undefined when it is not one). */
export function redirectPath(res: Response): string | undefined {
  const location = res.headers.get('location');
  if (!location) return undefined;
  const url = new URL(location, 'http://x');
  return url.pathname + url.search;
}
