/**
 * A finding's fix as text edits of notebook cells: edits in cell coordinates (1-based
 * lines and columns, end exclusive) turned into offset edits per cell, checked against the
 * cell text the lint saw, and applied bottom-up in one transaction per cell. Pure functions
 * with no JupyterLab imports; `notebook.ts` hands them the live cells' shared models and
 * `fixpreview.ts` shows a plan.
 */
import { IFinding, IFix, IFixEdit } from './tokens';

/** A cell's text, at lint time or now. */
export interface ICellText {
  index: number;
  id: string | null;
  source: string;
}

/** Replace `from`..`to` (offsets in the cell's text) with `text`. */
export interface IOffsetEdit {
  from: number;
  to: number;
  text: string;
}

/** What a fix does to one cell: its text before and after, and the edits, last first. */
export interface ICellChange {
  index: number;
  id: string | null;
  before: string;
  after: string;
  /** Sorted bottom-up (descending offsets): applying them in order keeps positions valid. */
  edits: IOffsetEdit[];
}

export type FixPlan = { ok: true; cells: ICellChange[] } | { ok: false; reason: string };

/** A fix the sidebar can apply (not display-only, with edits). */
export function isApplicable(fix: IFix | null | undefined): boolean {
  return !!fix && fix.applicability !== 'display-only' && fix.edits.length > 0;
}

/** The cells of nbformat JSON (as `content.ts` sends it) as texts. */
export function cellsOfContent(content: unknown): ICellText[] {
  const cells = (content as { cells?: unknown })?.cells;
  if (!Array.isArray(cells)) {
    return [];
  }
  return cells.map((cell: any, index: number) => ({
    index,
    id: typeof cell?.id === 'string' ? cell.id : null,
    source: Array.isArray(cell?.source) ? cell.source.join('') : String(cell?.source ?? '')
  }));
}

/** The cell an edit (or finding) names: by id when it has one, else by index. */
export function findText(
  cells: readonly ICellText[],
  id: string | null,
  index: number | null
): ICellText | null {
  if (id) {
    const byId = cells.find(c => c.id === id);
    if (byId) {
      return byId;
    }
  }
  return index !== null && index >= 0 && index < cells.length ? cells[index] : null;
}

/** The offset of a 1-based (line, column) in `source`, or null when it is not in it. */
export function offsetOf(source: string, line: number, column: number): number | null {
  const lines = source.split('\n');
  if (!Number.isInteger(line) || !Number.isInteger(column) || line < 1 || column < 1) {
    return null;
  }
  if (line > lines.length) {
    return null;
  }
  if (column - 1 > lines[line - 1].length) {
    return null;
  }
  let offset = 0;
  for (let i = 0; i < line - 1; i++) {
    offset += lines[i].length + 1;
  }
  return offset + column - 1;
}

/** `source` with `edits` applied; they must not overlap (any order). */
export function applyOffsetEdits(source: string, edits: readonly IOffsetEdit[]): string {
  let text = source;
  for (const edit of bottomUp(edits)) {
    text = text.slice(0, edit.from) + edit.text + text.slice(edit.to);
  }
  return text;
}

function bottomUp(edits: readonly IOffsetEdit[]): IOffsetEdit[] {
  return [...edits].sort((a, b) => b.from - a.from || b.to - a.to);
}

/** Whether two edits touch the same text (two insertions at one point do too). */
function overlaps(a: IOffsetEdit, b: IOffsetEdit): boolean {
  return (a.from < b.to && b.from < a.to) || a.from === b.from;
}

/** How a cell is keyed across the lint-time and current texts: its id, else its index. */
export function cellKey(cell: ICellText): string {
  return cell.id ?? `#${cell.index}`;
}

function cellLabel(cell: ICellText): string {
  return `cell ${cell.index + 1}`;
}

/**
 * The fixes' edits as changes of the current cells, or why not: every cell a fix edits
 * must still hold the text the lint saw (else its positions may point elsewhere), every
 * position must lie in that text, and no two edits may overlap. With several fixes, one
 * that overlaps a fix taken before it is skipped (the next lint offers it again) rather
 * than refusing all; `skipped` counts those and the refused ones.
 */
