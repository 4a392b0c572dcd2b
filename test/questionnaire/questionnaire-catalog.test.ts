import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestBuiltinQuestionnaire } from '../../src/questionnaire/builtin-questionnaires.js';
import { QuestionnaireCatalog, QuestionnaireNotFoundError } from '../../src/questionnaire/questionnaire-catalog.js';
import { adminHeaders, startProduct, type Product } from '../support/start-product.js';

// The rule for a bare code (questionnaire-catalog.ts): reports take the highest stored
// version, active or not; starting a survey takes the highest active version only.
let product: Product;
let catalog: QuestionnaireCatalog;
const sipas2017 = latestBuiltinQuestionnaire('sipas-2017');

beforeAll(async () => {
  product = await startProduct();
  catalog = new QuestionnaireCatalog(product.db.prisma);
  // A third version of sipas-2017, stored but not (yet) opened for surveys.
  await catalog.seed([{ ...sipas2017, version: 3 }]);
  await catalog.setActive('sipas-2017', 3, false);
  await product.app!.inject({ method: 'PUT', url: '/api/v1/units', headers: adminHeaders, payload: [{ code: 'SNV', name: 'Sở Nội vụ', group: 'so' }] });
});
afterAll(async () => {
  await product?.stop();
});

const invite = (questionnaire: string) =>
  product.app!.inject({ method: 'POST', url: '/api/v1/invitations', headers: adminHeaders, payload: { unitCode: 'SNV', channel: 'telegram', questionnaire } });
const report = (questionnaire: string) => product.app!.inject({ method: 'GET', url: `/api/v1/reports/index?questionnaire=${questionnaire}`, headers: adminHeaders });

describe('the questionnaire catalog', () => {
  it('resolves a bare code to the highest version for a report and the highest active one to start', async () => {
    expect((await catalog.resolve('sipas-2017', 'report')).version).toBe(3);
    expect((await catalog.resolve('sipas-2017', 'start')).version).toBe(2);
    expect((await catalog.resolve('sipas-2017@3', 'report')).version).toBe(3);
    await expect(catalog.resolve('sipas-2017@3', 'start')).rejects.toBeInstanceOf(QuestionnaireNotFoundError);
    // The built-in version 1 was stored closed next to version 2: reportable, never started.
    expect((await catalog.resolve('sipas-2017@1', 'report')).active).toBe(false);
    await expect(catalog.resolve('sipas-2017@1', 'start')).rejects.toBeInstanceOf(QuestionnaireNotFoundError);
    await expect(catalog.resolve('sipas-1999', 'report')).rejects.toMatchObject({ kind: 'not_found', code: 'unknown_questionnaire' });
  });

  it('keeps a closed survey reportable and refuses to start it', async () => {
    await catalog.setActive('sipas-2017', 2, false);
    try {
      await expect(catalog.resolve('sipas-2017', 'start')).rejects.toBeInstanceOf(QuestionnaireNotFoundError);
      const refused = await invite('sipas-2017');
      expect(refused.statusCode).toBe(422);
      expect(refused.json().error.code).toBe('unknown_questionnaire');
      expect((await invite('sipas-2017@2')).statusCode).toBe(422);
      const closed = await report('sipas-2017@2');
      expect(closed.statusCode).toBe(200);
      expect(closed.json().questionnaire).toMatchObject({ code: 'sipas-2017', version: 2 });
      expect((await report('sipas-2017')).json().questionnaire.version).toBe(3);
    } finally {
      await catalog.setActive('sipas-2017', 2, true);
    }
    expect((await invite('sipas-2017')).statusCode).toBe(201);
  });

  it('answers 404 on a report of a questionnaire that was never stored', async () => {
    const res = await report('sipas-1999');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('unknown_questionnaire');
  });
});
