import { YCodeCell, createStandaloneCell } from '@jupyter/ydoc';

import {
  ICellText,
  applyOffsetEdits,
  applyToCell,
  cellsOfContent,
  offsetOf,
  planFix,
  planFixes,
  safeFixes
} from '../fixes';
import { ICellDiff, lineDiff, maskOf, previewPlan, secretMasks } from '../fixpreview';
import { IFix, IFixEdit } from '../tokens';
import { finding } from './fixtures';

function edit(cell: number, line: number, column: number, endLine: number, endColumn: number, replacement: string): IFixEdit {
  return { cell_index: cell, cell_id: `c${cell}`, line, column, end_line: endLine, end_column: endColumn, replacement };
}

function fix(applicability: IFix['applicability'], ...edits: IFixEdit[]): IFix {
  return { title: 'a fix', applicability, edits, template: null };
}

function cells(...sources: string[]): ICellText[] {
  return sources.map((source, index) => ({ index, id: `c${index}`, source }));
}

/** A diff's removed and added lines, in order. */
function sides(diff: ICellDiff): { removed: string[]; added: string[] } {
  const of = (kind: string) => diff.lines.filter(l => l.kind === kind).map(l => l.text);
  return { removed: of('removed'), added: of('added') };
}

const SECRET = 'Tr0ub4dor&3-horse';
const NOTEBOOK = cells(
  'import requests',
  `db_password = "${SECRET}"\nx = 1`,
  "url = 'https://example.com'\nr = requests.get(url, verify=False)",
  "with open('c.yaml') as f:\n    cfg = yaml.load(f, Loader=yaml.FullLoader)"
);
/** What the server answers for the notebook above (positions from `mllens check --format json`). */
const CREDENTIAL_FIX = fix('unsafe', edit(0, 1, 1, 1, 1, 'import os\n'), edit(1, 1, 15, 1, 34, 'os.environ["DB_PASSWORD"]'));
const TLS_FIX = fix('unsafe', edit(2, 2, 5, 2, 36, 'requests.get(url)'));
const YAML_FIX = fix('safe', edit(3, 2, 11, 2, 47, 'yaml.safe_load(f)'));

describe('offsetOf', () => {
  it('counts 1-based lines and columns, the end of a line included', () => {
    expect(offsetOf('ab\ncd', 1, 1)).toBe(0);
    expect(offsetOf('ab\ncd', 2, 2)).toBe(4);
    expect(offsetOf('ab\ncd', 2, 3)).toBe(5);
  });

  it('refuses positions outside the text', () => {
    expect(offsetOf('ab\ncd', 3, 1)).toBeNull();
    expect(offsetOf('ab\ncd', 1, 4)).toBeNull();
    expect(offsetOf('ab', 0, 1)).toBeNull();
  });
});

