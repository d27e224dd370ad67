/**
 * What the panel's buttons do in JupyterLab: go to a finding, the two ignores (with an
 * Undo for the notebook-wide one), lint now. Each acts on the notebook the panel follows.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';

import {
  ignoreHere,
  ignoreHereBlocker,
  ignoreInNotebook,
  restoreInNotebook,
  revealFinding
} from './notebook';
import { IPanelActions } from './render';
import { IFinding } from './tokens';
import { NotebookTracking } from './tracking';

export function panelActions(app: JupyterFrontEnd, tracking: NotebookTracking): IPanelActions {
  const current = () => tracking.current;
  return {
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
