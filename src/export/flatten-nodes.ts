import type { ReportNode } from '../scoring/report-schema.js';

/** Depth-first, parents before children: the order nodes appear in exports. */
export function flattenNodes(nodes: readonly ReportNode[], out: ReportNode[] = []): ReportNode[] {
  for (const node of nodes) {
    out.push(node);
    if (node.children) flattenNodes(node.children, out);
  }
  return out;
}
