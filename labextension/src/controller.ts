/**
 * When to lint and which answer to believe. Every request is numbered per notebook; an
 * answer is applied only if it is the newest for its notebook, and shown only if that
 * notebook is still the one the panel follows, so a slow answer for tab A can never
 * flash in the panel after the user switched to tab B.
 */
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { ILintClient, SchemaVersionError, ServerMissingError } from './client';
import { sourceFingerprint } from './content';
import { LensModel } from './model';
import { ILintResult } from './tokens';

/** A notebook as the controller sees it: where it lives and what it contains now. */
export interface ILintTarget {
  /** Path relative to the server root (no drive prefix). */
  readonly path: string;
  /** Current nbformat content, unsaved edits included. */
  content(): object;
}

/**
 * "Run all" emits one `executed` per cell; waiting this long after the last one turns
 * them into a single request.
 */
export const RUN_SETTLE_DELAY = 250;

export type Trigger = 'open' | 'save' | 'run' | 'edit' | 'command';

export class LintController implements IDisposable {
  private _current: ILintTarget | null = null;
  private _sequence = 0;
  private _latest = new WeakMap<ILintTarget, number>();
  private _results = new WeakMap<ILintTarget, ILintResult>();
  private _linted = new WeakMap<ILintTarget, object>();
  private _sent = new WeakMap<ILintTarget, string>();
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _resultReady = new Signal<this, ILintTarget>(this);
  private _isDisposed = false;

  constructor(
    readonly model: LensModel,
    private readonly client: ILintClient
  ) {}

  /** Emitted when a notebook got a fresh result (for that notebook's cell markers). */
  get resultReady(): ISignal<this, ILintTarget> {
    return this._resultReady;
  }

  get current(): ILintTarget | null {
    return this._current;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** The newest result received for `target`, if any. */
  /** The content the last result of `target` was computed from (fixes check against it). */
  lintedContent(target: ILintTarget): object | null {
    return this._linted.get(target) ?? null;
  }

  resultFor(target: ILintTarget): ILintResult | null {
    return this._results.get(target) ?? null;
  }

  /** Follow another notebook: show only its own last result, never the previous tab's. */
  follow(target: ILintTarget | null): void {
    this.cancelPending();
    this._current = target;
    this.model.follow(target?.path ?? null, target ? this.resultFor(target) : null);
    if (target && !this.model.settings.enabled) {
      this.model.setDisabled();
    }
  }

  /**
   * A trigger fired for `target`. Open, save and commands lint at once; edits wait for a
   * pause in typing (the `debounceDelay` setting) and runs for the last of a batch. Triggers of notebooks the panel does not follow are ignored.
   */
  trigger(target: ILintTarget, why: Trigger): void {
    const settings = this.model.settings;
    if (target !== this._current || !settings.enabled) {
      return;
    }
    const wanted: Record<Trigger, boolean> = {
      open: settings.lintOnOpen,
      save: settings.lintOnSave,
      run: settings.lintAfterRun,
      edit: settings.lintWhileTyping,
      command: true
    };
    if (!wanted[why]) {
      return;
    }
    const delay =
      why === 'edit' ? settings.debounceDelay : why === 'run' ? RUN_SETTLE_DELAY : 0;
    this.cancelPending();
    if (delay === 0) {
      void this.lint(target);
      return;
    }
    this._timer = setTimeout(() => {
      this._timer = null;
      // Edits include every output a running cell streams: while typing, lint only when
      // the code or metadata changed. Outputs and execution counts are sent with every
      // request and read after a run (the `run` trigger), a save or an open.
      void this.lint(target, why === 'edit');
    }, delay);
  }

  /**
   * Lint `target` now (default: the followed notebook). Resolves when the answer is
   * applied or dropped. With `onlyIfChanged`, content whose sources and metadata are
   * those of the last request is not sent again (outputs aside: see `trigger`).
   */
  async lint(target: ILintTarget | null = this._current, onlyIfChanged = false): Promise<void> {
    if (target === null) {
      return;
    }
    if (!this.model.settings.enabled) {
      if (target === this._current) {
        this.model.setDisabled();
      }
      return;
    }
    const content = target.content();
    const fingerprint = `${target.path}\n${sourceFingerprint(content)}`;
    if (onlyIfChanged && this._sent.get(target) === fingerprint) {
      return;
    }
    this._sent.set(target, fingerprint);
    const sequence = ++this._sequence;
    this._latest.set(target, sequence);
    if (target === this._current) {
      this.model.setLinting();
    }
    let result: ILintResult;
    try {
      result = await this.client.lint(target.path, content);
    } catch (error) {
      this._sent.delete(target); // a failed request must not suppress the next attempt
      if (this.isStale(target, sequence) || target !== this._current) {
        return;
      }
      const message = (error as Error).message ?? String(error);
      if (error instanceof SchemaVersionError) {
        this.model.setIncompatible(message);
      } else {
        this.model.setError(message, error instanceof ServerMissingError);
      }
      return;
    }
    if (this.isStale(target, sequence)) {
      return;
    }
    this._results.set(target, result);
    this._linted.set(target, content);
    if (target === this._current) {
      this.model.setResult(result);
    }
    this._resultReady.emit(target);
  }

  cancelPending(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this.cancelPending();
    Signal.clearData(this);
  }

  private isStale(target: ILintTarget, sequence: number): boolean {
    return this._isDisposed || this._latest.get(target) !== sequence;
  }
}
