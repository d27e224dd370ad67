/** The status bar item: the followed notebook's finding count; a click opens the panel. */
import { Widget } from '@lumino/widgets';

import { LensModel } from './model';

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
    default: {
      if (!model.result) {
        return 'ML Lens: …';
      }
      const count = model.findings.length;
      return count === 0 ? 'ML Lens: ✓ clean' : `ML Lens: ${count} finding${count === 1 ? '' : 's'}`;
    }
  }
}
