import { COLLAPSE_AT, cellsOf, groupByRule, groupFindings, isCollapsible, titleFromId } from '../grouping';
import { LensModel } from '../model';
import { IFinding } from '../tokens';
import { CATALOG, CREDENTIALS, NO_SPLIT, TRACKING, UNVERSIONED, finding, result } from './fixtures';

/** `count` unversioned-data findings, one per cell from cell index `first` on. */
function reads(count: number, first = 10): IFinding[] {
  return Array.from({ length: count }, (_, i) =>
    finding({ ...UNVERSIONED, cell_index: first + i, cell_id: `read-${i}`, line: 1 + (i % 3) })
  );
}

const CONTEXT = {
  order: Object.keys(CATALOG.pillars),
  describe: (id: string) => CATALOG.pillars[id] ?? { title: titleFromId(id), description: '' },
  ruleTitle: (name: string) => CATALOG.rules.find(r => r.name === name)?.title
};

describe('groupFindings', () => {
  it('groups by pillar in catalog order with every group’s count', () => {
    const groups = groupFindings([TRACKING, CREDENTIALS, ...reads(3), NO_SPLIT], 'pillar', CONTEXT);
    expect(groups.map(g => [g.id, g.findings.length])).toEqual([
      ['operational-excellence', 4],
      ['security', 1],
      ['reliability', 4],
      ['performance-efficiency', 1]
    ]);
  });

  it('arranges a group by rule: worst severity first, then where the rule first fires', () => {
    const reliability = groupFindings([...reads(3), NO_SPLIT], 'pillar', CONTEXT).find(g => g.id === 'reliability')!;
    expect(reliability.rules.map(r => [r.name, r.findings.length, r.severity])).toEqual([
      ['no-evaluation-split', 1, 'high'],
      ['unversioned-data', 3, 'medium']
    ]);
    expect(reliability.rules[1].key).toBe('reliability/unversioned-data');
    expect(reliability.rules[1].findings.map(f => f.cell_index)).toEqual([10, 11, 12]);
  });

  it('names a rule by its catalog title, by its name without one', () => {
    const [security] = groupFindings([CREDENTIALS], 'pillar', CONTEXT);
    expect(security.rules[0].title).toBe('Hard-coded credentials');
    const [ops] = groupFindings([TRACKING], 'pillar', CONTEXT);
    expect(ops.rules[0].title).toBe('missing-experiment-tracking');
  });

  it('gives a rule with several findings a header row, one finding stays a row', () => {
    const reliability = groupFindings([...reads(COLLAPSE_AT), NO_SPLIT], 'pillar', CONTEXT).find(g => g.id === 'reliability')!;
    expect(reliability.rules.map(isCollapsible)).toEqual([false, true]);
  });

  it('puts a group the order does not know after the known ones, and never twice per finding', () => {
    const odd = finding({ pillars: ['security', 'security', 'future-pillar'] });
    const groups = groupFindings([odd, TRACKING], 'pillar', CONTEXT);
    expect(groups.map(g => [g.id, g.title, g.findings.length])).toEqual([
      ['operational-excellence', 'Operational excellence', 1],
      ['security', 'Security', 1],
      ['future-pillar', 'Future pillar', 1]
    ]);
  });

  it('groups by phase with the same rule arrangement', () => {
    const groups = groupFindings([NO_SPLIT, TRACKING, ...reads(2)], 'phase', {
      ...CONTEXT,
      order: Object.keys(CATALOG.phases),
      describe: id => CATALOG.phases[id]
    });
    expect(groups.map(g => [g.id, g.rules.map(r => r.name)])).toEqual([
      ['data-processing', ['unversioned-data']],
      ['model-development', ['no-evaluation-split', 'missing-experiment-tracking']]
    ]);
  });

  it('keeps 120 findings of a few rules to a handful of rows', () => {
    const many = [...reads(80), ...Array.from({ length: 40 }, (_, i) =>
      finding({ cell_index: 100 + i, cell_id: `leak-${i}` })
    )];
    const groups = groupFindings(many, 'pillar', CONTEXT);
    const rows = groups.reduce((n, g) => n + g.rules.length, 0);
    expect(groups.reduce((n, g) => n + g.findings.length, 0)).toBe(80 * 2 + 40);
    expect(rows).toBe(3);
  });
});

describe('rule header text', () => {
  it('lists the cells a rule fires in, each once, in order, shortened past a limit', () => {
    const [rule] = groupByRule('reliability', [...reads(2, 4), finding({ ...UNVERSIONED, cell_index: 4, line: 9 })], CONTEXT);
    expect(cellsOf(rule)).toBe('cells 5, 6');
    const [long] = groupByRule('reliability', reads(9, 0), CONTEXT);
    expect(cellsOf(long, 3)).toBe('cells 1, 2, 3, … (9 cells)');
    const [one] = groupByRule('security', [CREDENTIALS], CONTEXT);
    expect(cellsOf(one)).toBe('cell 3');
  });
});

describe('LensModel rule and group state', () => {
  function model(...findings: IFinding[]): LensModel {
    const m = new LensModel();
    m.catalog = CATALOG;
    m.follow('nb.ipynb');
    m.setResult(result(...findings));
    return m;
  }

  it('opens and closes a rule, keeps it open across re-lints, forgets it on another notebook', () => {
    const m = model(...reads(5));
    const key = 'reliability/unversioned-data';
    expect(m.isRuleOpen(key)).toBe(false);
    m.toggleRule(key);
    expect(m.isRuleOpen(key)).toBe(true);
    m.setResult(result(...reads(6)));
    expect(m.isRuleOpen(key)).toBe(true);
    m.follow('other.ipynb');
    expect(m.isRuleOpen(key)).toBe(false);
  });

  it('folds a pillar section to its header', () => {
    const m = model(CREDENTIALS);
    m.toggleGroup('security');
    expect(m.isGroupCollapsed('security')).toBe(true);
    m.toggleGroup('security');
    expect(m.isGroupCollapsed('security')).toBe(false);
  });

  it('takes the pillars it counts from the catalog, from the findings before it arrives', () => {
    const m = new LensModel();
    m.follow('nb.ipynb');
    m.setResult(result(UNVERSIONED));
    expect(m.pillarIds()).toEqual(['reliability', 'operational-excellence']);
    expect(m.pillar('reliability').title).toBe('Reliability');
    m.catalog = CATALOG;
    expect(m.pillarIds()).toEqual(Object.keys(CATALOG.pillars));
    expect(m.pillar('cost-optimization').short_title).toBe('Cost');
  });
});
