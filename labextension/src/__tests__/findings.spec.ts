import { LensFindings } from '../findings';
import { LensModel } from '../model';
import { DEFAULT_SETTINGS } from '../settings';
import { IMLLensFindings } from '../tokens';
import { CATALOG, CREDENTIALS, UNVERSIONED, result } from './fixtures';

describe('IMLLensFindings', () => {
  it('is a named token other plugins can require', () => {
    expect(IMLLensFindings.name).toBe('jupyter-mllens:IMLLensFindings');
  });

  it('reads the panel’s findings, after the settings’ filters, and their catalog', () => {
    const model = new LensModel();
    let lints = 0;
    const findings = new LensFindings(model, async () => {
      lints++;
    });
    model.catalog = CATALOG;
    model.follow('nb.ipynb');
    model.setResult(result(CREDENTIALS, UNVERSIONED));
    expect(findings.path).toBe('nb.ipynb');
    expect(findings.status).toBe('ready');
    expect(findings.result!.findings).toHaveLength(2);
    expect(findings.findings.map(f => f.name)).toEqual(['hardcoded-credentials', 'unversioned-data']);
    model.settings = { ...DEFAULT_SETTINGS, disabledRules: ['MLL101'] };
    expect(findings.findings.map(f => f.name)).toEqual(['unversioned-data']);
    expect(findings.rule('hardcoded-credentials')!.code).toBe('MLL101');
    expect(findings.catalog).toBe(CATALOG);
    return findings.lint().then(() => expect(lints).toBe(1));
  });

  it('signals changes of findings, not of what the user opens in the panel', () => {
    const model = new LensModel();
    const findings = new LensFindings(model, async () => undefined);
    const seen: (string | null)[] = [];
    findings.changed.connect(() => seen.push(findings.status));
    model.follow('nb.ipynb'); // linting
    model.setResult(result(CREDENTIALS)); // ready
    model.toggleExpanded(CREDENTIALS);
    model.toggleRule('security/hardcoded-credentials');
    model.toggleSeverity('high');
    model.setResult(result(CREDENTIALS, UNVERSIONED)); // a new result
    expect(seen).toEqual(['linting', 'ready', 'ready']);
  });
});