describe('planFix', () => {
  it('applies one edit of one cell', () => {
    const plan = planFix(TLS_FIX, NOTEBOOK, NOTEBOOK);
    expect(plan.ok && plan.cells.map(c => [c.index, c.after])).toEqual([
      [2, "url = 'https://example.com'\nr = requests.get(url)"]
    ]);
  });

  it('applies a fix across cells as one plan (the import in the first cell)', () => {
    const plan = planFix(CREDENTIAL_FIX, NOTEBOOK, NOTEBOOK);
    expect(plan.ok && plan.cells.map(c => c.after)).toEqual([
      'import os\nimport requests',
      'db_password = os.environ["DB_PASSWORD"]\nx = 1'
    ]);
  });

  it('applies several edits of one cell bottom-up, so earlier positions stay valid', () => {
    const source = 'a = f(1, verify=False)\nb = f(2, verify=False)\nc = 3';
    const both = fix('unsafe', edit(0, 1, 5, 1, 23, 'f(1)'), edit(0, 2, 5, 2, 23, 'f(2)'));
    const plan = planFix(both, cells(source), cells(source));
    expect(plan.ok && plan.cells[0].after).toBe('a = f(1)\nb = f(2)\nc = 3');
    expect(plan.ok && plan.cells[0].edits.map(e => e.from)).toEqual([27, 4]);
  });

  it('handles edits that change the number of lines', () => {
    const source = 'x = 1\ny = 2\nz = 3';
    const twoLines = fix('safe', edit(0, 1, 1, 2, 6, 'w = 0'), edit(0, 3, 5, 3, 6, '4\nq = 5'));
    const plan = planFix(twoLines, cells(source), cells(source));
    expect(plan.ok && plan.cells[0].after).toBe('w = 0\nz = 4\nq = 5');
  });

  it('finds cells by id, so a cell inserted above does not misplace the fix', () => {
    const now = [{ index: 0, id: 'new', source: 'print(1)' }, ...NOTEBOOK.map(c => ({ ...c, index: c.index + 1 }))];
    const plan = planFix(TLS_FIX, NOTEBOOK, now);
    expect(plan.ok && plan.cells.map(c => c.index)).toEqual([3]);
  });

  it('refuses when a cell it edits changed since the lint', () => {
    const now = NOTEBOOK.map(c => (c.index === 0 ? { ...c, source: 'import requests  # edited' } : c));
    expect(planFix(CREDENTIAL_FIX, NOTEBOOK, now)).toEqual({
      ok: false,
      reason: 'cell 1 changed since the lint; lint again'
    });
    // Other cells' edits do not matter.
    expect(planFix(TLS_FIX, NOTEBOOK, now).ok).toBe(true);
  });

  it('refuses a cell that is gone, positions outside the text and overlapping edits', () => {
    expect(planFix(TLS_FIX, NOTEBOOK, NOTEBOOK.slice(0, 2)).ok).toBe(false);
    expect(planFix(fix('safe', edit(0, 5, 1, 5, 2, 'x')), NOTEBOOK, NOTEBOOK)).toEqual({
      ok: false,
      reason: 'the fix points outside cell 1; lint again'
    });
    const overlapping = fix('safe', edit(0, 1, 1, 1, 7, 'a'), edit(0, 1, 3, 1, 9, 'b'));
    expect(planFix(overlapping, NOTEBOOK, NOTEBOOK).ok).toBe(false);
  });

  it('never applies a display-only fix', () => {
    const display: IFix = { title: 't', applicability: 'display-only', edits: [], template: 'x = ...' };
    expect(planFix(display, NOTEBOOK, NOTEBOOK).ok).toBe(false);
  });
});

describe('planFixes', () => {
  it('merges fixes of one cell into one change, skipping one that overlaps a taken one', () => {
    const again = fix('safe', edit(3, 2, 11, 2, 20, 'load'));
    const { plan, skipped } = planFixes([YAML_FIX, TLS_FIX, again], NOTEBOOK, NOTEBOOK);
    expect(skipped).toBe(1);
    expect(plan.ok && plan.cells.map(c => c.index)).toEqual([2, 3]);
    expect(plan.ok && plan.cells[1].after).toBe("with open('c.yaml') as f:\n    cfg = yaml.safe_load(f)");
  });

  it('refuses when every fix is refused', () => {
    const { plan, skipped } = planFixes([TLS_FIX], NOTEBOOK, cells('other'));
    expect(plan.ok).toBe(false);
    expect(skipped).toBe(1);
  });
});

describe('safeFixes', () => {
  it('takes safe fixes with edits only, never unsafe or display-only ones', () => {
    const safe = finding({ name: 'unsafe-deserialization', fix: YAML_FIX });
    const unsafe = finding({ name: 'tls-verification-disabled', fix: TLS_FIX });
    const display = finding({ name: 'data-leakage', fix: { title: 't', applicability: 'display-only', edits: [], template: 'x' } });
    expect(safeFixes([unsafe, safe, display, finding()])).toEqual([safe]);
  });
});

describe('applyToCell', () => {
  function cell(source: string): YCodeCell {
    const shared = createStandaloneCell({ cell_type: 'code', source }) as YCodeCell;
    // Every transaction its own undo step: what is checked is that the fix is one.
    (shared.undoManager as any).captureTimeout = 0;
    shared.undoManager!.clear();
    return shared;
  }

  it('applies all edits of a cell as one undoable step', () => {
    const source = 'a = f(1, verify=False)\nb = f(2, verify=False)';
    const both = fix('unsafe', edit(0, 1, 5, 1, 23, 'f(1)'), edit(0, 2, 5, 2, 23, 'f(2)'));
    const plan = planFix(both, cells(source), cells(source));
    const shared = cell(source);
    expect(plan.ok && applyToCell(shared, plan.cells[0])).toBe(true);
    expect(shared.getSource()).toBe('a = f(1)\nb = f(2)');
    expect(shared.undoManager!.undoStack.length).toBe(1);
    shared.undo();
    expect(shared.getSource()).toBe(source);
  });

  it('leaves a cell alone whose text is not the planned one', () => {
    const plan = planFix(TLS_FIX, NOTEBOOK, NOTEBOOK);
    const shared = cell('something else');
    expect(plan.ok && applyToCell(shared, plan.cells[0])).toBe(false);
    expect(shared.getSource()).toBe('something else');
  });
});

