/**
 * What a fix plan would change, as the panel previews it: per cell, the edited region as a
 * compact line diff, with every credential finding's literal masked on both sides, so the
 * preview never shows a secret the finding's message masks. Pure, for jest.
 */
import { ICellChange, ICellText, applyOffsetEdits, cellKey, findText, offsetOf } from './fixes';
import { IFinding } from './tokens';

/** Rules whose findings cover a credential: their span is masked wherever the panel shows source. */
export const SECRET_RULES: ReadonlySet<string> = new Set(['hardcoded-credentials']);

/** A credential's span in a cell, with the mask the finding's message shows for it. */
export interface IMask {
  cell: string;
  from: number;
  to: number;
  text: string;
}

/** The masked value a finding's message quotes (`'Tr0u****'`), else a bare `'****'`. */
export function maskOf(message: string): string {
  const quoted = /'([^'\s]{0,8}\*{4})'/.exec(message);
  return quoted ? `'${quoted[1]}'` : "'****'";
}

/** Where the credentials of the linted cells are: every secret finding's span, masked. */
export function secretMasks(findings: readonly IFinding[], linted: readonly ICellText[]): IMask[] {
  const masks: IMask[] = [];
  for (const f of findings) {
    if (!SECRET_RULES.has(f.name) || (f.part ?? 'source') !== 'source') {
      continue;
    }
    const cell = findText(linted, f.cell_id, f.cell_index);
    if (!cell) {
      continue;
    }
    const from = offsetOf(cell.source, f.line, f.column);
    const to = offsetOf(cell.source, f.end_line, f.end_column);
    if (from === null || to === null || to <= from) {
      continue;
    }
    masks.push({ cell: cellKey(cell), from, to, text: maskOf(f.message) });
  }
  return masks;
}

/** One line of a preview: kept (between edited lines), removed or added. */
export interface IDiffLine {
  kind: 'context' | 'removed' | 'added';
  text: string;
}

/** The edited lines of one cell: the first one's line number (before the fix) and the lines. */
export interface ICellDiff {
  index: number;
  line: number;
  /** How many lines (before the fix) the region spans, context lines included. */
  span: number;
  lines: IDiffLine[];
}

/**
 * What a plan changes, line by line, with every credential masked on both sides: the
 * removed side shows the masked original, the added side the replacement (and any other
 * credential the edit leaves on those lines still masked).
 */
export function previewPlan(cells: readonly ICellChange[], masks: readonly IMask[]): ICellDiff[] {
  return cells.map(cell => {
    const key = cell.id ?? `#${cell.index}`;
    const own = disjoint(masks.filter(m => m.cell === key));
    const kept = own.filter(m => !cell.edits.some(e => e.from < m.to && m.from < e.to));
    // A replacement may carry a credential on (a rewritten call keeps its arguments): every
    // masked literal is also masked wherever its text appears, on both sides.
    const literals = own.map(m => ({ text: cell.before.slice(m.from, m.to), mask: m.text }));
    const before = maskLiterals(applyOffsetEdits(cell.before, own), literals);
    const after = maskLiterals(applyOffsetEdits(cell.before, [...cell.edits, ...kept]), literals);
    return lineDiff(cell.index, before, after);
  });
}

function maskLiterals(text: string, literals: { text: string; mask: string }[]): string {
  for (const literal of literals) {
    if (literal.text.length >= 4) {
      text = text.split(literal.text).join(literal.mask);
    }
    const inner = unquoted(literal.text);
    if (inner.length >= 4) {
      text = text.split(inner).join(unquoted(literal.mask));
    }
  }
  return text;
}

/** A string literal's text without its prefix and quotes (`rb"x"` → `x`). */
function unquoted(literal: string): string {
  const match = /^[A-Za-z]{0,2}("""|'''|"|')([\s\S]*)\1$/.exec(literal);
  return match ? match[2] : literal;
}

function disjoint(masks: IMask[]): IMask[] {
  const out: IMask[] = [];
  for (const m of [...masks].sort((a, b) => a.from - b.from || b.to - a.to)) {
    const last = out[out.length - 1];
    if (last && m.from < last.to) {
      last.to = Math.max(last.to, m.to);
    } else {
      out.push({ ...m });
    }
  }
  return out;
}

/** Above this many line pairs, a preview lists the region removed, then added. */
const DIFF_CELLS_LIMIT = 40_000;

/**
 * The lines between the common beginning and the common end of two texts, as a compact
 * diff: lines kept in between (a longest common subsequence) show as context.
 */
export function lineDiff(index: number, before: string, after: string): ICellDiff {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) {
    start++;
  }
  let end = 0;
  while (
    end < a.length - start &&
    end < b.length - start &&
    a[a.length - 1 - end] === b[b.length - 1 - end]
  ) {
    end++;
  }
  const old = a.slice(start, a.length - end);
  const now = b.slice(start, b.length - end);
  const lines = diffLines(old, now);
  return { index, line: start + 1, span: old.length, lines };
}

function diffLines(a: string[], b: string[]): IDiffLine[] {
  const removed = a.map(text => ({ kind: 'removed' as const, text }));
  const added = b.map(text => ({ kind: 'added' as const, text }));
  if (!a.length || !b.length || a.length * b.length > DIFF_CELLS_LIMIT) {
    return [...removed, ...added];
  }
  // lcs[i][j]: the longest common subsequence of a[i:] and b[j:].
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: IDiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: 'context', text: a[i] });
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push({ kind: 'removed', text: a[i++] });
    } else {
      out.push({ kind: 'added', text: b[j++] });
    }
  }
  return out;
}

