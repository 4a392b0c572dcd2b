import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A template's figures by key: formatted text, or a flag for a section. */
export type Values = Record<string, string | number | boolean | null | undefined>;

export const DOC_DIR = path.dirname(fileURLToPath(import.meta.url));

type Node = { kind: 'text'; text: string } | { kind: 'value'; key: string; inCell: boolean } | { kind: 'section'; key: string; inverted: boolean; body: Node[] };

/**
 * Fills a Markdown template of bench/doc/ — a small subset of Mustache:
 *   {{key}}              the value (a missing one is an error, so a misspelt key cannot go unnoticed)
 *   {{#key}}…{{/key}}    kept when the value is truthy; {{^key}}…{{/key}} when it is not
 *   {{>part}}            bench/doc/part.md; {{>part prefix}} reads its {{.x}} as {{prefix.x}}
 *   {{! … !}}            a comment
 * Section tags or a part alone on their line take the line with them. Inside a table row, a
 * value's "|" is escaped, unless the value is the whole line (rows made by the renderer).
 */
export function fillTemplate(name: string, values: Values, dir = DOC_DIR): string {
  // Once, after every part is in: a tag that a part's own pass left at a line's start must keep its line's break.
  const text = expand(read(dir, name), dir).replace(/^[ \t]*((?:\{\{[#^/][^}]+\}\}[ \t]*)+)\n/gm, (_, tags: string) => tags.replace(/[ \t]+/g, ''));
  return render(parse(text), values, name);
}

const read = (dir: string, name: string) => readFileSync(path.join(dir, `${name}.md`), 'utf8');

/** Comments out, parts in (recursively). */
function expand(text: string, dir: string): string {
  return text
    .replace(/\{\{![\s\S]*?!\}\}\n?/g, '')
    .replace(/^\{\{>([\w-]+)(?: ([\w.]+))?\}\}\n/gm, (_, part: string, prefix: string | undefined) => {
      const body = expand(read(dir, part), dir);
      return prefix ? body.replace(/\{\{([#^/]?)\.([\w.]*)\}\}/g, (_m, op: string, rest: string) => `{{${op}${prefix}${rest ? `.${rest}` : ''}}}`) : body;
    });
}

function parse(text: string): Node[] {
  const root: Node[] = [];
  const stack: { key: string; body: Node[] }[] = [{ key: '', body: root }];
  const tag = /\{\{([#^/]?)([^}]+)\}\}/g;
  let at = 0;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    const body = stack.at(-1)!.body;
    if (m.index > at) body.push({ kind: 'text', text: text.slice(at, m.index) });
    at = m.index + m[0].length;
    const [, op, key] = m as unknown as [string, string, string];
    if (op === '/') {
      if (stack.at(-1)!.key !== key) throw new Error(`template: {{/${key}}} closes {{${stack.at(-1)!.key || '(nothing)'}}}`);
      stack.pop();
    } else if (op) {
      const section: Node = { kind: 'section', key, inverted: op === '^', body: [] };
      body.push(section);
      stack.push({ key, body: section.body });
    } else {
      const lineStart = text.lastIndexOf('\n', m.index) + 1;
      const lineEnd = text.indexOf('\n', at);
      const line = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
      body.push({ kind: 'value', key, inCell: line.startsWith('|') && line !== m[0] });
    }
  }
  if (stack.length > 1) throw new Error(`template: {{${stack.at(-1)!.key}}} is never closed`);
  if (at < text.length) root.push({ kind: 'text', text: text.slice(at) });
  return root;
}

function render(nodes: Node[], values: Values, name: string): string {
  return nodes
    .map((n) => {
      if (n.kind === 'text') return n.text;
      const v = values[n.key];
      if (n.kind === 'section') return Boolean(v) !== n.inverted ? render(n.body, values, name) : '';
      if (v === undefined || v === null) throw new Error(`template ${name}: no value for {{${n.key}}}`);
      return n.inCell ? String(v).replace(/\|/g, '\\|') : String(v);
    })
    .join('');
}
