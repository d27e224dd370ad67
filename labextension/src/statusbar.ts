/** The status bar item: the followed notebook's finding count; a click opens the panel. */
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { IStatusBar } from '@jupyterlab/statusbar';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import { LensModel } from './model';

/** Put the item on the left of the status bar, shown while a notebook is active. */
export function addStatusItem(
  statusBar: IStatusBar,
  tracker: INotebookTracker,
  model: LensModel,
  onClick: () => void
): LensStatusItem {
  const activeChanged = new Signal<INotebookTracker, void>(tracker);
  tracker.currentChanged.connect(() => activeChanged.emit());
  const item = new LensStatusItem(model, onClick);
  statusBar.registerStatusItem('jupyter-mllens:status', {
    item,
    align: 'left',
    rank: 5,
    isActive: () => tracker.currentWidget !== null,
    activeStateChanged: activeChanged
  });
  return item;
}

export class LensStatusItem extends Widget {
  constructor(
    private readonly model: LensModel,
    onClick: () => void
  ) {
    super();
    this.addClass('jp-mllens-statusitem');
    this.node.title = 'ML Lens findings in this notebook (click to show the panel)';
    this.node.addEventListener('click', onClick);
    model.changed.connect(this.refresh, this);
    this.refresh();
  }

  refresh(): void {
    this.node.textContent = statusText(this.model);
  }

  dispose(): void {
    if (!this.isDisposed) {
      this.model.changed.disconnect(this.refresh, this);
    }
    super.dispose();
  }
}

export function statusText(model: LensModel): string {
  switch (model.status) {
    case 'no-notebook':
      return '';
    case 'disabled':
      return 'ML Lens: off';
    case 'server-missing':
      return 'ML Lens: server missing';
    case 'error':
      return 'ML Lens: error';
    case 'incompatible':
      return 'ML Lens: version mismatch';
    default: {
      if (!model.result) {
        return 'ML Lens: …';
      }
      const count = model.findings.length;
      return count === 0 ? 'ML Lens: ✓ clean' : `ML Lens: ${count} finding${count === 1 ? '' : 's'}`;
    }
  }
}
