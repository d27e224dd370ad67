/**
 * The JupyterLab plugin: wires the model, the lint controller and the panel to the
 * notebook tracker, settings, commands and status bar. All decisions live in the modules
 * it imports; this file only connects signals to them.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import {
  INotebookTracker,
  NotebookActions,
  NotebookPanel
} from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { Signal } from '@lumino/signaling';

import { LintClient } from './client';
import { LintController } from './controller';
import { lensIcon } from './icon';
import { notebookIgnores } from './ignore';
import { applyMarkers, clearMarkers } from './markers';
import { LensModel } from './model';
import {
  METADATA_KEY,
  NotebookTarget,
  ignoreHere,
  ignoreHereBlocker,
  ignoreInNotebook,
  restoreInNotebook,
  revealFinding
} from './notebook';
import { LensPanel } from './panel';
import { IPanelActions } from './render';
import { readSettings } from './settings';
import { LensStatusItem } from './statusbar';
import { IFinding } from './tokens';

const PLUGIN_ID = 'jupyter-mllens:plugin';

export namespace CommandIDs {
  export const lint = 'mllens:lint';
  export const showPanel = 'mllens:show-panel';
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'A sidebar with the active notebook’s AWS Well-Architected Machine Learning Lens findings',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ISettingRegistry, ICommandPalette, IStatusBar, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null,
    statusBar: IStatusBar | null,
    restorer: ILayoutRestorer | null
  ) => {
    const model = new LensModel();
    const client = new LintClient(app.serviceManager.serverSettings);
    const controller = new LintController(model, client);
    const targets = new WeakMap<NotebookPanel, NotebookTarget>();
    let settings: ISettingRegistry.ISettings | null = null;

    const targetOf = (panel: NotebookPanel): NotebookTarget => {
      let target = targets.get(panel);
      if (!target) {
        target = new NotebookTarget(panel);
        targets.set(panel, target);
      }
      return target;
    };
    const current = (): NotebookPanel | null => tracker.currentWidget;
    const lintNow = (panel: NotebookPanel) => controller.trigger(targetOf(panel), 'command');

    // -- the catalog: fetched once, retried after the next answer if it failed ----------
    let catalogRequest: Promise<void> | null = null;
    const loadCatalog = (): void => {
      if (model.catalog || catalogRequest) {
        return;
      }
      catalogRequest = client
        .rules()
        .then(catalog => {
          model.catalog = catalog;
        })
        .catch(error => console.warn('ML Lens: cannot load the rule catalog', error))
        .finally(() => {
          catalogRequest = null;
        });
    };
    loadCatalog();

    // -- panel actions -----------------------------------------------------------------
    const actions: IPanelActions = {
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
          lintNow(panel);
        }
      },
      ignoreInNotebook: (finding: IFinding) => {
        const panel = current();
        if (!panel || !ignoreInNotebook(panel, finding.name)) {
          return;
        }
        lintNow(panel);
        Notification.info(`ML Lens: ${finding.name} is ignored in this notebook.`, {
          autoClose: 8000,
          actions: [
            {
              label: 'Undo',
              caption: `Check ${finding.name} in this notebook again`,
              callback: () => {
                restoreInNotebook(panel, finding.name);
                lintNow(panel);
              }
            }
          ]
        });
      },
      restoreNotebookIgnore: (rule: string) => {
        const panel = current();
        if (panel) {
          restoreInNotebook(panel, rule);
          lintNow(panel);
        }
      },
      lint: () => {
        const panel = current();
        if (panel) {
          lintNow(panel);
        }
      },
      ignoreHereBlocker: (finding: IFinding) => ignoreHereBlocker(current(), finding)
    };

    const panel = new LensPanel(model, actions);
    app.shell.add(panel, 'right', { rank: 650 });
    restorer?.add(panel, 'jupyter-mllens');

    // -- commands and palette ------------------------------------------------------------
    app.commands.addCommand(CommandIDs.lint, {
      label: 'Lint Notebook with ML Lens',
      caption: 'Check the notebook against the Well-Architected Machine Learning Lens',
      icon: lensIcon,
      isEnabled: () => current() !== null,
      execute: () => {
        const nb = current();
        if (nb) {
          lintNow(nb);
          app.shell.activateById(panel.id);
        }
      }
    });
    app.commands.addCommand(CommandIDs.showPanel, {
      label: 'Show ML Lens Panel',
      caption: 'Open the ML Lens findings sidebar',
      icon: lensIcon,
      execute: () => app.shell.activateById(panel.id)
    });
    palette?.addItem({ command: CommandIDs.lint, category: 'ML Lens' });
    palette?.addItem({ command: CommandIDs.showPanel, category: 'ML Lens' });

    // -- following notebooks -----------------------------------------------------------
    const syncIgnores = (nb: NotebookPanel) => {
      if (nb === current()) {
        model.notebookIgnores = notebookIgnores(nb.model?.getMetadata(METADATA_KEY));
      }
    };

    const watch = (nb: NotebookPanel): void => {
      const target = targetOf(nb);
      void nb.context.ready.then(() => {
        if (nb.isDisposed || !nb.model) {
          return;
        }
        nb.model.contentChanged.connect(() => controller.trigger(target, 'edit'));
        nb.model.metadataChanged.connect(() => syncIgnores(nb));
        syncIgnores(nb);
        controller.trigger(target, 'open');
      });
      nb.context.saveState.connect((_, state) => {
        if (state === 'completed') {
          controller.trigger(target, 'save');
        }
      });
      nb.context.pathChanged.connect(() => {
        if (nb === current()) {
          model.rename(target.path);
        }
      });
    };
    tracker.forEach(watch);
    tracker.widgetAdded.connect((_, nb) => watch(nb));

    const follow = (nb: NotebookPanel | null): void => {
      controller.follow(nb ? targetOf(nb) : null);
      model.notebookIgnores = [];
      if (nb) {
        syncIgnores(nb);
        if (nb.context.isReady) {
          controller.trigger(targetOf(nb), 'open');
        }
      }
      if (app.commands.hasCommand(CommandIDs.lint)) {
        app.commands.notifyCommandChanged(CommandIDs.lint);
      }
    };
    tracker.currentChanged.connect((_, nb) => follow(nb));
    follow(current());

    NotebookActions.executed.connect((_, { notebook }) => {
      const nb = current();
      if (nb && nb.content === notebook) {
        controller.trigger(targetOf(nb), 'run');
      }
    });

    // -- markers follow the model's findings for the followed notebook --------------------
    let marked: { panel: NotebookPanel; result: unknown; settings: unknown } | null = null;
    model.changed.connect(() => {
      const nb = current();
      if (!nb) {
        return;
      }
      if (model.status === 'disabled') {
        clearMarkers(nb);
        marked = null;
        return;
      }
      if (
        marked?.panel === nb &&
        marked.result === model.result &&
        marked.settings === model.settings
      ) {
        return;
      }
      if (model.result) {
        applyMarkers(nb, model.findingsByCell());
        marked = { panel: nb, result: model.result, settings: model.settings };
        loadCatalog();
      }
    });

    // -- settings ------------------------------------------------------------------------
    if (settingRegistry) {
      void settingRegistry
        .load(PLUGIN_ID)
        .then(loaded => {
          settings = loaded;
          const apply = () => {
            const wasEnabled = model.settings.enabled;
            model.settings = readSettings(loaded.composite);
            const nb = current();
            if (nb && model.settings.enabled !== wasEnabled) {
              controller.follow(targetOf(nb));
              if (model.settings.enabled) {
                lintNow(nb);
              }
            }
          };
          loaded.changed.connect(apply);
          apply();
        })
        .catch(error => console.warn('ML Lens: cannot load settings', error));
    }
    // Remember the grouping the user picked in the panel.
    let lastGroupBy = model.groupBy;
    model.changed.connect(() => {
      if (model.groupBy !== lastGroupBy) {
        lastGroupBy = model.groupBy;
        void settings?.set('groupBy', model.groupBy);
      }
    });

    // -- status bar ------------------------------------------------------------------------
    if (statusBar) {
      const activeChanged = new Signal<INotebookTracker, void>(tracker);
      tracker.currentChanged.connect(() => activeChanged.emit());
      const item = new LensStatusItem(model, () => {
        void app.commands.execute(CommandIDs.showPanel);
      });
      statusBar.registerStatusItem('jupyter-mllens:status', {
        item,
        align: 'left',
        rank: 5,
        isActive: () => current() !== null,
        activeStateChanged: activeChanged
      });
    }
  }
};

export default plugin;
