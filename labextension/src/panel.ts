/**
 * The sidebar widget: re-renders `render.ts`'s DOM whenever the model changes and keeps
 * the scroll position, so a re-lint while reading does not jump the list.
 */
import { Widget } from '@lumino/widgets';

import { patch } from './dom';
import { lensIcon } from './icon';
import { LensModel } from './model';
import { IPanelActions, renderPanel } from './render';

export const PANEL_ID = 'jp-mllens-panel';

export class LensPanel extends Widget {
  constructor(
    readonly model: LensModel,
    private readonly actions: IPanelActions
  ) {
    super();
    this.id = PANEL_ID;
    this.addClass('jp-mllens-panel');
    this.title.icon = lensIcon;
    this.title.caption = 'ML Lens: Well-Architected findings for this notebook';
    model.changed.connect(this.render, this);
    this.render();
  }

  /** Re-render now (tests call it; the model's `changed` signal calls it in the app). */
  render(): void {
    const next = renderPanel(this.model, this.actions);
    const current = this.node.firstChild;
    if (current === null) {
      this.node.appendChild(next);
      return;
    }
    const scroll = this.node.scrollTop;
    patch(current, next);
    this.node.scrollTop = scroll;
  }

  dispose(): void {
    if (!this.isDisposed) {
      this.model.changed.disconnect(this.render, this);
    }
    super.dispose();
  }
}
