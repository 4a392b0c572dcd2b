import { describe, expect, it } from 'vitest';
import { indexReportRange, microdataRange } from '../../src/api/report-access.js';
import { reportQuerySchema } from '../../src/api/report-query.js';

const now = new Date('2026-12-05T03:00:00Z');
const q = (query: Record<string, string>) => reportQuerySchema.parse(query);
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err as { kind?: string; message: string };
  }
  throw new Error('expected a refusal');
};

describe('what a report may cover', () => {
  it('a viewer gets the latest ended period of the configured kind by default', () => {
    expect(indexReportRange('viewer', q({}), 'quarter', now)).toMatchObject({ from: '2026-07-01', to: '2026-09-30', period: { name: '2026-Q3' }, freeRange: false });
    expect(indexReportRange('viewer', q({ period: '2026-11' }), 'month', now)).toMatchObject({ from: '2026-11-01', to: '2026-11-30' });
  });

  it('a viewer cannot ask for a free range, another kind of period, one that has not ended, or filters', () => {
    expect(refusal(() => indexReportRange('viewer', q({ to: '2026-12-04' }), 'quarter', now)).message).toMatch(/whole period/);
    expect(refusal(() => indexReportRange('viewer', q({ from: '01/12/2026' }), 'quarter', now)).message).toMatch(/whole period/);
    expect(refusal(() => indexReportRange('viewer', q({ period: '2026-11' }), 'quarter', now)).message).toMatch(/whole quarters/);
    expect(refusal(() => indexReportRange('viewer', q({ period: '2026-Q4' }), 'quarter', now)).message).toMatch(/has not ended/);
    expect(refusal(() => indexReportRange('viewer', q({ source: 'open' }), 'quarter', now)).kind).toBe('forbidden');
    expect(refusal(() => indexReportRange('viewer', q({ quality: 'exclude_flagged' }), 'quarter', now)).kind).toBe('forbidden');
  });

  it('an admin may ask for any range (recorded as free) or period, with filters', () => {
    expect(indexReportRange('admin', q({ from: '01/12/2026', to: '2026-12-04', source: 'open' }), 'quarter', now)).toEqual({ from: '2026-12-01', to: '2026-12-04', period: null, freeRange: true });
    expect(indexReportRange('admin', q({ period: '2026-Q4' }), 'quarter', now)).toMatchObject({ from: '2026-10-01', to: '2026-12-31', freeRange: false });
  });

  it('microdata covers whole ended periods only, even for admins', () => {
    expect(microdataRange(q({}), 'quarter', now)).toMatchObject({ period: { name: '2026-Q3' } });
    expect(refusal(() => microdataRange(q({ from: '2026-12-01' }), 'quarter', now)).message).toMatch(/whole period/);
  });
});
