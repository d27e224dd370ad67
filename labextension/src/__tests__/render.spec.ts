import { LensModel } from '../model';
import { LensPanel } from '../panel';
import { IPanelActions, renderPanel } from '../render';
import { statusText } from '../statusbar';
import { markerTooltip } from '../markers';
import { IFinding, findingKey, findingPlace } from '../tokens';
import { CATALOG, CREDENTIALS, NO_SPLIT, UNVERSIONED, finding, result } from './fixtures';

function actions(overrides: Partial<IPanelActions> = {}): IPanelActions & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    reveal: (f: IFinding) => calls.push(`reveal ${f.name}`),
    ignoreHere: (f: IFinding) => calls.push(`ignoreHere ${f.name}`),
    ignoreInNotebook: (f: IFinding) => calls.push(`ignoreInNotebook ${f.name}`),
    restoreNotebookIgnore: (rule: string) => calls.push(`restore ${rule}`),
    lint: () => calls.push('lint'),
    ignoreHereBlocker: () => null,
    fixPreview: () => ({ diffs: [], blocker: null }),
    applyFix: (f: IFinding) => calls.push(`applyFix ${f.name}`),
    fixAllSafe: () => calls.push('fixAllSafe'),
    ...overrides
  };
}

function model(...findings: IFinding[]): LensModel {
  const m = new LensModel();
  m.catalog = CATALOG;
  m.follow('work/churn.ipynb');
  m.setResult(result(...findings));
  return m;
}

function render(m: LensModel, a = actions()): HTMLElement {
  const node = renderPanel(m, a);
  document.body.replaceChildren(node);
  return node;
}

const text = (node: Element | null) => node?.textContent ?? '';

describe('renderPanel header', () => {
  it('shows the notebook and all six pillars, clean ones marked clean', () => {
    const node = render(model(CREDENTIALS, UNVERSIONED));
    expect(text(node.querySelector('.jp-mllens-notebook'))).toBe('churn.ipynb');
    const pillars = [...node.querySelectorAll('.jp-mllens-pillar')];
    expect(pillars.map(p => p.getAttribute('data-pillar'))).toEqual([
      'operational-excellence',
      'security',
      'reliability',
      'performance-efficiency',
      'cost-optimization',
      'sustainability'
    ]);
    const security = node.querySelector('[data-pillar="security"]')!;
    expect(security.classList).toContain('jp-mod-flagged');
    expect(text(security.querySelector('.jp-mllens-pillar-count'))).toBe('1');
    const cost = node.querySelector('[data-pillar="cost-optimization"]')!;
    expect(cost.classList).toContain('jp-mod-clean');
    expect(cost.getAttribute('title')).toContain('no findings');
    expect(cost.getAttribute('title')).toContain('Avoid waste.');
  });

  it('shows severity counts as toggles that filter the list', () => {
    const m = model(CREDENTIALS, UNVERSIONED);
    let node = render(m);
    const high = node.querySelector<HTMLButtonElement>('[data-severity="high"]')!;
    expect(text(high)).toBe('High 1');
    expect(high.getAttribute('aria-pressed')).toBe('true');
    high.click();
    node = render(m);
    expect(node.querySelector('[data-severity="high"]')!.getAttribute('aria-pressed')).toBe('false');
    expect(node.querySelectorAll('[data-rule="hardcoded-credentials"]')).toHaveLength(0);
    expect(text(node.querySelector('.jp-mllens-hidden-note'))).toContain('1 hidden');
  });

  it('switches grouping between pillar and phase', () => {
    const m = model(CREDENTIALS, NO_SPLIT);
    let node = render(m);
    expect([...node.querySelectorAll('.jp-mllens-group')].map(g => g.getAttribute('data-group'))).toEqual([
      'security',
      'reliability',
      'performance-efficiency'
    ]);
    node.querySelector<HTMLButtonElement>('[data-group-by="phase"]')!.click();
    node = render(m);
    expect([...node.querySelectorAll('.jp-mllens-group')].map(g => g.getAttribute('data-group'))).toEqual([
      'data-processing',
      'model-development'
    ]);
  });
});

