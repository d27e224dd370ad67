/**
 * Moving through the findings list from the keyboard, as in a file browser or a tree:
 * Up/Down go to the previous/next row, Home/End to the first/last, Right opens a closed
 * section, rule or explanation (or goes to its first child row), Left closes an open one
 * (or goes to the header row it belongs to). Enter and Space are the rows' own buttons.
 * Rows are the `.jp-mllens-row` buttons `render.ts` makes; nothing else is focusable by
 * arrows, so Tab still reaches the other buttons in their order.
 */

const ROW = '.jp-mllens-row';

/** The control that opens or closes `row`'s content: the row itself, or a finding's explain button. */
function expanderOf(row: HTMLElement): HTMLElement | null {
  if (row.hasAttribute('aria-expanded')) {
    return row;
  }
  return row.closest('.jp-mllens-finding')?.querySelector<HTMLElement>('.jp-mllens-expand') ?? null;
}

/** The header row of the rule or section that contains `row` (null at the top level). */
function parentRow(row: HTMLElement): HTMLElement | null {
  const rule = row.closest('.jp-mllens-rule-group');
  if (rule && !row.classList.contains('jp-mllens-rule-toggle')) {
    return rule.querySelector<HTMLElement>('.jp-mllens-rule-toggle');
  }
  const group = row.closest('.jp-mllens-group');
  if (group && !row.classList.contains('jp-mllens-group-toggle')) {
    return group.querySelector<HTMLElement>('.jp-mllens-group-toggle');
  }
  return null;
}

/**
 * Handle a keydown inside `root` (the panel). Returns true when the key was used, in
 * which case the event's default is prevented (no page scroll on arrows).
 */
export function handleListKey(event: KeyboardEvent, root: HTMLElement): boolean {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
    return false;
  }
  const active = root.ownerDocument.activeElement as HTMLElement | null;
  const rows = [...root.querySelectorAll<HTMLElement>(ROW)];
  const index = active ? rows.indexOf(active) : -1;
  if (index < 0) {
    return false;
  }
  const row = rows[index];
  let target: HTMLElement | null = null;
  switch (event.key) {
    case 'ArrowDown':
      target = rows[index + 1] ?? null;
      break;
    case 'ArrowUp':
      target = rows[index - 1] ?? null;
      break;
    case 'Home':
      target = rows[0] ?? null;
      break;
    case 'End':
      target = rows[rows.length - 1] ?? null;
      break;
    case 'ArrowRight': {
      const expander = expanderOf(row);
      if (expander && expander.getAttribute('aria-expanded') === 'false') {
        expander.click();
        event.preventDefault();
        return true;
      }
      // Already open: step into it (a header's first child row).
      target = expander === row ? (rows[index + 1] ?? null) : null;
      break;
    }
    case 'ArrowLeft': {
      const expander = expanderOf(row);
      if (expander && expander.getAttribute('aria-expanded') === 'true') {
        expander.click();
        event.preventDefault();
        return true;
      }
      target = parentRow(row);
      break;
    }
    default:
      return false;
  }
  event.preventDefault();
  // Focus may have moved with a re-render; look the row up in the live DOM.
  target?.focus();
  return true;
}
