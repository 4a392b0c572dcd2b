import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * The command line of one of our tools: `--help` (or `-h`) prints `usage` and exits 0; an
 * unknown option or a missing value prints what was wrong and the usage, and exits 2.
 */
export function parseCli<O extends Options>(usage: string, options: O, allowPositionals = false) {
  const all = { ...options, help: { type: 'boolean', short: 'h' } } as const;
  try {
    const parsed = parseArgs({ options: all as O, allowPositionals, strict: true });
    if ((parsed.values as Record<string, unknown>).help) {
      console.log(usage);
      process.exit(0);
    }
    return parsed;
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}
