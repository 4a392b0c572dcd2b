/** The first line of an error's message that says something (driver messages often open with a blank line). */
export function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message || err.name : String(err);
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? 'unknown error'
  );
}
