import { LensModel } from '../model';
import { LensPanel } from '../panel';
import { IPanelActions } from '../render';
import { IFinding } from '../tokens';
import { CATALOG, CREDENTIALS, NO_SPLIT, UNVERSIONED, finding, result } from './fixtures';

function reads(count: number): IFinding[] {
  return Array.from({ length: count }, (_, i) =>
    finding({ ...UNVERSIONED, cell_index: 10 + i, cell_id: `read-${i}` })
  );
}

function panelWith(findings: IFinding[], revealed: string[] = []): LensPanel {
  const m = new LensModel();
  m.catalog = CATALOG;
  m.follow('nb.ipynb');
  m.setResult(result(...findings));
  const actions: IPanelActions = {
    reveal: f => revealed.push(`${f.name}@${f.cell_index}`),
    ignoreHere: () => undefined,
    ignoreInNotebook: () => undefined,
    restoreNotebookIgnore: () => undefined,
    lint: () => undefined,
    ignoreHereBlocker: () => null,
    fixPreview: () => ({ diffs: [], blocker: null }),
    applyFix: () => undefined,
    fixAllSafe: () => undefined
  };
  const panel = new LensPanel(m, actions);
  document.body.replaceChildren(panel.node);
  return panel;
}

function press(panel: LensPanel, key: string): void {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
  (document.activeElement ?? panel.node).dispatchEvent(event);
}

const focused = () => (document.activeElement as HTMLElement | null)?.dataset.focusKey;

describe('the findings list with many findings', () => {
  it('shows a rule with many findings as one header row with its count, closed', () => {
    const panel = panelWith([...reads(120), CREDENTIALS]);
    const node = panel.node;
    const reliability = node.querySelector('[data-group="reliability"]')!;
    expect(reliability.querySelector('.jp-mllens-group-count')!.textContent).toBe('120');
    const rule = reliability.querySelector('.jp-mllens-rule-group[data-rule="unversioned-data"]')!;
    expect(rule.querySelector('.jp-mllens-rule-count')!.textContent).toBe('120');
    expect(rule.querySelector('.jp-mllens-rule-toggle')!.getAttribute('aria-expanded')).toBe('false');
    expect(rule.querySelector('.jp-mllens-where')!.textContent).toBe('cells 11, 12, 13, 14, 15, 16, … (120 cells)');
    // Closed: the 240 listed findings (120 under each of two pillars) are not in the DOM.
    expect(node.querySelectorAll('.jp-mllens-finding')).toHaveLength(1);
    expect(node.querySelectorAll('.jp-mllens-row')).toHaveLength(3 + 2 + 1);
    panel.dispose();
  });

  it('opens a rule on click to list its findings, and closes it again', () => {
    const panel = panelWith(reads(5));
    const toggle = () =>
      panel.node.querySelector<HTMLButtonElement>('[data-group="reliability"] .jp-mllens-rule-toggle')!;
    toggle().click();
    expect(toggle().getAttribute('aria-expanded')).toBe('true');
    expect(panel.node.querySelectorAll('[data-group="reliability"] .jp-mllens-rule-findings .jp-mllens-finding')).toHaveLength(5);
    expect(panel.node.querySelectorAll('[data-group="operational-excellence"] .jp-mllens-finding')).toHaveLength(0);
    toggle().click();
    expect(panel.node.querySelectorAll('.jp-mllens-finding')).toHaveLength(0);
    panel.dispose();
  });

  it('folds a pillar section from its header', () => {
    const panel = panelWith([CREDENTIALS, NO_SPLIT]);
    panel.node.querySelector<HTMLButtonElement>('[data-group="security"] .jp-mllens-group-toggle')!.click();
    const security = panel.node.querySelector('[data-group="security"]')!;
    expect(security.querySelector('.jp-mllens-group-toggle')!.getAttribute('aria-expanded')).toBe('false');
    expect(security.querySelector('.jp-mllens-findings')).toBeNull();
    expect(panel.node.querySelectorAll('[data-group="reliability"] .jp-mllens-finding')).toHaveLength(1);
    panel.dispose();
  });
});

describe('keyboard navigation', () => {
  it('moves with the arrows, opens and closes with Right and Left, keeps focus across re-renders', () => {
    const revealed: string[] = [];
    const panel = panelWith([NO_SPLIT, ...reads(3)], revealed);
    const first = panel.node.querySelector<HTMLElement>('.jp-mllens-row')!;
    first.focus();
    expect(focused()).toBe('group:operational-excellence');

    press(panel, 'ArrowDown');
    expect(focused()).toBe('rule:operational-excellence/unversioned-data');
    press(panel, 'ArrowRight'); // open the rule: focus stays on its header
    expect(focused()).toBe('rule:operational-excellence/unversioned-data');
    expect(document.activeElement!.getAttribute('aria-expanded')).toBe('true');
    press(panel, 'ArrowRight'); // step into it
    expect(focused()).toMatch(/^finding:operational-excellence:read-0:/);
    // Enter and Space are left to the row's own button (the browser clicks it).
    (document.activeElement as HTMLElement).click();
    expect(revealed).toEqual(['unversioned-data@10']);

    press(panel, 'ArrowLeft'); // a finding row whose explanation is closed: up to its rule
    expect(focused()).toBe('rule:operational-excellence/unversioned-data');
    press(panel, 'ArrowLeft'); // close the rule
    expect(document.activeElement!.getAttribute('aria-expanded')).toBe('false');
    press(panel, 'ArrowLeft'); // up to the pillar
    expect(focused()).toBe('group:operational-excellence');
    press(panel, 'ArrowLeft'); // fold the pillar
    expect(document.activeElement!.getAttribute('aria-expanded')).toBe('false');
    expect(panel.node.querySelector('[data-group="operational-excellence"] .jp-mllens-findings')).toBeNull();

    press(panel, 'End'); // the last pillar's last finding
    expect(focused()).toMatch(/^finding:performance-efficiency:cell-4:/);
    press(panel, 'Home');
    expect(focused()).toBe('group:operational-excellence');
    press(panel, 'ArrowUp'); // nothing above the first row
    expect(focused()).toBe('group:operational-excellence');
    panel.dispose();
  });

  it('opens a finding’s explanation with Right and leaves other keys alone', () => {
    const panel = panelWith([CREDENTIALS]);
    const row = panel.node.querySelector<HTMLElement>('.jp-mllens-finding-main')!;
    row.focus();
    press(panel, 'ArrowRight');
    expect(panel.node.querySelector('.jp-mllens-details')).not.toBeNull();
    expect(focused()).toMatch(/^finding:security:/);
    press(panel, 'ArrowLeft');
    expect(panel.node.querySelector('.jp-mllens-details')).toBeNull();
    const event = new KeyboardEvent('keydown', { key: 'a', bubbles: true, cancelable: true });
    document.activeElement!.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(false);
    panel.dispose();
  });
});
