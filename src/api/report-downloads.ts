import { PassThrough, type Writable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { writeAudit } from '../audit/write-audit.js';
import type { Principal } from '../auth/principal.js';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import { vietnamDay } from '../core/vietnam-day.js';
import { microdataColumns } from '../export/microdata-columns.js';
import { microdataRows } from '../export/microdata-rows.js';
import { attachmentHeader } from '../export/safe-text.js';
import { writeMicrodataCsv, writeMicrodataXlsx } from '../export/write-microdata.js';
import { writeReportCsv } from '../export/write-report-csv.js';
import { writeReportCsvLong } from '../export/write-report-csv-long.js';
import { writeReportJson } from '../export/write-report-json.js';
import { writeReportXlsx } from '../export/write-report-xlsx.js';
import type { StoredQuestionnaire } from '../questionnaire/questionnaire-catalog.js';
import { findRound, isoDay, type RoundWithQuotas } from '../rounds/round-store.js';
import { loadIndexReport } from '../scoring/load-index-report.js';
import type { IndexReport } from '../scoring/report-schema.js';
import { unitGroupExists } from '../units/unit-groups.js';
import { indexReportRange, microdataRange, type ReportRange, type RoundPeriod } from './report-access.js';
import { CONTENT_TYPES, downloadName, type ReportQuery } from './report-query.js';

/*
 * The index report and microdata downloads as both the JSON API (bearer key) and the web
 * console (session) serve them: same access rules for the caller's role, same figures,
 * same audit entries. Callers check the role first and parse the query with `reportQuerySchema`.
 */

/** Reports resolve a bare code to its highest version, active or not (a closed survey stays reportable); a round names its own. */
export const questionnaireOf = (ctx: AppContext, q: ReportQuery, round?: RoundWithQuotas) =>
  round ? ctx.catalog.resolve({ code: round.questionnaire.code, version: round.questionnaire.version }, 'report') : ctx.catalog.resolve(q.questionnaire, 'report');

/** The round named by `round=`, as a report period (ended once closed or past its last day). */
export async function roundOf(ctx: AppContext, q: ReportQuery): Promise<{ round: RoundWithQuotas; period: RoundPeriod } | undefined> {
  if (!q.round) return undefined;
  const round = await findRound(ctx.db, q.round);
  const to = isoDay(round.closesOn);
  const ended = round.closedAt !== null || to < isoDay(vietnamDay(ctx.now()));
  return { round, period: { code: round.code, from: isoDay(round.opensOn), to, ended } };
}

/** A group filter names one of the defined unit groups (reports over made-up groups are refused, not empty). */
export async function requireDefinedGroup(ctx: AppContext, q: ReportQuery) {
  if (q.group !== undefined && !(await unitGroupExists(ctx.db, q.group))) throw AppError.invalid(`"${q.group}" is not a unit group`);
}

export const auditRange = (r: ReportRange) => (r.period ? { period: r.period.name } : { from: r.from, to: r.to, freeRange: true });

export type LoadedIndexReport = { report: IndexReport; range: ReportRange; questionnaire: StoredQuestionnaire };

/** The index report `q` asks for, within what the principal's role may read (viewers: whole ended periods, all responses). */
export async function indexReportFor(ctx: AppContext, principal: Principal, q: ReportQuery): Promise<LoadedIndexReport> {
  if (principal.role === 'officer') throw AppError.forbidden('officers see progress, not index reports');
  const round = await roundOf(ctx, q);
  const range = indexReportRange(principal.role, q, ctx.config.reportPeriod, ctx.now(), round?.period);
  await requireDefinedGroup(ctx, q);
  const questionnaire = await questionnaireOf(ctx, q, round?.round);
  const report = await loadIndexReport(ctx.db, {
    questionnaireId: questionnaire.id, from: range.from, to: range.to, periodName: range.period?.name ?? null, group: q.group ?? null,
    filters: { source: q.source, quality: q.quality, test: q.test }, minCell: ctx.config.reportMinCell, generatedAt: ctx.now(), rollupsVia: ctx.sql, catalog: ctx.catalog,
    totals: q.total === 'pooled' ? 'pooled' : 'mean_of_units', rankOn: q.rank, province: ctx.config.provinceName,
  });
  return { report, range, questionnaire };
}

/** Streams `write` into the reply; a failure after the headers went out aborts the download. */
export function streamDownload(reply: FastifyReply, q: ReportQuery, range: ReportRange, kind: string, write: (out: Writable) => Promise<void>) {
  const body = new PassThrough();
  reply.header('content-type', CONTENT_TYPES[q.format]);
  if (q.format !== 'json') reply.header('content-disposition', attachmentHeader(downloadName(kind, q, range)));
  write(body).catch((err: unknown) => {
    reply.log.error({ err: (err as Error).message, kind }, 'download failed');
    body.destroy(err as Error);
  });
  return reply.send(body);
}

/** The index report as a download in `q.format` (json, annex csv, long csv, xlsx), audited as `report.download`. */
export async function sendIndexReport(ctx: AppContext, principal: Principal, q: ReportQuery, reply: FastifyReply) {
  const { report, range, questionnaire } = await indexReportFor(ctx, principal, q);
  await writeAudit(ctx.db, principal, 'report.download', { questionnaire: `${questionnaire.code}@${questionnaire.version}`, ...auditRange(range), group: q.group, source: q.source, quality: q.quality, test: q.test, format: q.format });
  const writer = { json: writeReportJson, csv: writeReportCsv, 'csv-long': writeReportCsvLong, xlsx: writeReportXlsx }[q.format];
  return streamDownload(reply, q, range, 'sipas-index', (out) => writer(report, out, q.locale));
}

/** Anonymised microdata (admins only) as csv or xlsx, whole ended periods or rounds only; audited as `microdata.download`. */
export async function sendMicrodata(ctx: AppContext, principal: Principal, q: ReportQuery, reply: FastifyReply) {
  if (principal.role !== 'admin') throw AppError.forbidden('only administrators can export microdata');
  if (q.format === 'json' || q.format === 'csv-long') throw AppError.invalid('microdata is exported as csv or xlsx');
  const round = await roundOf(ctx, q);
  const range = microdataRange(q, ctx.config.reportPeriod, ctx.now(), round?.period);
  await requireDefinedGroup(ctx, q);
  const questionnaire = await questionnaireOf(ctx, q, round?.round);
  const columns = microdataColumns(questionnaire.definition, q.text === '1');
  const rows = microdataRows(ctx.db, { questionnaireId: questionnaire.id, label: `${questionnaire.code}@${questionnaire.version}`, from: range.from!, to: range.to!, ...(q.group ? { group: q.group } : {}), test: q.test, minCell: ctx.config.reportMinCell }, columns);
  await writeAudit(ctx.db, principal, 'microdata.download', { questionnaire: `${questionnaire.code}@${questionnaire.version}`, ...auditRange(range), group: q.group, format: q.format, text: q.text === '1', test: q.test });
  return streamDownload(reply, q, range, 'sipas-microdata', (out) => (q.format === 'csv' ? writeMicrodataCsv(columns, rows, out) : writeMicrodataXlsx(columns, rows, out)));
}
