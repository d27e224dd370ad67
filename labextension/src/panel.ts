/**
 * The sidebar widget: re-renders `render.ts`'s DOM whenever the model changes and keeps
 * the scroll position and the focused row, so a re-lint while reading (or opening a rule
 * from the keyboard) does not jump the list or lose the user's place.
 */
import { Widget } from '@lumino/widgets';

import { patch } from './dom';
import { lensIcon } from './icon';
import { handleListKey } from './keyboard';
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
    this.node.addEventListener('keydown', this._onKeyDown);
    this.render();
  }

  private _onKeyDown = (event: KeyboardEvent): void => {
    if (handleListKey(event, this.node)) {
      event.stopPropagation();
    }
  };

  /** Re-render now (tests call it; the model's `changed` signal calls it in the app). */
  render(): void {
    const next = renderPanel(this.model, this.actions);
    const current = this.node.firstChild;
    if (current === null) {
      this.node.appendChild(next);
      return;
    }
    const scroll = this.node.scrollTop;
    const focused = this.focusKey();
    patch(current, next);
    this.node.scrollTop = scroll;
    if (focused !== null && !this.node.contains(document.activeElement)) {
      [...this.node.querySelectorAll<HTMLElement>('[data-focus-key]')]
        .find(node => node.dataset.focusKey === focused)
        ?.focus();
    }
  }

  /** The `data-focus-key` of the focused control in the panel, if any. */
  private focusKey(): string | null {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement) || !this.node.contains(active)) {
      return null;
    }
    return active.dataset.focusKey ?? null;
  }

  dispose(): void {
    if (!this.isDisposed) {
      this.model.changed.disconnect(this.render, this);
      this.node.removeEventListener('keydown', this._onKeyDown);
    }
    super.dispose();
  }
}
