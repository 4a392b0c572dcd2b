/** Pieces the administration pages (units, unit groups, API keys, audit, queues) share. */

/** Who may open the administration pages. */
export const ADMINS = ['admin'] as const;

/** A text field of a posted form ('' when absent or not text). */
export const formField = (body: unknown, name: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};

/** A query parameter as text ('' when absent or repeated). */
export const queryField = (query: unknown, name: string): string => {
  const v = (query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};

/** The outcome line of a page: a notice after a redirect, or an error (with optional details) after a refused form. */
export function Flash({ notice, error, details }: { notice?: string | undefined; error?: string | undefined; details?: string[] | undefined }) {
  return (
    <>
      {notice ? (
        <p class="notice" role="status" safe>
          {notice}
        </p>
      ) : (
        ''
      )}
      {error ? (
        <div class="error" role="alert">
          <p safe>{error}</p>
          {details?.length ? (
            <ul>
              {details.map((d) => (
                <li safe>{d}</li>
              ))}
            </ul>
          ) : (
            ''
          )}
        </div>
      ) : (
        ''
      )}
    </>
  );
}
