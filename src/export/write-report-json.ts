import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { IndexReport } from '../scoring/report-schema.js';

/**
 * Writes the report as UTF-8 JSON (the API's `format=json`) and ends the stream.
 * The report holds per-unit aggregates only, never responses, so it is small enough to
 * serialise at once.
 */
export async function writeReportJson(report: IndexReport, out: Writable): Promise<void> {
  out.end(JSON.stringify(report), 'utf8');
  await finished(out);
}
