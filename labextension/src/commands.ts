/** The plugin's commands (lint now, show the panel) and their command palette entries. */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';

import { lensIcon } from './icon';
import { NotebookTracking } from './tracking';

export namespace CommandIDs {
  export const lint = 'mllens:lint';
  export const showPanel = 'mllens:show-panel';
}

export function addCommands(
  app: JupyterFrontEnd,
  tracking: NotebookTracking,
  panelId: string,
  palette: ICommandPalette | null
): void {
  app.commands.addCommand(CommandIDs.lint, {
    label: 'Lint Notebook with ML Lens',
    caption: 'Check the notebook against the Well-Architected Machine Learning Lens',
    icon: lensIcon,
    isEnabled: () => tracking.current !== null,
    execute: () => {
      const nb = tracking.current;
      if (nb) {
        tracking.lintNow(nb);
        app.shell.activateById(panelId);
      }
    }
  });
  app.commands.addCommand(CommandIDs.showPanel, {
    label: 'Show ML Lens Panel',
    caption: 'Open the ML Lens findings sidebar',
    icon: lensIcon,
    execute: () => app.shell.activateById(panelId)
  });
  palette?.addItem({ command: CommandIDs.lint, category: 'ML Lens' });
  palette?.addItem({ command: CommandIDs.showPanel, category: 'ML Lens' });
  tracking.followed.connect(() => app.commands.notifyCommandChanged(CommandIDs.lint));
}
