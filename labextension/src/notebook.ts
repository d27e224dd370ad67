/**
 * Everything that touches a live notebook: what is sent for linting, which cell a
 * finding points at (by cell id, so inserted cells do not misplace it), going there,
 * and applying the two ignore actions and fixes as ordinary, undoable edits.
 */
import { Cell, CodeCell } from '@jupyterlab/cells';
import { NotebookPanel } from '@jupyterlab/notebook';

import { lintContent } from './content';
import { ILintTarget } from './controller';
import {
  ISourceEdit,
  cellIgnoreBlocker,
  cellIgnoreEdit,
  ignoreBlocker,
  ignoreEdit,
  withNotebookIgnore,
  withoutNotebookIgnore
} from './ignore';
import { ICellChange, ICellText, applyToCell } from './fixes';
import { IFinding, partOf } from './tokens';

/** The metadata key the engine reads: `{"mllens": {"ignore": [...]}}`. */
export const METADATA_KEY = 'mllens';

/**
 * One notebook panel as a lint target: its current content, unsaved edits included, with
 * execution counts and bounded text outputs (`content.ts`); images are never sent.
 */
export class NotebookTarget implements ILintTarget {
  constructor(readonly panel: NotebookPanel) {}

  get path(): string {
    return this.panel.context.localPath;
  }

  content(): object {
    const model = this.panel.model;
    if (!model) {
      return { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    }
    return lintContent(model.toJSON() as any);
  }
}

/** The cell a finding points at: by id when it has one, else by index. */
export function findCell(panel: NotebookPanel, finding: IFinding): { cell: Cell; index: number } | null {
  const widgets = panel.content.widgets;
  if (finding.cell_id) {
    const index = widgets.findIndex(c => c.model.id === finding.cell_id);
    if (index >= 0) {
      return { cell: widgets[index], index };
    }
  }
  const index = finding.cell_index;
  if (index !== null && index >= 0 && index < widgets.length) {
    return { cell: widgets[index], index };
  }
  return null;
}

/**
 * Scroll to the finding's cell, select it and put the cursor on the finding. A finding in
 * a saved output or in metadata has no place in the source: its cell is selected in
 * command mode and scrolled to (the output itself into view).
 */
export async function revealFinding(panel: NotebookPanel, finding: IFinding): Promise<boolean> {
  const found = findCell(panel, finding);
  if (!found) {
    return false;
  }
  const notebook = panel.content;
  notebook.deselectAll();
  notebook.activeCellIndex = found.index;
  await notebook.scrollToItem(found.index, 'smart');
  const cell = notebook.widgets[found.index] ?? found.cell;
  await cell.ready;
  if (cell.model.type === 'markdown') {
    (cell as any).rendered = false;
  }
  if (partOf(finding) !== 'source') {
    notebook.mode = 'command';
    if (cell instanceof CodeCell && typeof finding.output === 'number') {
      cell.outputArea.widgets[finding.output]?.node.scrollIntoView({ block: 'nearest' });
    }
    return true;
  }
  const editor = cell.editor;
  if (editor) {
    const line = Math.max(0, Math.min(finding.line - 1, editor.lineCount - 1));
    const position = { line, column: Math.max(0, finding.column - 1) };
    notebook.mode = 'edit';
    editor.setCursorPosition(position);
    editor.revealPosition(position);
    editor.focus();
  }
  return true;
}

/** Why "Ignore here" is not offered for this finding (null when it is). */
export function ignoreHereBlocker(panel: NotebookPanel | null, finding: IFinding): string | null {
  if (!panel) {
    return 'the notebook is not open';
  }
  const part = partOf(finding);
  if (part === 'metadata') {
    return 'a finding in metadata takes no ignore comment; use "Ignore in this notebook"';
  }
  const found = findCell(panel, finding);
  if (!found) {
    return 'the cell is gone; lint again';
  }
  if (found.cell.model.type !== 'code') {
    return 'only code cells take ignore comments';
  }
  const source = found.cell.model.sharedModel.getSource();
  return part === 'output' ? cellIgnoreBlocker(source) : ignoreBlocker(source, finding.line);
}

/**
 * Add `# mllens: ignore[name]` on the finding's line through the cell's shared model:
 * one small insertion, undone by Ctrl+Z in that cell like any typing. A finding in a saved
 * output is silenced for its whole cell, by the comment on the cell's first line.
 */
export function ignoreHere(panel: NotebookPanel, finding: IFinding): ISourceEdit | null {
  const found = findCell(panel, finding);
  if (!found || found.cell.model.type !== 'code') {
    return null;
  }
  const part = partOf(finding);
  if (part === 'metadata') {
    return null;
  }
  const shared = found.cell.model.sharedModel;
  const edit =
    part === 'output'
      ? cellIgnoreEdit(shared.getSource(), finding.name)
      : ignoreEdit(shared.getSource(), finding.line, finding.end_line, finding.name);
  if (edit) {
    shared.updateSource(edit.from, edit.to, edit.text);
  }
  return edit;
}

/** Add the rule to the notebook's `mllens.ignore` metadata; false if it was there. */
export function ignoreInNotebook(panel: NotebookPanel, rule: string): boolean {
  const model = panel.model;
  if (!model) {
    return false;
  }
  const { mllens, changed } = withNotebookIgnore(model.getMetadata(METADATA_KEY), rule);
  if (changed) {
    model.setMetadata(METADATA_KEY, mllens);
  }
  return changed;
}

/** Take the rule out of the notebook's `mllens.ignore` metadata (the undo of the above). */
export function restoreInNotebook(panel: NotebookPanel, rule: string): void {
  const model = panel.model;
  if (!model) {
    return;
  }
  const remaining = withoutNotebookIgnore(model.getMetadata(METADATA_KEY), rule);
  if (remaining === null) {
    model.deleteMetadata(METADATA_KEY);
  } else {
    model.setMetadata(METADATA_KEY, remaining);
  }
}

/** The notebook's cells as they are now (unsaved edits included), for planning fixes. */
export function currentCells(panel: NotebookPanel): ICellText[] {
  return panel.content.widgets.map((cell, index) => ({
    index,
    id: cell.model.id ?? null,
    source: cell.model.sharedModel.getSource()
  }));
}

/**
 * Apply a fix plan to the live cells: each cell's edits in one shared-model transaction,
 * bottom-up, so a cell's fix is one undoable step (Ctrl+Z in that cell). A cell whose
 * text is no longer the plan's `before` is left alone; returns the cells changed.
 */
export function applyFixPlan(panel: NotebookPanel, cells: readonly ICellChange[]): number {
  const widgets = panel.content.widgets;
  let changed = 0;
  for (const change of cells) {
    const byId = change.id ? widgets.find(c => c.model.id === change.id) : undefined;
    const cell = byId ?? widgets[change.index];
    if (cell && applyToCell(cell.model.sharedModel, change)) {
      changed++;
    }
  }
  return changed;
}
