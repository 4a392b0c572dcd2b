/** `--web` / `--worker` select the roles of this process; none means both. */
export function parseStartFlags(argv: string[]): { web: boolean; worker: boolean } {
  const web = argv.includes('--web');
  const worker = argv.includes('--worker');
  const unknown = argv.filter((a) => a.startsWith('--') && a !== '--web' && a !== '--worker');
  if (unknown.length) throw new Error(`unknown option ${unknown.join(' ')} (expected --web and/or --worker)`);
  return web || worker ? { web, worker } : { web: true, worker: true };
}
