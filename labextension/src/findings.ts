/**
 * `IMLLensFindings`: the sidebar's findings for other extensions. It reads the panel's
 * model, and signals only when what it exposes changes (path, status, result, catalog,
 * settings), not when the user opens a rule or an explanation.
 */
import { ISignal, Signal } from '@lumino/signaling';

import { LensModel } from './model';
import { ICatalog, IFinding, ILintResult, IMLLensFindings, IRuleInfo, LensStatus } from './tokens';

export class LensFindings implements IMLLensFindings {
  private _changed = new Signal<this, void>(this);
  private _seen: readonly unknown[];

  constructor(
    private readonly model: LensModel,
    private readonly lintNow: () => Promise<void>
  ) {
    this._seen = this.snapshot();
    model.changed.connect(this.onModelChanged, this);
  }

  get path(): string | null {
    return this.model.path;
  }

  get status(): LensStatus {
    return this.model.status;
  }

  get result(): Readonly<ILintResult> | null {
    return this.model.result;
  }

  get findings(): readonly IFinding[] {
    return this.model.findings;
  }

  get catalog(): Readonly<ICatalog> | null {
    return this.model.catalog;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  rule(name: string): IRuleInfo | undefined {
    return this.model.rule(name);
  }

  lint(): Promise<void> {
    return this.lintNow();
  }

  private snapshot(): readonly unknown[] {
    const m = this.model;
    return [m.path, m.status, m.result, m.catalog, m.settings];
  }

  private onModelChanged(): void {
    const next = this.snapshot();
    if (next.some((value, i) => value !== this._seen[i])) {
      this._seen = next;
      this._changed.emit();
    }
  }
}