export function planFixes(
  fixes: readonly IFix[],
  linted: readonly ICellText[],
  current: readonly ICellText[]
): { plan: FixPlan; skipped: number } {
  const taken = new Map<string, { cell: ICellText; edits: IOffsetEdit[] }>();
  let skipped = 0;
  let lastReason = 'nothing to fix';
  for (const fix of fixes) {
    const one = planFix(fix, linted, current);
    if (!one.ok) {
      skipped++;
      lastReason = one.reason;
      continue;
    }
    const clash = one.cells.some(change => {
      const held = taken.get(change.id ?? `#${change.index}`);
      return held && change.edits.some(e => held.edits.some(h => overlaps(e, h)));
    });
    if (clash) {
      skipped++;
      continue;
    }
    for (const change of one.cells) {
      const key = change.id ?? `#${change.index}`;
      const held = taken.get(key);
      if (held) {
        held.edits.push(...change.edits);
      } else {
        taken.set(key, {
          cell: { index: change.index, id: change.id, source: change.before },
          edits: [...change.edits]
        });
      }
    }
  }
  if (!taken.size) {
    return { plan: { ok: false, reason: lastReason }, skipped };
  }
  const cells = [...taken.values()].map(({ cell, edits }) => change(cell, edits));
  return { plan: { ok: true, cells: cells.sort((a, b) => a.index - b.index) }, skipped };
}

/** One fix's edits as changes of the current cells, or why it cannot be applied. */
export function planFix(
  fix: IFix,
  linted: readonly ICellText[],
  current: readonly ICellText[]
): FixPlan {
  if (!isApplicable(fix)) {
    return { ok: false, reason: 'this fix is shown as a suggestion only' };
  }
  const byCell = new Map<string, { cell: ICellText; edits: IOffsetEdit[] }>();
  for (const edit of fix.edits) {
    const then = findText(linted, edit.cell_id, edit.cell_index);
    const now = findText(current, edit.cell_id, edit.cell_index);
    if (!then || !now) {
      return { ok: false, reason: 'a cell the fix edits is gone; lint again' };
    }
    if (then.source !== now.source) {
      return { ok: false, reason: `${cellLabel(now)} changed since the lint; lint again` };
    }
    const offsets = toOffsets(now.source, edit);
    if (!offsets) {
      return { ok: false, reason: `the fix points outside ${cellLabel(now)}; lint again` };
    }
    const key = cellKey(now);
    const entry = byCell.get(key) ?? { cell: now, edits: [] };
    if (entry.edits.some(e => overlaps(e, offsets))) {
      return { ok: false, reason: 'the fix has overlapping edits' };
    }
    entry.edits.push(offsets);
    byCell.set(key, entry);
  }
  const cells = [...byCell.values()].map(({ cell, edits }) => change(cell, edits));
  return { ok: true, cells: cells.sort((a, b) => a.index - b.index) };
}

function toOffsets(source: string, edit: IFixEdit): IOffsetEdit | null {
  const from = offsetOf(source, edit.line, edit.column);
  const to = offsetOf(source, edit.end_line, edit.end_column);
  if (from === null || to === null || to < from) {
    return null;
  }
  return { from, to, text: edit.replacement };
}

function change(cell: ICellText, edits: IOffsetEdit[]): ICellChange {
  const sorted = bottomUp(edits);
  return {
    index: cell.index,
    id: cell.id,
    before: cell.source,
    after: applyOffsetEdits(cell.source, sorted),
    edits: sorted
  };
}

/** What `applyToCell` needs of a cell's shared model (`ISharedCell` has it all). */
export interface IEditableSource {
  getSource(): string;
  updateSource(start: number, end: number, value?: string): void;
  transact(f: () => void, undoable?: boolean): void;
}

/**
 * Apply one cell's change through its shared model: every edit, bottom-up, in one
 * transaction, which the cell's undo manager records as one step. False (and nothing
 * changed) when the cell no longer holds the text the change was planned on.
 */
export function applyToCell(shared: IEditableSource, change: ICellChange): boolean {
  if (shared.getSource() !== change.before) {
    return false;
  }
  shared.transact(() => {
    for (const edit of change.edits) {
      shared.updateSource(edit.from, edit.to, edit.text);
    }
  });
  return true;
}

/** The findings whose fix is safe and has edits: what "Fix all safe" applies. */
export function safeFixes(findings: readonly IFinding[]): IFinding[] {
  return findings.filter(f => isApplicable(f.fix) && f.fix!.applicability === 'safe');
}
