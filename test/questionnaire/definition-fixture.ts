import type { QuestionnaireDefinitionInput } from '../../src/questionnaire/definition-schema.js';

/**
 * A small valid one-field definition; tests clone it and break one thing, so each
 * rejection is caused by that change alone.
 */
export function validDefinition(): QuestionnaireDefinitionInput {
  return {
    code: 'test-instrument',
    version: 1,
    title: { vi: 'Khảo sát thử', en: 'Test survey' },
    intro: { vi: 'Xin chào Ông/Bà.' },
    thanks: { vi: 'Xin cảm ơn Ông/Bà.' },
    questions: [
      { code: 'q1', kind: 'likert5', role: 'criterion', text: { vi: 'Công chức có thái độ giao tiếp lịch sự.' } },
      { code: 'filter', kind: 'yesno', role: 'filter', text: { vi: 'Ông/Bà có góp ý, phản ánh, kiến nghị không?' } },
      { code: 'q2', kind: 'likert5', role: 'criterion', text: { vi: 'Cơ quan tiếp nhận góp ý.' }, showIf: { question: 'filter', equals: true } },
      {
        code: 'field',
        kind: 'single',
        role: 'procedure',
        text: { vi: 'Lĩnh vực?' },
        options: [
          { value: 'dat_dai', text: { vi: 'Đất đai' } },
          { value: 'khac', text: { vi: 'Khác' } },
        ],
      },
      { code: 'overall', kind: 'likert5', role: 'overall', text: { vi: 'Nhìn chung, Ông/Bà hài lòng như thế nào?' } },
    ],
    index: [
      { code: 'E1', kind: 'element', title: { vi: 'Công chức' }, children: [{ code: 'C1', kind: 'criterion', title: { vi: 'Thái độ' }, question: 'q1' }] },
      { code: 'E2', kind: 'element', title: { vi: 'Góp ý' }, children: [{ code: 'C2', kind: 'criterion', title: { vi: 'Tiếp nhận' }, question: 'q2' }] },
    ],
  };
}
