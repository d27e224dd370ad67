/**
 * What the panel's buttons do in JupyterLab: go to a finding, the two ignores (with an
 * Undo for the notebook-wide one), a finding's fix (previewed, then applied as one
 * undoable edit per cell), "Fix all safe", lint now. Each acts on the notebook the panel follows.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { NotebookPanel } from '@jupyterlab/notebook';

import { FixPlan, cellsOfContent, isApplicable, planFixes, safeFixes } from './fixes';
import { previewPlan, secretMasks } from './fixpreview';
import {
  applyFixPlan,
  currentCells,
  ignoreHere,
  ignoreHereBlocker,
  ignoreInNotebook,
  restoreInNotebook,
  revealFinding
} from './notebook';
import { IFixPreview, IPanelActions } from './render';
import { IFinding, IFix } from './tokens';
import { NotebookTracking } from './tracking';

export function panelActions(app: JupyterFrontEnd, tracking: NotebookTracking): IPanelActions {
  const current = () => tracking.current;
  /** The fixes planned against the cells the last lint saw and the cells as they are now. */
  const plan = (panel: NotebookPanel, fixes: IFix[]): { plan: FixPlan; skipped: number } => {
    const linted = tracking.controller.lintedContent(tracking.targetOf(panel));
    if (!linted) {
      return { plan: { ok: false, reason: 'lint the notebook first' }, skipped: fixes.length };
    }
    return planFixes(fixes, cellsOfContent(linted), currentCells(panel));
  };
  const apply = (panel: NotebookPanel, fixes: IFix[], what: string): void => {
    const { plan: planned, skipped } = plan(panel, fixes);
    tracking.model.closeFix();
    if (!planned.ok) {
      Notification.warning(`ML Lens: ${what} not applied: ${planned.reason}.`, { autoClose: 8000 });
      return;
    }
    applyFixPlan(panel, planned.cells);
    tracking.lintNow(panel);
    if (skipped) {
      Notification.info(
        `ML Lens: ${skipped} fix${skipped === 1 ? '' : 'es'} left for the next lint (overlapping or stale).`,
        { autoClose: 8000 }
      );
    }
  };
  return {
    fixPreview: (finding: IFinding): IFixPreview => {
      const panel = current();
      if (!panel) {
        return { diffs: [], blocker: 'the notebook is not open' };
      }
      if (!isApplicable(finding.fix)) {
        return { diffs: [], blocker: 'this fix is a suggestion only' };
      }
      const { plan: planned } = plan(panel, [finding.fix!]);
      if (!planned.ok) {
        return { diffs: [], blocker: planned.reason };
      }
      const linted = cellsOfContent(tracking.controller.lintedContent(tracking.targetOf(panel)));
      const masks = secretMasks(tracking.model.result?.findings ?? [], linted);
      return { diffs: previewPlan(planned.cells, masks), blocker: null };
    },
    applyFix: (finding: IFinding) => {
      const panel = current();
      if (panel && isApplicable(finding.fix)) {
        apply(panel, [finding.fix!], 'the fix was');
      }
    },
    fixAllSafe: () => {
      const panel = current();
      const fixes = safeFixes(tracking.model.shownFindings).map(f => f.fix!);
      if (panel && fixes.length) {
        apply(panel, fixes, 'the safe fixes were');
      }
    },
    reveal: (finding: IFinding) => {
      const panel = current();
      if (panel) {
        app.shell.activateById(panel.id);
        void revealFinding(panel, finding);
      }
    },
    ignoreHere: (finding: IFinding) => {
      const panel = current();
      if (panel && ignoreHere(panel, finding)) {
        tracking.lintNow(panel);
      }
    },
    ignoreInNotebook: (finding: IFinding) => {
      const panel = current();
      if (!panel || !ignoreInNotebook(panel, finding.name)) {
        return;
      }
      tracking.lintNow(panel);
      Notification.info(`ML Lens: ${finding.name} is ignored in this notebook.`, {
        autoClose: 8000,
        actions: [
          {
            label: 'Undo',
            caption: `Check ${finding.name} in this notebook again`,
            callback: () => {
              restoreInNotebook(panel, finding.name);
              tracking.lintNow(panel);
            }
          }
        ]
      });
    },
    restoreNotebookIgnore: (rule: string) => {
      const panel = current();
      if (panel) {
        restoreInNotebook(panel, rule);
        tracking.lintNow(panel);
      }
    },
    lint: () => {
      const panel = current();
      if (panel) {
        tracking.lintNow(panel);
      }
    },
    ignoreHereBlocker: (finding: IFinding) => ignoreHereBlocker(current(), finding)
  };
}