describe('previewPlan (fixpreview.ts)', () => {
  const credential = finding({ cell_index: 1, cell_id: 'c1', fix: CREDENTIAL_FIX });

  it('shows the masked original and the replacement of a credential fix, never the secret', () => {
    const plan = planFix(CREDENTIAL_FIX, NOTEBOOK, NOTEBOOK);
    const diffs = previewPlan(plan.ok ? plan.cells : [], secretMasks([credential], NOTEBOOK));
    expect(diffs.map(d => [d.index, d.line, sides(d)])).toEqual([
      [0, 1, { removed: [], added: ['import os'] }],
      [1, 1, { removed: ["db_password = 'Tr0u****'"], added: ['db_password = os.environ["DB_PASSWORD"]'] }]
    ]);
    expect(JSON.stringify(diffs)).not.toContain('Tr0ub');
  });

  it('keeps another credential on an edited line masked on both sides', () => {
    const source = `f(password="${SECRET}", verify=False)`;
    const nb = cells(source);
    const other = finding({ cell_index: 0, cell_id: 'c0', line: 1, column: 12, end_line: 1, end_column: 31 });
    const plan = planFix(fix('unsafe', edit(0, 1, 31, 1, 45, '')), nb, nb);
    const diffs = previewPlan(plan.ok ? plan.cells : [], secretMasks([other], nb));
    expect(sides(diffs[0])).toEqual({
      removed: ["f(password='Tr0u****', verify=False)"],
      added: ["f(password='Tr0u****')"]
    });
    expect(JSON.stringify(diffs)).not.toContain('Tr0ub');
  });

  it('masks a credential the replacement itself carries (a rewritten call keeps its arguments)', () => {
    const token = 'ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s12';
    const source = `r = requests.get("https://x:${token}@github.com/a.csv", verify=False)`;
    const nb = cells(source);
    const url = finding({ cell_index: 0, cell_id: 'c0', column: 18, end_column: 87, message: "hard-coded GitHub token 'ghp_****'" });
    const call = source.slice(4).replace(', verify=False', '');
    const plan = planFix(fix('unsafe', edit(0, 1, 5, 1, source.length + 1, call)), nb, nb);
    const diffs = previewPlan(plan.ok ? plan.cells : [], secretMasks([url], nb));
    expect(sides(diffs[0])).toEqual({
      removed: ["r = requests.get('ghp_****', verify=False)"],
      added: ["r = requests.get('ghp_****')"]
    });
    // The literal's content in another literal of the replacement is masked too.
    const inner = source.slice(18, 85);
    const other = previewPlan(
      [{ index: 0, id: 'c0', before: source, after: '', edits: [{ from: 4, to: source.length, text: `print('${inner}')` }] }],
      secretMasks([url], nb)
    );
    expect(sides(other[0]).added).toEqual(["r = print('ghp_****')"]);
    expect(JSON.stringify(other)).not.toContain('R4nd0m');
  });

  it('reads the mask from the message, else masks everything', () => {
    expect(maskOf("hard-coded secret 'Tr0u****' for `db_password`")).toBe("'Tr0u****'");
    expect(maskOf('no quote here')).toBe("'****'");
  });

  it('shows only the lines that differ', () => {
    expect(lineDiff(2, 'a\nb\nc', 'a\nB\nc')).toEqual({
      index: 2,
      line: 2,
      span: 1,
      lines: [
        { kind: 'removed', text: 'b' },
        { kind: 'added', text: 'B' }
      ]
    });
  });

  it('keeps unchanged lines between edited ones as context', () => {
    const diff = lineDiff(0, 'import requests\npw = "x"', 'import os\nimport requests\npw = os.environ["PW"]');
    expect(diff.line).toBe(1);
    expect(diff.lines).toEqual([
      { kind: 'added', text: 'import os' },
      { kind: 'context', text: 'import requests' },
      { kind: 'removed', text: 'pw = "x"' },
      { kind: 'added', text: 'pw = os.environ["PW"]' }
    ]);
  });
});

describe('cellsOfContent', () => {
  it('reads sources (strings or line lists) and ids of nbformat JSON', () => {
    const content = { cells: [{ id: 'a', source: 'x' }, { source: ['y\n', 'z'] }] };
    expect(cellsOfContent(content)).toEqual([
      { index: 0, id: 'a', source: 'x' },
      { index: 1, id: null, source: 'y\nz' }
    ]);
    expect(applyOffsetEdits('abc', [{ from: 0, to: 1, text: 'A' }, { from: 2, to: 3, text: 'C' }])).toBe('AbC');
  });
});
