import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILTIN_QUESTIONNAIRES_DIR, loadBuiltinQuestionnaires } from '../../src/questionnaire/builtin-questionnaires.js';
import type { Question, QuestionnaireDefinition } from '../../src/questionnaire/definition-schema.js';
import { criteria } from '../../src/questionnaire/index-tree.js';
import { InvalidDefinitionError } from '../../src/questionnaire/validate-definition.js';
import { validDefinition } from './definition-fixture.js';

const builtins = loadBuiltinQuestionnaires();
const byCode = (code: string, version: number): QuestionnaireDefinition => {
  const def = builtins.find((d) => d.code === code && d.version === version);
  if (!def) throw new Error(`${code}@${version} is not a built-in questionnaire`);
  return def;
};
const question = (def: QuestionnaireDefinition, code: string): Question => {
  const q = def.questions.find((x) => x.code === code);
  if (!q) throw new Error(`${def.code} has no question ${code}`);
  return q;
};
const countBy = (xs: string[]) => Object.fromEntries([...new Set(xs)].map((x) => [x, xs.filter((y) => y === x).length]));

describe('built-in questionnaires', () => {
  it('loads and validates both instruments, one per data file, every stored version kept', () => {
    expect(builtins.map((d) => `${d.code}@${d.version}`)).toEqual(['sipas-2017@1', 'sipas-2017@2', 'sipas-2024@1', 'sipas-2024@2']);
    expect(readdirSync(BUILTIN_QUESTIONNAIRES_DIR).filter((f) => f.endsWith('.json'))).toHaveLength(builtins.length);
  });

  it('finds the data files from the module, not from the working directory', () => {
    const cwd = process.cwd();
    process.chdir(tmpdir());
    try {
      expect(loadBuiltinQuestionnaires().map((d) => d.code)).toEqual(['sipas-2017', 'sipas-2017', 'sipas-2024', 'sipas-2024']);
    } finally {
      process.chdir(cwd);
    }
  });

  describe('every text', () => {
    // Walk the raw files: the schema only sees `vi` fields, this also covers en, basis and aliases.
    const strings: string[] = [];
    const walk = (x: unknown): void => {
      if (typeof x === 'string') strings.push(x);
      else if (Array.isArray(x)) x.forEach(walk);
      else if (x && typeof x === 'object') Object.values(x).forEach(walk);
    };
    for (const f of readdirSync(BUILTIN_QUESTIONNAIRES_DIR).filter((n) => n.endsWith('.json'))) walk(JSON.parse(readFileSync(join(BUILTIN_QUESTIONNAIRES_DIR, f), 'utf8')));

    it('is NFC-normalised Vietnamese with diacritics', () => {
      expect(strings.filter((s) => /[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]/i.test(s)).length).toBeGreaterThan(300);
      expect(strings.filter((s) => s !== s.normalize('NFC'))).toEqual([]);
    });

    it('has an English translation', () => {
      const texts: { vi: string; en?: string }[] = [];
      const collect = (x: unknown): void => {
        if (Array.isArray(x)) x.forEach(collect);
        else if (x && typeof x === 'object') {
          if ('vi' in x) texts.push(x as { vi: string; en?: string });
          else Object.values(x).forEach(collect);
        }
      };
      builtins.forEach(collect);
      expect(texts.length).toBeGreaterThan(300);
      expect(texts.filter((t) => !t.en?.trim()).map((t) => t.vi)).toEqual([]);
    });
  });

  describe('sipas-2017 version 1 (a province variant: N/A allowed, element 5 behind a filter)', () => {
    const def = byCode('sipas-2017', 1);
    const list = criteria(def);

    it('has 5 elements and 22 criteria coded 1.1 … 5.4 (4, 5, 6, 3, 4)', () => {
      expect(def.index.map((n) => [n.kind, n.code])).toEqual([['element', '1'], ['element', '2'], ['element', '3'], ['element', '4'], ['element', '5']]);
      expect(list).toHaveLength(22);
      expect(countBy(list.map((c) => c.element.code))).toEqual({ '1': 4, '2': 5, '3': 6, '4': 3, '5': 4 });
      const expected = [4, 5, 6, 3, 4].flatMap((n, e) => Array.from({ length: n }, (_, i) => `${e + 1}.${i + 1}`));
      expect(list.map((c) => c.code)).toEqual(expected);
      expect(list.every((c) => c.field === undefined)).toBe(true);
    });

    it('measures each criterion with the likert question of the same code', () => {
      for (const c of list) {
        expect(c.question).toBe(c.code);
        expect(question(def, c.question)).toMatchObject({ kind: 'likert5', role: 'criterion' });
      }
      expect(def.questions.filter((q) => q.role === 'criterion')).toHaveLength(22);
    });

    it('asks element 5 only after a "yes" to the complaint filter, and elements 1–4 unconditionally', () => {
      const filterAt = def.questions.findIndex((q) => q.code === 'complaint');
      expect(def.questions[filterAt]).toMatchObject({ kind: 'yesno', role: 'filter' });
      for (const c of list) {
        const at = def.questions.findIndex((q) => q.code === c.question);
        if (c.element.code === '5') {
          expect(at).toBeGreaterThan(filterAt);
          expect(def.questions[at]!.showIf).toEqual({ question: 'complaint', equals: true });
        } else {
          expect(at).toBeLessThan(filterAt);
          expect(def.questions[at]!.showIf).toBeUndefined();
        }
      }
    });

    it('surrounds the criteria with profile, procedure, perception, overall, expectation and comment items in order', () => {
      const firstOf = (role: string) => def.questions.findIndex((q) => q.role === role);
      const order = ['profile', 'procedure', 'criterion', 'filter', 'perception', 'overall', 'expectation', 'comment'].map(firstOf);
      expect(order.every((at) => at >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(def.questions.filter((q) => q.role === 'profile').map((q) => q.code)).toEqual(['respondent_type', 'gender', 'age_band', 'education', 'occupation']);
      const procedure = question(def, 'field');
      expect(procedure.kind === 'single' && procedure.options.map((o) => o.text.vi)).toEqual(expect.arrayContaining(['Đất đai', 'Xây dựng', 'Khác']));
      expect(question(def, 'overall')).toMatchObject({ kind: 'likert5', role: 'overall' });
      expect(list.map((c) => c.question)).not.toContain('overall');
      expect(question(def, 'expectations')).toMatchObject({ kind: 'multi', role: 'expectation' });
      expect(question(def, 'comment')).toMatchObject({ kind: 'text', role: 'comment', required: false, maxLength: 1000 });
    });
  });

  describe('sipas-2024 version 1 (largely the 2022 form)', () => {
    const def = byCode('sipas-2024', 1);
    const list = criteria(def);

    it('has two fields: policy with 23 criteria in 4 elements, services with 16 in 5 (3, 4, 3, 3, 3)', () => {
      expect(def.index.map((n) => [n.kind, n.code])).toEqual([['field', 'CS'], ['field', 'DV']]);
      expect(list).toHaveLength(39);
      expect(countBy(list.map((c) => c.field!.code))).toEqual({ CS: 23, DV: 16 });
      const dv = def.index[1]!.children!;
      expect(dv.map((e) => [e.code, e.children!.length])).toEqual([['DV1', 3], ['DV2', 4], ['DV3', 3], ['DV4', 3], ['DV5', 3]]);
      expect(def.index[0]!.children!.map((e) => e.code)).toEqual(['CS1', 'CS2', 'CS3', 'CS4']);
      expect(list.every((c) => c.question === c.code && c.code.startsWith(`${c.element.code}.`))).toBe(true);
    });

    it('asks the complaint element only of people who have filed a complaint or petition', () => {
      const filterAt = def.questions.findIndex((q) => q.code === 'exp_complaint');
      expect(def.questions[filterAt]).toMatchObject({ kind: 'yesno', role: 'filter' });
      const gated = def.questions.filter((q) => q.showIf);
      expect(gated.map((q) => q.code)).toEqual(['DV5.1', 'DV5.2', 'DV5.3']);
      for (const q of gated) {
        expect(q.showIf).toEqual({ question: 'exp_complaint', equals: true });
        expect(def.questions.indexOf(q)).toBeGreaterThan(filterAt);
      }
    });

    it('has the perception items and 10 expectation items', () => {
      const channel = question(def, 'submission_channel');
      expect(channel.kind === 'single' && channel.options.map((o) => o.value)).toEqual(['truc_tiep', 'truc_tuyen_toan_trinh', 'truc_tuyen_mot_phan']);
      for (const code of ['policy_interest', 'policy_info_source', 'harassment', 'informal_payment']) expect(question(def, code).role).toBe('perception');
      expect(def.questions.filter((q) => q.role === 'perception' && q.kind === 'yesno').length).toBeGreaterThanOrEqual(6);
      expect(def.questions.filter((q) => q.role === 'expectation')).toHaveLength(10);
    });
  });
});

describe('the national instruments as the Ministry asks them (version 2)', () => {
  const v2017 = byCode('sipas-2017', 2);
  const v2024 = byCode('sipas-2024', 2);

  it('are MoHA-comparable: no "no opinion" option and no filter on any criterion', () => {
    for (const def of [v2017, v2024]) {
      expect(def.mode).toBe('moha-comparable');
      const measured = criteria(def).map((c) => question(def, c.question));
      expect(measured.every((q) => q.kind === 'likert5' && q.allowNa === false && q.showIf === undefined)).toBe(true);
      expect(def.questions.filter((q) => q.role === 'filter')).toEqual([]);
      expect(def.intro.vi).not.toContain('Không có ý kiến');
    }
  });

  it('sipas-2017: the official element titles and the corrected 4.1, 5.1 and 5.4; the overall index is the mean of the elements (our reading)', () => {
    expect(v2017.index.map((e) => e.title.vi)).toEqual([
      'Tiếp cận dịch vụ hành chính công của cơ quan hành chính nhà nước',
      'Thủ tục hành chính',
      'Công chức trực tiếp giải quyết công việc',
      'Kết quả cung ứng dịch vụ hành chính công',
      'Tiếp nhận, xử lý các ý kiến góp ý, phản ánh, kiến nghị',
    ]);
    const title = (code: string) => criteria(v2017).find((c) => c.code === code)!.title.vi;
    expect(title('4.1')).toContain('bị từ chối cấp giấy tờ');
    expect(title('5.1')).toContain('của người dân, tổ chức');
    expect(title('5.4')).toContain('các ý kiến góp ý');
    expect(criteria(v2017)).toHaveLength(22);
    expect(v2017.aggregation).toMatchObject({ overall: { rule: 'mean_of_children', evidence: 'our_reading' } });
  });

  it('sipas-2024: 23 policy criteria (2, 2, 9, 10) and 16 service criteria (3, 4, 3, 3, 3); the overall index is the mean of the 39 criteria', () => {
    const list = criteria(v2024);
    expect(v2024.index.map((f) => [f.code, f.children!.map((e) => e.children!.length)])).toEqual([
      ['CS', [2, 2, 9, 10]],
      ['DV', [3, 4, 3, 3, 3]],
    ]);
    expect(list).toHaveLength(39);
    expect(v2024.aggregation).toMatchObject({ overall: { rule: 'mean_of_criteria', evidence: 'published_figures' }, field: { rule: 'mean_of_criteria' } });
    expect(question(v2024, 'DV1.1').text.vi).toContain('chỗ ngồi chờ và bàn viết');
    expect(list.map((c) => c.code)).not.toContain('CS1.3');
    expect(question(v2024, 'CS3.9').text.vi).toBe('Chính quyền thực hiện tốt chính sách về cải cách hành chính.');
    expect(question(v2024, 'CS4.10').text.vi).toContain('Năng lực của đội ngũ cán bộ, công chức');
    expect(list.every((c) => question(v2024, c.question).source)).toBe(true);
  });

  it('sipas-2024: perception grids asked one row at a time, and 10 expectations on four levels', () => {
    const options = (code: string) => {
      const q = question(v2024, code);
      return q.kind === 'single' || q.kind === 'multi' ? q.options.map((o) => o.text.vi) : [];
    };
    expect(v2024.questions.filter((q) => q.code.startsWith('interest_'))).toHaveLength(9);
    expect(options('interest_cchc')).toEqual(['Không quan tâm theo dõi', 'Khá quan tâm theo dõi', 'Quan tâm theo dõi', 'Rất quan tâm theo dõi']);
    expect(options('info_channels')).toHaveLength(7);
    expect(options('info_channels').join(' ')).toContain('Zalo, Facebook');
    expect(v2024.questions.filter((q) => q.code.startsWith('channel_fit_'))).toHaveLength(7);
    expect(options('channel_fit_loa')).toEqual(['Không phù hợp', 'Khá phù hợp', 'Phù hợp', 'Rất phù hợp']);
    expect(options('comment_willingness')).toHaveLength(5);
    expect(options('harassment')).toHaveLength(3);
    expect(options('informal_payment')).toHaveLength(3);
    expect(v2024.questions.filter((q) => q.code.startsWith('submit_fit_'))).toHaveLength(3);
    expect(v2024.questions.filter((q) => q.code.startsWith('exp_') && q.kind === 'yesno')).toHaveLength(7);
    const expectations = v2024.questions.filter((q) => q.role === 'expectation');
    expect(expectations).toHaveLength(10);
    expect(options(expectations[0]!.code)).toEqual(['Không mong muốn', 'Khá mong muốn', 'Mong muốn', 'Rất mong muốn']);
  });
});

describe('loadBuiltinQuestionnaires on a directory', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const withFiles = (files: Record<string, string>) => {
    dir = mkdtempSync(join(tmpdir(), 'questionnaires-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  const thrown = (fn: () => unknown): InvalidDefinitionError => {
    try {
      fn();
    } catch (err) {
      if (err instanceof InvalidDefinitionError) return err;
      throw err;
    }
    throw new Error('nothing was thrown');
  };

  it('names the file whose definition is invalid, with the problem path', () => {
    const bad = validDefinition();
    bad.index[0]!.children![0]!.question = 'nope';
    const err = thrown(() => loadBuiltinQuestionnaires(withFiles({ 'a-good.json': JSON.stringify(validDefinition()), 'b-bad.json': JSON.stringify(bad) })));
    expect(err.source).toBe('b-bad.json');
    expect(err.message).toContain('Invalid questionnaire b-bad.json:');
    expect(err.problems).toContainEqual({ path: 'index[0].children[0].question', message: 'unknown question code "nope" in the index tree' });
  });

  it('names a file that is not JSON', () => {
    const err = thrown(() => loadBuiltinQuestionnaires(withFiles({ 'broken.json': '{ "code": ' })));
    expect(err.source).toBe('broken.json');
    expect(err.problems[0]!.message).toMatch(/^not valid JSON: /);
  });

  it('rejects two files with the same code and version', () => {
    const def = JSON.stringify(validDefinition());
    const err = thrown(() => loadBuiltinQuestionnaires(withFiles({ 'one.json': def, 'two.json': def, 'notes.txt': 'ignored' })));
    expect(err.source).toBe('two.json');
    expect(err.problems).toEqual([{ path: 'version', message: 'test-instrument@1 is already defined in one.json' }]);
  });
});
