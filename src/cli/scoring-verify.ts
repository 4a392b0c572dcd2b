import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { parseDay } from '../core/parse-day.js';
import { createPrismaClient } from '../db/prisma-client.js';
import type { CountDifference } from '../scoring/compare-counts.js';
import { QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';
import { parseQuestionnaireRef, questionnaireRefSchema } from '../questionnaire/questionnaire-ref.js';
import { rebuildRollups } from '../scoring/rebuild-rollups.js';
import { segmentName } from '../scoring/rollup-keys.js';
import { verifyRollups } from '../scoring/verify-rollups.js';

const USAGE = `Usage: npm run scoring:verify -- [--questionnaire CODE[@VERSION]] [--from DAY] [--to DAY] [--group GROUP] [--rebuild]

Recomputes the index counts from raw answers and compares them with the rollups kept by
the answers worker. Exit code 0 when they agree exactly, 1 on any difference, 2 on a usage
or connection error. --rebuild first recomputes the rollups from the raw answers.
DAY is dd/mm/yyyy or yyyy-mm-dd.`;

class UsageError extends Error {}

const MAX_PRINTED = 50;

function describe(d: CountDifference, units: Map<number, string>): string {
  const unit = units.get(d.unitId) ?? `#${d.unitId}`;
  const fmt = (v: Record<string, number> | null) => (v ? Object.entries(v).map(([k, n]) => `${k}=${n}`).join(' ') : '(no row)');
  const segment = d.segment === undefined ? '' : ` (${segmentName(d.segment)})`;
  return `  ${d.kind} unit ${unit}${d.key ? ` ${d.key}` : ''}${segment}: rollups ${fmt(d.rollup)} | raw answers ${fmt(d.raw)}`;
}

let exitCode = 0;
let db: ReturnType<typeof createPrismaClient> | undefined;
try {
  const { values } = parseArgs({
    options: { questionnaire: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, group: { type: 'string' }, rebuild: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const days: Partial<Record<'from' | 'to', string>> = {};
  for (const key of ['from', 'to'] as const) {
    if (values[key] === undefined) continue;
    const parsed = parseDay(values[key]);
    if (!parsed.ok) throw new UsageError(`--${key}: ${parsed.message}`);
    days[key] = parsed.day;
  }
  const config = loadConfig();
  db = createPrismaClient(config.databaseUrl, { max: 4 });
  const catalog = new QuestionnaireCatalog(db);
  const ref = values.questionnaire === undefined ? undefined : questionnaireRefSchema.safeParse(values.questionnaire);
  if (ref && !ref.success) throw new UsageError(`--questionnaire: ${ref.error.issues[0]!.message}`);
  const { code, version } = ref ? parseQuestionnaireRef(ref.data) : { code: undefined, version: undefined };
  // A bare code checks every stored version of it, oldest first; none checks them all.
  const questionnaires = (await catalog.list(code)).filter((q) => version === undefined || q.version === version).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.version - b.version));
  if (questionnaires.length === 0) throw new UsageError(code ? `questionnaire ${values.questionnaire} not found` : 'no questionnaires in the database');
  const units = new Map((await db.unit.findMany({ select: { id: true, code: true } })).map((u) => [u.id, u.code]));
  for (const q of questionnaires) {
    const label = `${q.code}@${q.version}`;
    if (values.rebuild) {
      const r = await rebuildRollups(db, q.id, { catalog });
      console.log(`${label}: rollups rebuilt (${r.criterionRows} criterion rows, ${r.optionRows} option rows)`);
    }
    const diffs = await verifyRollups(db, { questionnaireId: q.id, from: days.from ?? null, to: days.to ?? null, group: values.group ?? null }, { catalog });
    if (diffs.length === 0) {
      console.log(`${label}: OK, rollups equal the counts from raw answers`);
      continue;
    }
    exitCode = 1;
    console.log(`${label}: MISMATCH, ${diffs.length} difference(s)`);
    for (const d of diffs.slice(0, MAX_PRINTED)) console.log(describe(d, units));
    if (diffs.length > MAX_PRINTED) console.log(`  … and ${diffs.length - MAX_PRINTED} more`);
  }
  if (exitCode) console.log('Rollups differ from raw answers; `npm run scoring:verify -- --rebuild` recomputes them.');
} catch (err) {
  exitCode = 2;
  const parseError = String((err as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS');
  if (err instanceof ConfigError || err instanceof UsageError || parseError) console.error(`${(err as Error).message}\n\n${USAGE}`);
  else console.error(`scoring:verify failed: ${(err as Error).message}`);
} finally {
  await db?.$disconnect();
}
process.exit(exitCode);
