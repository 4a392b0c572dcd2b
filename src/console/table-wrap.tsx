/**
 * A table that may scroll sideways on a phone (or down, when `tall`): a named region that
 * takes keyboard focus, so keyboard users can scroll it too (axe: scrollable-region-focusable).
 */
export function TableWrap({ label, tall, children }: { label: string; tall?: boolean; children: JSX.Element }) {
  return (
    <div class={tall ? 'table-wrap tall' : 'table-wrap'} role="region" aria-label={label} tabindex="0">
      {children}
    </div>
  );
}
