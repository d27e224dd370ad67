/**
 * "Ignore here" and "Ignore in this notebook" as pure text/JSON edits, so the exact
 * comment syntax the engine honours (`# mllens: ignore[name]`) is tested in one place.
 * Applying them goes through the shared model, which makes them ordinary, undoable edits.
 */

const COMMENT = /#\s*mllens:\s*ignore\b(\[([^\]]*)\])?/i;

/** A minimal edit of a cell's source: replace `from`..`to` with `text`. */
export interface ISourceEdit {
  from: number;
  to: number;
  text: string;
  /** The 1-based line that receives the comment. */
  line: number;
}

/**
 * Why a line cannot take a trailing comment, or null when it can. A line magic passes
 * the rest of its line to the magic (`%env KEY=value # x` would set the value to
 * `value # x`), and a backslash continuation cannot be followed by a comment.
 */
export function ignoreBlocker(source: string, line: number): string | null {
  const lines = source.split('\n');
  const text = lines[line - 1];
  if (text === undefined) {
    return `the cell has no line ${line} any more`;
  }
  const stripped = text.trimStart();
  if (stripped.startsWith('%') && !stripped.startsWith('%%')) {
    return 'a line magic would receive the comment as an argument; use "Ignore in this notebook"';
  }
  return null;
}

/**
 * The edit that silences `rule` on `line`: append `  # mllens: ignore[rule]`, or add
 * the rule to an existing `ignore[...]` list on that line. Null when the line is already
 * silenced for it (or for all rules). A finding that starts on a continued line (`\`)
 * or inside an unterminated triple-quoted string is silenced at its last line instead,
 * which the engine honours too.
 */
export function ignoreEdit(
  source: string,
  line: number,
  endLine: number,
  rule: string
): ISourceEdit | null {
  const lines = source.split('\n');
  let target = line;
  if (target !== endLine && !canTakeComment(lines[target - 1] ?? '')) {
    target = endLine;
  }
  const text = lines[target - 1];
  if (text === undefined) {
    return null;
  }
  const lineStart = lines.slice(0, target - 1).reduce((n, l) => n + l.length + 1, 0);
  const existing = COMMENT.exec(text);
  if (existing) {
    return addToComment(existing, lineStart, rule, target);
  }
  const body = text.replace(/\s+$/, '');
  const padding = body.length ? '  ' : '';
  return {
    from: lineStart + body.length,
    to: lineStart + text.length,
    text: `${padding}# mllens: ignore[${rule}]`,
    line: target
  };
}

/**
 * Why a cell cannot take a whole-cell comment on its first line, or null when it can.
 * A cell magic (`%%bash`) must stay the cell's first line.
 */
export function cellIgnoreBlocker(source: string): string | null {
  const first = source.split('\n').find(l => l.trim());
  if (first !== undefined && first.trimStart().startsWith('%%')) {
    return 'a cell magic must stay on the first line; use "Ignore in this notebook"';
  }
  return null;
}

/**
 * The edit that silences `rule` for the whole cell, which is how the engine lets a saved
 * output's finding be ignored: the rule added to a comment-only first line that is already
 * `# mllens: ignore[...]`, else a new first line `# mllens: ignore[rule]`. Null when the
 * cell is already silenced for it (or for all rules).
 */
export function cellIgnoreEdit(source: string, rule: string): ISourceEdit | null {
  const lines = source.split('\n');
  const index = lines.findIndex(l => l.trim());
  const first = index >= 0 ? lines[index] : '';
  const existing = first.trimStart().startsWith('#') ? COMMENT.exec(first) : null;
  if (existing) {
    const lineStart = lines.slice(0, index).reduce((n, l) => n + l.length + 1, 0);
    return addToComment(existing, lineStart, rule, index + 1);
  }
  return { from: 0, to: 0, text: `# mllens: ignore[${rule}]\n`, line: 1 };
}

/**
 * `rule` added to an existing `# mllens: ignore[...]` comment (found on the line starting at
 * `lineStart`), or null when that comment already silences it: it names the rule, or it is
 * a bare `# mllens: ignore`, which silences every rule.
 */
function addToComment(
  existing: RegExpExecArray,
  lineStart: number,
  rule: string,
  line: number
): ISourceEdit | null {
  if (existing[1] === undefined) {
    return null;
  }
  const rules = existing[2]
    .split(',')
    .map(r => r.trim())
    .filter(Boolean);
  if (rules.includes(rule)) {
    return null;
  }
  const at = lineStart + existing.index + existing[0].length - 1;
  return { from: at, to: at, text: `${rules.length ? ', ' : ''}${rule}`, line };
}

function canTakeComment(text: string): boolean {
  if (/\\\s*$/.test(text)) {
    return false;
  }
  const triples = (text.match(/"""|'''/g) ?? []).length;
  return triples % 2 === 0;
}

/** Apply an edit to a string (what the shared model does with `updateSource`). */
export function applyEdit(source: string, edit: ISourceEdit): string {
  return source.slice(0, edit.from) + edit.text + source.slice(edit.to);
}

/** The notebook's `mllens` metadata with `rule` added to its `ignore` list. */
export function withNotebookIgnore(
  metadata: unknown,
  rule: string
): { mllens: Record<string, unknown>; changed: boolean } {
  const mllens = isObject(metadata) ? { ...metadata } : {};
  const current = Array.isArray(mllens.ignore)
    ? mllens.ignore.filter((r): r is string => typeof r === 'string')
    : [];
  if (current.includes(rule)) {
    return { mllens, changed: false };
  }
  mllens.ignore = [...current, rule];
  return { mllens, changed: true };
}

/** The notebook's `mllens` metadata with `rule` removed (null: delete the key). */
export function withoutNotebookIgnore(
  metadata: unknown,
  rule: string
): Record<string, unknown> | null {
  const mllens = isObject(metadata) ? { ...metadata } : {};
  const current = Array.isArray(mllens.ignore) ? mllens.ignore : [];
  const remaining = current.filter(r => r !== rule);
  if (remaining.length) {
    mllens.ignore = remaining;
  } else {
    delete mllens.ignore;
  }
  return Object.keys(mllens).length ? mllens : null;
}

/** The rule names in the notebook's `mllens.ignore` metadata. */
export function notebookIgnores(metadata: unknown): string[] {
  if (!isObject(metadata) || !Array.isArray(metadata.ignore)) {
    return [];
  }
  return metadata.ignore.filter((r): r is string => typeof r === 'string');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
