import { ILintClient, ServerMissingError } from '../client';
import { ILintTarget, LintController, RUN_SETTLE_DELAY } from '../controller';
import { LensModel } from '../model';
import { DEFAULT_SETTINGS } from '../settings';
import { ICatalog, ILintResult } from '../tokens';
import { CREDENTIALS, UNVERSIONED, result } from './fixtures';

/** A client whose answers the test releases one by one, in any order. */
class ManualClient implements ILintClient {
  pending: { path: string; resolve: (r: ILintResult) => void; reject: (e: Error) => void }[] = [];

  lint(path: string): Promise<ILintResult> {
    return new Promise((resolve, reject) => this.pending.push({ path, resolve, reject }));
  }

  rules(): Promise<ICatalog> {
    return Promise.reject(new Error('not used'));
  }
}

function target(path: string, source = ''): ILintTarget & { source: string } {
  const t = { path, source, content: () => ({ cells: [{ source: t.source }] }) };
  return t;
}

describe('LintController', () => {
  let model: LensModel;
  let client: ManualClient;
  let controller: LintController;
  const a = target('a.ipynb');
  const b = target('b.ipynb');

  beforeEach(() => {
    model = new LensModel();
    client = new ManualClient();
    controller = new LintController(model, client);
  });

  afterEach(() => controller.dispose());

  it('never shows a late answer for a notebook the user switched away from', async () => {
    controller.follow(a);
    const lintA = controller.lint(a);
    controller.follow(b);
    const lintB = controller.lint(b);
    client.pending[1].resolve(result(UNVERSIONED)); // B answers first
    await lintB;
    client.pending[0].resolve(result(CREDENTIALS)); // then the stale answer for A
    await lintA;
    expect(model.path).toBe('b.ipynb');
    expect(model.findings.map(f => f.name)).toEqual(['unversioned-data']);

    controller.follow(a); // switching back shows A's own result at once
    expect(model.findings.map(f => f.name)).toEqual(['hardcoded-credentials']);
  });

  it('keeps the content each accepted answer was computed from, for fixes to check against', async () => {
    const t = target('fix.ipynb', 'x = 1');
    controller.follow(t);
    expect(controller.lintedContent(t)).toBeNull();
    const first = controller.lint(t);
    t.source = 'x = 2'; // typed while the first request was out: a second one follows
    const second = controller.lint(t);
    client.pending[1].resolve(result());
    await second;
    client.pending[0].resolve(result()); // the stale answer is dropped, and its content with it
    await first;
    expect(controller.lintedContent(t)).toEqual({ cells: [{ source: 'x = 2' }] });
  });

  it('drops an older answer for the same notebook that arrives after a newer one', async () => {
    controller.follow(a);
    const first = controller.lint(a);
    const second = controller.lint(a);
    client.pending[1].resolve(result(UNVERSIONED));
    await second;
    client.pending[0].resolve(result(CREDENTIALS));
    await first;
    expect(model.findings.map(f => f.name)).toEqual(['unversioned-data']);
    expect(controller.resultFor(a)!.findings).toHaveLength(1);
  });

  it('reports a missing server extension distinctly from other failures', async () => {
    controller.follow(a);
    const missing = controller.lint(a);
    client.pending[0].reject(new ServerMissingError());
    await missing;
    expect(model.status).toBe('server-missing');
    expect(model.message).toContain('server extension');

    const failed = controller.lint(a);
    client.pending[1].reject(new Error('the server answered 500: boom'));
    await failed;
    expect(model.status).toBe('error');
    expect(model.message).toBe('the server answered 500: boom');
  });

  it('ignores an error for a notebook no longer followed', async () => {
    controller.follow(a);
    const lintA = controller.lint(a);
    controller.follow(b);
    client.pending[0].reject(new Error('boom'));
    await lintA;
    expect(model.status).toBe('linting');
  });

  it('signals each fresh result with its notebook', async () => {
    const seen: string[] = [];
    controller.resultReady.connect((_, t) => seen.push(t.path));
    controller.follow(a);
    const done = controller.lint(a);
    client.pending[0].resolve(result());
    await done;
    expect(seen).toEqual(['a.ipynb']);
  });

  describe('triggers', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('lints at once on open and save, ignores notebooks not followed', () => {
      controller.follow(a);
      controller.trigger(a, 'open');
      controller.trigger(b, 'open');
      controller.trigger(a, 'save');
      expect(client.pending.map(p => p.path)).toEqual(['a.ipynb', 'a.ipynb']);
    });

    it('debounces typing by the configured delay', () => {
      model.settings = { ...DEFAULT_SETTINGS, debounceDelay: 500 };
      controller.follow(a);
      controller.trigger(a, 'edit');
      jest.advanceTimersByTime(400);
      controller.trigger(a, 'edit');
      jest.advanceTimersByTime(400);
      expect(client.pending).toHaveLength(0);
      jest.advanceTimersByTime(100);
      expect(client.pending).toHaveLength(1);
    });

    it('does not resend unchanged content after an edit that only touched outputs', () => {
      const t = target('t.ipynb', 'x = 1');
      controller.follow(t);
      controller.trigger(t, 'open');
      controller.trigger(t, 'edit'); // e.g. an output arrived
      jest.advanceTimersByTime(DEFAULT_SETTINGS.debounceDelay);
      expect(client.pending).toHaveLength(1);
      t.source = 'x = 2';
      controller.trigger(t, 'edit');
      jest.advanceTimersByTime(DEFAULT_SETTINGS.debounceDelay);
      expect(client.pending).toHaveLength(2);
      controller.trigger(t, 'save'); // explicit triggers always lint
      expect(client.pending).toHaveLength(3);
    });

    it('does not lint while a running cell streams output, but sends the outputs after the run', () => {
      const cell = { cell_type: 'code', source: 'train()', execution_count: null as number | null, outputs: [] as object[] };
      const t = { path: 'run.ipynb', content: () => ({ cells: [{ ...cell, outputs: [...cell.outputs] }] }) };
      const sent: object[] = [];
      const recording = new LintController(model, {
        lint: (_path: string, content: object) => {
          sent.push(content);
          return new Promise<ILintResult>(() => undefined);
        },
        rules: () => Promise.reject(new Error('not used'))
      });
      recording.follow(t);
      recording.trigger(t, 'open');
      for (let epoch = 0; epoch < 3; epoch++) {
        cell.outputs.push({ output_type: 'stream', name: 'stdout', text: `epoch ${epoch}\n` });
        recording.trigger(t, 'edit');
        jest.advanceTimersByTime(DEFAULT_SETTINGS.debounceDelay);
      }
      expect(sent).toHaveLength(1);
      cell.execution_count = 1;
      recording.trigger(t, 'run');
      jest.advanceTimersByTime(RUN_SETTLE_DELAY);
      expect(sent).toHaveLength(2);
      expect((sent[1] as any).cells[0].outputs).toHaveLength(3);
      recording.dispose();
    });

    it('turns a burst of cell runs into one request', () => {
      controller.follow(a);
      for (let i = 0; i < 5; i++) {
        controller.trigger(a, 'run');
      }
      jest.advanceTimersByTime(RUN_SETTLE_DELAY);
      expect(client.pending).toHaveLength(1);
    });

    it('cancels a pending typing lint when the user switches notebooks', () => {
      controller.follow(a);
      controller.trigger(a, 'edit');
      controller.follow(b);
      jest.advanceTimersByTime(10_000);
      expect(client.pending).toHaveLength(0);
    });

    it('respects the trigger settings and the master switch', () => {
      model.settings = {
        ...DEFAULT_SETTINGS,
        lintOnOpen: false,
        lintOnSave: false,
        lintAfterRun: false,
        lintWhileTyping: false
      };
      controller.follow(a);
      (['open', 'save', 'run', 'edit'] as const).forEach(t => controller.trigger(a, t));
      jest.advanceTimersByTime(10_000);
      expect(client.pending).toHaveLength(0);
      controller.trigger(a, 'command');
      expect(client.pending).toHaveLength(1);

      model.settings = { ...DEFAULT_SETTINGS, enabled: false };
      controller.follow(a);
      controller.trigger(a, 'command');
      void controller.lint(a);
      expect(client.pending).toHaveLength(1);
      expect(model.status).toBe('disabled');
    });
  });
});
