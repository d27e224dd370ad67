// The schema shipped in the package: defaults there and in the code must agree.
import schema from '../../schema/plugin.json';
import { DEFAULT_SETTINGS, readSettings } from '../settings';

describe('readSettings', () => {
  it('defaults every key', () => {
    expect(readSettings(null)).toEqual(DEFAULT_SETTINGS);
  });

  it('matches the defaults declared in the settings schema', () => {
    const fromSchema = Object.fromEntries(
      Object.entries(schema.properties).map(([key, spec]: [string, any]) => [key, spec.default])
    );
    expect(fromSchema).toEqual(DEFAULT_SETTINGS);
  });

  it('reads valid values and falls back per key on invalid ones', () => {
    const settings = readSettings({
      enabled: false,
      lintWhileTyping: 'yes',
      debounceDelay: -5,
      disabledRules: ['MLL101', 7, 'unversioned-data'],
      minimumSeverity: 'critical',
      groupBy: 'phase'
    } as any);
    expect(settings.enabled).toBe(false);
    expect(settings.lintWhileTyping).toBe(true);
    expect(settings.debounceDelay).toBe(DEFAULT_SETTINGS.debounceDelay);
    expect(settings.disabledRules).toEqual(['MLL101', 'unversioned-data']);
    expect(settings.minimumSeverity).toBe('info');
    expect(settings.groupBy).toBe('phase');
  });
});
