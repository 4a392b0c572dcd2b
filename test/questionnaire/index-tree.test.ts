import { describe, expect, it } from 'vitest';
import { criteria } from '../../src/questionnaire/index-tree.js';
import { parseDefinition } from '../../src/questionnaire/validate-definition.js';
import { validDefinition } from './definition-fixture.js';

describe('criteria', () => {
  it('lists the criteria of a one-field instrument with their element and no field', () => {
    const list = criteria(parseDefinition(validDefinition()));
    expect(list).toEqual([
      { code: 'C1', title: { vi: 'Thái độ' }, question: 'q1', element: { code: 'E1', title: { vi: 'Công chức' } } },
      { code: 'C2', title: { vi: 'Tiếp nhận' }, question: 'q2', element: { code: 'E2', title: { vi: 'Góp ý' } } },
    ]);
    expect(list.some((c) => 'field' in c)).toBe(false);
  });

  it('adds the field in a two-field instrument, in tree order', () => {
    const input = validDefinition();
    input.index = [
      { code: 'F1', kind: 'field', title: { vi: 'Chính sách' }, children: [input.index[1]!] },
      { code: 'F2', kind: 'field', title: { vi: 'Dịch vụ' }, children: [input.index[0]!] },
    ];
    const list = criteria(parseDefinition(input));
    expect(list.map((c) => [c.field?.code, c.element.code, c.code])).toEqual([
      ['F1', 'E2', 'C2'],
      ['F2', 'E1', 'C1'],
    ]);
    expect(list[0]!.field).toEqual({ code: 'F1', title: { vi: 'Chính sách' } });
  });
});