describe('renderPanel findings', () => {
  it('shows severity, message, rule name and code, and the cell number', () => {
    const node = render(model(CREDENTIALS));
    const row = node.querySelector('[data-rule="hardcoded-credentials"]')!;
    expect(text(row.querySelector('.jp-mllens-severity-badge'))).toBe('High');
    expect(text(row.querySelector('.jp-mllens-message'))).toBe(
      "hard-coded secret 'Tr0u****' for db_password"
    );
    expect(row.querySelector('.jp-mllens-message code')!.textContent).toBe('db_password');
    expect(text(row.querySelector('.jp-mllens-rule'))).toBe('hardcoded-credentials (MLL101)');
    expect(text(row.querySelector('.jp-mllens-where'))).toBe('cell 3, line 1');
  });

  it('places a finding in a saved output or in metadata by that part, not by a source line', () => {
    const output = finding({
      code: 'MLL108',
      name: 'secret-in-output',
      part: 'output',
      output: 0,
      column: 12,
      message: "Hugging Face token 'hf_D****' is saved in the cell's printed output"
    });
    const row = render(model(output)).querySelector('[data-rule="secret-in-output"]')!;
    expect(text(row.querySelector('.jp-mllens-where'))).toBe('cell 3, output 1, line 1');
    expect(findingPlace({ ...output, part: 'metadata', output: null })).toBe('cell 3, metadata');
    expect(findingPlace({ ...output, part: 'metadata', cell_index: null })).toBe('notebook metadata');
    expect(findingPlace({ ...CREDENTIALS, part: undefined })).toBe('cell 3, line 1');
    expect(markerTooltip([output])).toContain('MLL108 secret-in-output (output 1, line 1)');
  });

  it('keys a finding by its part, so an output finding and a source one never share state', () => {
    const inSource = finding({ code: 'MLL101', line: 1, column: 12 });
    const inOutput = { ...inSource, part: 'output' as const, output: 0 };
    const inOtherOutput = { ...inOutput, output: 1 };
    const keys = new Set([inSource, inOutput, inOtherOutput].map(findingKey));
    expect(keys.size).toBe(3);
    expect(findingKey({ ...inSource, part: undefined })).toBe(findingKey(inSource));
  });

  it('expands into the pillar context, best practice, why, fix and a good example', () => {
    const m = model(CREDENTIALS);
    render(m).querySelector<HTMLButtonElement>('.jp-mllens-expand')!.click();
    const details = render(m).querySelector('.jp-mllens-details')!;
    const content = text(details);
    expect(content).toContain('Hard-coded credentials');
    expect(content).toContain('Pillar: Security');
    expect(content).toContain('Protect data, models, credentials.');
    expect(content).toContain('Lifecycle phase: Data processing');
    expect(content).toContain('Collect and prepare data.');
    expect(content).toContain('MLSEC03-BP02 Secure data and modeling environment');
    expect(content).toContain('(formerly MLSEC-04)');
    expect(content).toContain('Why it matters');
    expect(content).toContain('a credential typed into a cell leaks');
    expect(details.querySelector('.jp-mllens-fix code')!.textContent).toBe('os.environ["NAME"]');
    expect(text(details.querySelector('figcaption'))).toBe('Good: Secrets read from the environment');
    expect(text(details.querySelector('pre'))).toBe('import os\npassword = os.environ["DB_PASSWORD"]');
    const link = details.querySelector('a')!;
    expect(link.getAttribute('href')).toContain('mlsec03-bp02');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('calls the actions: reveal on click, both ignores from the details', () => {
    const m = model(CREDENTIALS);
    const a = actions();
    m.toggleExpanded(CREDENTIALS);
    const node = render(m, a);
    node.querySelector<HTMLButtonElement>('.jp-mllens-finding-main')!.click();
    node.querySelector<HTMLButtonElement>('.jp-mllens-ignore-here')!.click();
    node.querySelector<HTMLButtonElement>('.jp-mllens-ignore-notebook')!.click();
    node.querySelector<HTMLButtonElement>('.jp-mllens-relint')!.click();
    expect(a.calls).toEqual([
      'reveal hardcoded-credentials',
      'ignoreHere hardcoded-credentials',
      'ignoreInNotebook hardcoded-credentials',
      'lint'
    ]);
  });

  it('disables "Ignore here" with the reason when the line cannot take a comment', () => {
    const m = model(CREDENTIALS);
    m.toggleExpanded(CREDENTIALS);
    const node = render(m, actions({ ignoreHereBlocker: () => 'a line magic would receive it' }));
    const button = node.querySelector<HTMLButtonElement>('.jp-mllens-ignore-here')!;
    expect(button.disabled).toBe(true);
    expect(button.title).toBe('a line magic would receive it');
  });

  it('lists notebook-wide ignores with a way back', () => {
    const m = model();
    m.notebookIgnores = ['unversioned-data'];
    const a = actions();
    const node = render(m, a);
    expect(text(node.querySelector('.jp-mllens-notebook-ignores'))).toContain('unversioned-data');
    node.querySelector<HTMLButtonElement>('.jp-mllens-restore')!.click();
    expect(a.calls).toEqual(['restore unversioned-data']);
  });

  it('never renders catalog or message text as HTML', () => {
    const node = render(model({ ...CREDENTIALS, message: '<img src=x onerror=alert(1)>' }));
    expect(node.querySelector('img')).toBeNull();
    expect(text(node.querySelector('.jp-mllens-message'))).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('renderPanel fixes', () => {
  const edit = { cell_index: 2, cell_id: 'cell-2', line: 1, column: 15, end_line: 1, end_column: 34, replacement: 'x' };
  const safe = finding({ name: 'unsafe-deserialization', code: 'MLL109', severity: 'info', fix: { title: 'Use yaml.safe_load', applicability: 'safe', edits: [edit], template: null } });
  const unsafe = finding({ fix: { title: 'Read the secret from the environment', applicability: 'unsafe', edits: [edit], template: null } });
  const display = finding({ name: 'data-leakage', code: 'MLL304', fix: { title: 'Split first', applicability: 'display-only', edits: [], template: 'X_train, X_test = ...' } });

  it('offers Fix for code fixes, a suggestion for display-only ones, nothing without a fix', () => {
    const node = render(model(safe, unsafe, display, UNVERSIONED));
    const label = (rule: string) => text(node.querySelector(`[data-rule="${rule}"] .jp-mllens-fix-toggle`));
    expect(label('unsafe-deserialization')).toBe('Fix');
    expect(label('hardcoded-credentials')).toBe('Fix');
    expect(label('data-leakage')).toBe('Suggestion');
    expect(node.querySelector('[data-rule="unversioned-data"] .jp-mllens-fix-toggle')).toBeNull();
  });

  it('previews first, applies on Apply, and refuses with the reason', () => {
    const m = model(unsafe);
    const a = actions({
      fixPreview: () => ({
        diffs: [
          {
            index: 2,
            line: 1,
            span: 1,
            lines: [
              { kind: 'removed', text: "db_password = 'Tr0u****'" },
              { kind: 'added', text: 'db_password = os.environ["DB_PASSWORD"]' }
            ]
          }
        ],
        blocker: null
      })
    });
    let node = render(m, a);
    (node.querySelector('.jp-mllens-fix-toggle') as HTMLElement).click();
    node = render(m, a);
    const preview = node.querySelector('.jp-mllens-fix-preview');
    expect(text(preview)).toContain('Unsafe fix');
    expect(text(preview?.querySelector('figcaption') ?? null)).toBe('cell 3, line 1');
    expect(text(preview?.querySelector('.jp-mllens-diff-removed') ?? null)).toBe("- db_password = 'Tr0u****'");
    expect(a.calls).toEqual([]);
    (node.querySelector('.jp-mllens-fix-apply') as HTMLElement).click();
    expect(a.calls).toEqual(['applyFix hardcoded-credentials']);

    const stale = actions({ fixPreview: () => ({ diffs: [], blocker: 'cell 3 changed since the lint; lint again' }) });
    node = render(m, stale);
    expect(text(node.querySelector('.jp-mllens-fix-blocked'))).toBe('Cannot apply: cell 3 changed since the lint; lint again.');
    expect((node.querySelector('.jp-mllens-fix-apply') as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows a display-only fix as its template, with nothing to apply', () => {
    const m = model(display);
    m.toggleFix(display);
    const node = render(m);
    expect(text(node.querySelector('.jp-mllens-fix-template'))).toBe('X_train, X_test = ...');
    expect(node.querySelector('.jp-mllens-fix-apply')).toBeNull();
  });

  it('counts safe fixes only in "Fix all safe"', () => {
    const a = actions();
    let node = render(model(safe, unsafe, display), a);
    const button = node.querySelector('.jp-mllens-fix-all') as HTMLButtonElement;
    expect(text(button)).toBe('Fix all safe (1)');
    button.click();
    expect(a.calls).toEqual(['fixAllSafe']);
    node = render(model(unsafe, display));
    expect((node.querySelector('.jp-mllens-fix-all') as HTMLButtonElement).disabled).toBe(true);
    // What the severity filter hides is not fixed either.
    const m = model(safe, unsafe);
    m.toggleSeverity('info');
    node = render(m);
    expect(text(node.querySelector('.jp-mllens-fix-all'))).toBe('Fix all safe');
  });
});

describe('renderPanel states', () => {
  it('says so when the notebook is clean', () => {
    expect(text(render(model()).querySelector('.jp-mllens-empty'))).toBe(
      'No findings: all six pillars are clean.'
    );
  });

  it('explains a missing server extension', () => {
    const m = model();
    m.setError('Install jupyter_mllens in the server environment.', true);
    const alert = render(m).querySelector('[role="alert"]')!;
    expect(text(alert)).toContain('Server extension missing');
    expect(text(alert)).toContain('Install jupyter_mllens');
    expect(statusText(m)).toBe('ML Lens: server missing');
  });

  it('shows a failed request and the engine’s errors', () => {
    const m = model();
    m.setResult({ version: 1, findings: [], errors: [{ path: 'nb', message: 'configuration: bad key' }] });
    expect(text(render(m).querySelector('.jp-mllens-errors'))).toBe('configuration: bad key');
    m.setError('the server answered 500: boom');
    expect(text(render(m).querySelector('.jp-mllens-status-error'))).toContain('500: boom');
  });

  it('asks for a notebook when none is open, and shows nothing else', () => {
    const m = new LensModel();
    const node = render(m);
    expect(text(node.querySelector('.jp-mllens-status'))).toContain('Open a notebook');
    expect(node.querySelector('.jp-mllens-pillars')).toBeNull();
    expect(statusText(m)).toBe('');
  });

  it('shows linting without dropping the previous findings', () => {
    const m = model(CREDENTIALS);
    m.setLinting();
    const node = render(m);
    expect(node.querySelectorAll('.jp-mllens-finding')).toHaveLength(1);
    expect(text(node.querySelector('.jp-mllens-relint'))).toBe('Linting…');
  });

  it('counts in the status bar', () => {
    expect(statusText(model(CREDENTIALS, UNVERSIONED))).toBe('ML Lens: 2 findings');
    expect(statusText(model())).toBe('ML Lens: ✓ clean');
  });
});

describe('LensPanel', () => {
  it('re-renders when the model changes', () => {
    const m = model(CREDENTIALS);
    const panel = new LensPanel(m, actions());
    expect(panel.node.querySelectorAll('.jp-mllens-finding')).toHaveLength(1);
    m.setResult(result(CREDENTIALS, UNVERSIONED));
    expect(panel.node.querySelectorAll('.jp-mllens-finding')).toHaveLength(3);
    panel.dispose();
  });
});

describe('patch', () => {
  it('keeps unchanged subtrees when the panel re-renders', () => {
    const m = model(CREDENTIALS, UNVERSIONED);
    const panel = new LensPanel(m, actions());
    const before = panel.node.querySelector('[data-rule="hardcoded-credentials"]');
    m.setLinting();
    expect(panel.node.querySelector('.jp-mllens-relint')!.textContent).toBe('Linting…');
    m.setResult(result(CREDENTIALS, UNVERSIONED));
    expect(panel.node.querySelector('[data-rule="hardcoded-credentials"]')).toBe(before);
    m.setResult(result(UNVERSIONED));
    expect(panel.node.querySelector('[data-rule="hardcoded-credentials"]')).toBeNull();
    expect(panel.node.querySelectorAll('.jp-mllens-finding')).toHaveLength(2);
    panel.dispose();
  });
});
