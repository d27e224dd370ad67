/**
 * Following notebooks: which notebook the panel shows (the active one), and which of its
 * events ask for a lint (open, save, a run, an edit, cleared outputs). Each notebook panel
 * gets one `NotebookTarget`, so the controller can tell one notebook's answers from
 * another's.
 */
import { INotebookTracker, NotebookActions, NotebookPanel } from '@jupyterlab/notebook';
import { ISignal, Signal } from '@lumino/signaling';

import { LintController } from './controller';
import { notebookIgnores } from './ignore';
import { LensModel } from './model';
import { METADATA_KEY, NotebookTarget } from './notebook';

export class NotebookTracking {
  private _targets = new WeakMap<NotebookPanel, NotebookTarget>();
  private _followed = new Signal<this, NotebookPanel | null>(this);

  constructor(
    readonly tracker: INotebookTracker,
    readonly model: LensModel,
    readonly controller: LintController
  ) {
    tracker.forEach(nb => this.watch(nb));
    tracker.widgetAdded.connect((_, nb) => this.watch(nb));
    tracker.currentChanged.connect((_, nb) => this.follow(nb));
    NotebookActions.executed.connect((_, { notebook }) => this.ran(notebook));
    // Cleared outputs are an edit that leaves every source alone: lint as after a run,
    // so findings about outputs go with them.
    NotebookActions.outputCleared.connect((_, { notebook }) => this.ran(notebook));
    this.follow(this.current);
  }

  /** The notebook the panel follows: the tracker's current one. */
  get current(): NotebookPanel | null {
    return this.tracker.currentWidget;
  }

  /** Emitted after the panel follows another notebook (or none). */
  get followed(): ISignal<this, NotebookPanel | null> {
    return this._followed;
  }

  targetOf(panel: NotebookPanel): NotebookTarget {
    let target = this._targets.get(panel);
    if (!target) {
      target = new NotebookTarget(panel);
      this._targets.set(panel, target);
    }
    return target;
  }

  /** Lint `panel` now, as a command does. */
  lintNow(panel: NotebookPanel): void {
    this.controller.trigger(this.targetOf(panel), 'command');
  }

  /** Follow `panel` again after a settings change (it may now be disabled or enabled). */
  refollow(): void {
    const nb = this.current;
    this.controller.follow(nb ? this.targetOf(nb) : null);
  }

  /** Copy the followed notebook's `mllens.ignore` metadata into the model. */
  private syncIgnores(nb: NotebookPanel): void {
    if (nb === this.current) {
      this.model.notebookIgnores = notebookIgnores(nb.model?.getMetadata(METADATA_KEY));
    }
  }

  private watch(nb: NotebookPanel): void {
    const target = this.targetOf(nb);
    void nb.context.ready.then(() => {
      if (nb.isDisposed || !nb.model) {
        return;
      }
      nb.model.contentChanged.connect(() => this.controller.trigger(target, 'edit'));
      nb.model.metadataChanged.connect(() => this.syncIgnores(nb));
      this.syncIgnores(nb);
      this.controller.trigger(target, 'open');
    });
    nb.context.saveState.connect((_, state) => {
      if (state === 'completed') {
        this.controller.trigger(target, 'save');
      }
    });
    nb.context.pathChanged.connect(() => {
      if (nb === this.current) {
        this.model.rename(target.path);
      }
    });
  }

  private follow(nb: NotebookPanel | null): void {
    this.controller.follow(nb ? this.targetOf(nb) : null);
    this.model.notebookIgnores = [];
    if (nb) {
      this.syncIgnores(nb);
      if (nb.context.isReady) {
        this.controller.trigger(this.targetOf(nb), 'open');
      }
    }
    this._followed.emit(nb);
  }

  private ran(notebook: unknown): void {
    const nb = this.current;
    if (nb && nb.content === notebook) {
      this.controller.trigger(this.targetOf(nb), 'run');
    }
  }
}
