import { LensModel, cellKey, sortFindings } from '../model';
import { DEFAULT_SETTINGS } from '../settings';
import { CATALOG, CREDENTIALS, NO_SPLIT, TRACKING, UNVERSIONED, finding, result } from './fixtures';

function modelWith(...findings: ReturnType<typeof finding>[]): LensModel {
  const model = new LensModel();
  model.catalog = CATALOG;
  model.follow('nb.ipynb');
  model.setResult(result(...findings));
  return model;
}

describe('LensModel counts', () => {
  it('counts all six pillars, a clean pillar as zero', () => {
    const counts = modelWith(CREDENTIALS, UNVERSIONED).pillarCounts();
    expect(Object.keys(counts)).toEqual(Object.keys(CATALOG.pillars));
    expect(counts).toEqual({
      'operational-excellence': 1,
      security: 1,
      reliability: 1,
      'performance-efficiency': 0,
      'cost-optimization': 0,
      sustainability: 0
    });
  });

  it('counts a clean notebook as six clean pillars', () => {
    const counts = modelWith().pillarCounts();
    expect(Object.values(counts)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('counts severities', () => {
    expect(modelWith(CREDENTIALS, UNVERSIONED, NO_SPLIT).severityCounts()).toEqual({
      high: 2,
      medium: 1,
      low: 0,
      info: 0
    });
  });
});

describe('LensModel grouping', () => {
  it('groups by pillar in framework order, a finding under each of its pillars', () => {
    const groups = modelWith(CREDENTIALS, UNVERSIONED, NO_SPLIT).groups();
    expect(groups.map(g => g.id)).toEqual([
      'operational-excellence',
      'security',
      'reliability',
      'performance-efficiency'
    ]);
    expect(groups[2].findings.map(f => f.name)).toEqual([
      'no-evaluation-split',
      'unversioned-data'
    ]);
    expect(groups[1].title).toBe('Security');
    expect(groups[1].description).toContain('Protect data');
  });

  it('groups by lifecycle phase in lifecycle order', () => {
    const model = modelWith(NO_SPLIT, CREDENTIALS);
    model.groupBy = 'phase';
    expect(model.groups().map(g => [g.id, g.title])).toEqual([
      ['data-processing', 'Data processing'],
      ['model-development', 'Model development']
    ]);
  });

  it('falls back to built-in titles without a catalog', () => {
    const model = new LensModel();
    model.follow('nb.ipynb');
    model.setResult(result(NO_SPLIT));
    expect(model.groups().map(g => g.title)).toEqual(['Reliability', 'Performance efficiency']);
  });

  it('sorts most severe first, then in notebook order', () => {
    const sorted = sortFindings([TRACKING, UNVERSIONED, NO_SPLIT, CREDENTIALS]);
    expect(sorted.map(f => f.code)).toEqual(['MLL101', 'MLL302', 'MLL201', 'MLL301']);
  });
});

describe('LensModel filters', () => {
  it('hides disabled rules by name or code and findings below the minimum severity', () => {
    const model = modelWith(CREDENTIALS, UNVERSIONED, NO_SPLIT, TRACKING);
    model.settings = { ...DEFAULT_SETTINGS, disabledRules: ['MLL302'], minimumSeverity: 'medium' };
    expect(model.findings.map(f => f.name)).toEqual(['hardcoded-credentials', 'unversioned-data']);
    expect(model.severities).toEqual(['high', 'medium']);
    expect(model.pillarCounts()['performance-efficiency']).toBe(0);
  });

  it('severity toggles hide from the list but not from the counts', () => {
    const model = modelWith(CREDENTIALS, UNVERSIONED);
    model.toggleSeverity('high');
    expect(model.shownFindings.map(f => f.name)).toEqual(['unversioned-data']);
    expect(model.severityCounts().high).toBe(1);
    model.toggleSeverity('high');
    expect(model.shownFindings).toHaveLength(2);
  });

  it('maps findings to cells by id, or by index without one', () => {
    const model = modelWith(CREDENTIALS, NO_SPLIT, TRACKING, finding({ cell_id: null, cell_index: 7 }));
    const byCell = model.findingsByCell();
    expect([...byCell.keys()]).toEqual(['id:cell-2', 'id:cell-4', 'index:7']);
    expect(byCell.get('id:cell-4')).toHaveLength(2);
    expect(cellKey(finding({ cell_id: null, cell_index: null }))).toBeNull();
  });
});

describe('LensModel following notebooks', () => {
  it('shows only the followed notebook’s own previous result', () => {
    const model = modelWith(CREDENTIALS);
    model.follow('other.ipynb');
    expect(model.result).toBeNull();
    expect(model.status).toBe('linting');
    expect(model.pillarCounts().security).toBe(0);
    model.follow('nb.ipynb', result(UNVERSIONED));
    expect(model.status).toBe('ready');
    expect(model.findings.map(f => f.name)).toEqual(['unversioned-data']);
  });

  it('keeps the last findings on error but reports the error', () => {
    const model = modelWith(CREDENTIALS);
    model.setError('the server answered 500', false);
    expect(model.status).toBe('error');
    expect(model.findings).toHaveLength(1);
    model.setError('missing', true);
    expect(model.status).toBe('server-missing');
  });

  it('forgets expanded findings when following another notebook', () => {
    const model = modelWith(CREDENTIALS);
    model.toggleExpanded(CREDENTIALS);
    expect(model.isExpanded(CREDENTIALS)).toBe(true);
    model.follow('other.ipynb');
    expect(model.isExpanded(CREDENTIALS)).toBe(false);
  });

  it('emits changed on every state change', () => {
    const model = new LensModel();
    let calls = 0;
    model.changed.connect(() => calls++);
    model.follow('nb.ipynb');
    model.setLinting();
    model.setResult(result());
    model.groupBy = 'phase';
    model.groupBy = 'phase';
    expect(calls).toBe(4);
  });
});
