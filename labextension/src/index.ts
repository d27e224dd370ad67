/**
 * The JupyterLab plugin: builds the model, the lint controller and the panel, and hands
 * them to the modules that connect them to JupyterLab: `tracking.ts` (which notebook,
 * when to lint), `commands.ts`, `markers.ts`, `statusbar.ts`, `settings.ts`. It provides
 * `IMLLensFindings`, so other extensions can read the findings the panel shows.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';

import { panelActions } from './actions';
import { CatalogLoader } from './catalog';
import { LintClient } from './client';
import { CommandIDs, addCommands } from './commands';
import { LintController } from './controller';
import { LensFindings } from './findings';
import { followMarkers } from './markers';
import { LensModel } from './model';
import { LensPanel } from './panel';
import { connectSettings } from './settings';
import { addStatusItem } from './statusbar';
import { IMLLensFindings } from './tokens';
import { NotebookTracking } from './tracking';

export { CommandIDs } from './commands';
export { IMLLensFindings, SCHEMA_VERSION } from './tokens';
export type { ICatalog, IFinding, ILintResult, IRuleInfo, LensStatus, Severity } from './tokens';

const PLUGIN_ID = 'jupyter-mllens:plugin';

const plugin: JupyterFrontEndPlugin<IMLLensFindings> = {
  id: PLUGIN_ID,
  description:
    'A sidebar with the active notebook’s AWS Well-Architected Machine Learning Lens findings',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ISettingRegistry, ICommandPalette, IStatusBar, ILayoutRestorer],
  provides: IMLLensFindings,
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null,
    statusBar: IStatusBar | null,
    restorer: ILayoutRestorer | null
  ): IMLLensFindings => {
    const model = new LensModel();
    const client = new LintClient(app.serviceManager.serverSettings);
    const controller = new LintController(model, client);
    const catalog = new CatalogLoader(model, client);
    void catalog.load();

    const tracking = new NotebookTracking(tracker, model, controller);
    const panel = new LensPanel(model, panelActions(app, tracking));
    app.shell.add(panel, 'right', { rank: 650 });
    restorer?.add(panel, 'jupyter-mllens');

    addCommands(app, tracking, panel.id, palette);
    followMarkers(model, () => tracking.current, () => void catalog.load());
    if (settingRegistry) {
      connectSettings(settingRegistry, PLUGIN_ID, model, enabled => {
        const nb = tracking.current;
        if (nb) {
          tracking.refollow();
          if (enabled) {
            tracking.lintNow(nb);
          }
        }
      }).catch(error => console.warn('ML Lens: cannot load settings', error));
    }
    if (statusBar) {
      addStatusItem(statusBar, tracker, model, () => {
        void app.commands.execute(CommandIDs.showPanel);
      });
    }
    return new LensFindings(model, () => controller.lint());
  }
};

export default plugin;
