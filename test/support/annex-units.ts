import { expect } from 'vitest';
import type { QuestionnaireDefinition } from '../../src/questionnaire/definition-schema.js';
import { criterionBindings } from '../../src/scoring/index-bindings.js';
import { insertResponses, type FakeResponse } from './scoring-database.js';
import { chose, likert } from './scoring-fixtures.js';
import { adminHeaders, type Product } from './start-product.js';
import { putUnits, type UnitRow } from './units.js';

/*
 * A province as its annex shows it: 63 units in three groups plus separately ranked
 * land-registry branches, with varied indices, ties and one unit below the minimum cell.
 */

export const ANNEX_GROUPS = [
  { code: 'xa', label: 'UBND cấp xã', order: 30, rankSeparately: false },
  { code: 'so', label: 'Sở, ban, ngành', order: 10, rankSeparately: false },
  { code: 'chi-nhanh', label: 'Chi nhánh Văn phòng đăng ký đất đai', order: 40, rankSeparately: true },
  { code: 'huyen', label: 'UBND cấp huyện', order: 20, rankSeparately: false },
];

const two = (i: number) => String(i).padStart(2, '0');
/** Names are unique and none is the start of another (so a name found in a PDF's text is that unit's). */
export const ANNEX_UNITS: UnitRow[] = [
  ...Array.from({ length: 30 }, (_, i) => ({ code: `X${two(i + 1)}`, name: `UBND xã Hòa Phước ${two(i + 1)}`, group: 'xa' })),
  ...Array.from({ length: 15 }, (_, i) => ({ code: `S${two(i + 1)}`, name: `Sở Ngành Tỉnh ${two(i + 1)}`, group: 'so' })),
  ...Array.from({ length: 12 }, (_, i) => ({ code: `H${two(i + 1)}`, name: `UBND huyện Điện Bàn ${two(i + 1)}`, group: 'huyen' })),
  ...Array.from({ length: 6 }, (_, i) => ({ code: `C${two(i + 1)}`, name: `Chi nhánh VPĐKĐĐ khu vực ${two(i + 1)}`, group: 'chi-nhanh' })),
];

/** The unit with too few responses (withheld, as is the next smallest of its group). */
export const ANNEX_SMALL_UNIT = 'X07';
export const ANNEX_FROM = '2026-11-01';
export const ANNEX_TO = '2026-11-30';

/** Responses of unit `i`: 6–10 respondents, some satisfied on every criterion, the others mixed. */
function responsesOf(unitId: number, i: number, def: QuestionnaireDefinition, small: boolean): FakeResponse[] {
  const n = small ? 2 : 6 + (i % 5);
  const satisfied = (i * 7) % (n + 1);
  const gender = def.questions.find((q) => q.code === 'gender');
  const genderOptions = gender && 'options' in gender ? (gender.options ?? []) : [];
  return Array.from({ length: n }, (_, k) => ({
    unitId,
    day: `2026-11-${two(1 + ((i + k) % 28))}`,
    status: 'completed' as const,
    answers: [
      ...criterionBindings(def).map((b, j) => likert(b.questionCode, k < satisfied ? 4 + ((j + k) % 2) : 1 + ((i + j + k) % 4))),
      ...(genderOptions.length > 1 ? [chose('gender', genderOptions[k % 3 === 0 ? 0 : 1]!.value)] : []),
    ],
  }));
}

/** Stores the groups, units and responses (with rollups) of the annex province in a running product. */
export async function seedAnnexProvince(product: Product, def: QuestionnaireDefinition): Promise<void> {
  const put = await product.app!.inject({ method: 'PUT', url: '/api/v1/unit-groups', headers: adminHeaders, payload: ANNEX_GROUPS });
  expect(put.statusCode, put.body).toBe(200);
  await putUnits(product.app!, ANNEX_UNITS);
  const q = await product.db.prisma.questionnaire.findFirstOrThrow({ where: { code: def.code, version: def.version } });
  const ids = new Map((await product.db.prisma.unit.findMany()).map((u) => [u.code, u.id]));
  const responses = ANNEX_UNITS.flatMap((u, i) => responsesOf(ids.get(u.code)!, i, def, u.code === ANNEX_SMALL_UNIT));
  await insertResponses(product.db.prisma, { id: q.id, definition: def }, responses);
}
