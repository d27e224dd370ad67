/**
 * The panel's settings (schema in `schema/plugin.json`), read into one typed object so
 * the rest of the code never touches the settings registry's untyped JSON.
 */
import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import type { LensModel } from './model';

import { SEVERITIES, Severity } from './tokens';

export type GroupBy = 'pillar' | 'phase';

export interface ISettings {
  /** Master switch: when off, nothing is sent to the server and markers are removed. */
  enabled: boolean;
  lintOnOpen: boolean;
  lintOnSave: boolean;
  lintAfterRun: boolean;
  lintWhileTyping: boolean;
  /** Milliseconds of quiet typing before a lint request. */
  debounceDelay: number;
  /** Rule names or codes hidden in the panel (the server's config still applies). */
  disabledRules: string[];
  minimumSeverity: Severity;
  groupBy: GroupBy;
}

export const DEFAULT_SETTINGS: ISettings = {
  enabled: true,
  lintOnOpen: true,
  lintOnSave: true,
  lintAfterRun: true,
  lintWhileTyping: true,
  debounceDelay: 800,
  disabledRules: [],
  minimumSeverity: 'info',
  groupBy: 'pillar'
};

/** Typed settings from the registry's composite, falling back per key on bad values. */
export function readSettings(raw: ReadonlyPartialJSONObject | null): ISettings {
  const source = raw ?? {};
  const bool = (key: keyof ISettings): boolean =>
    typeof source[key] === 'boolean'
      ? (source[key] as boolean)
      : (DEFAULT_SETTINGS[key] as boolean);
  const delay = source.debounceDelay;
  const rules = source.disabledRules;
  const severity = source.minimumSeverity;
  const groupBy = source.groupBy;
  return {
    enabled: bool('enabled'),
    lintOnOpen: bool('lintOnOpen'),
    lintOnSave: bool('lintOnSave'),
    lintAfterRun: bool('lintAfterRun'),
    lintWhileTyping: bool('lintWhileTyping'),
    debounceDelay:
      typeof delay === 'number' && delay >= 0
        ? Math.min(delay, 60000)
        : DEFAULT_SETTINGS.debounceDelay,
    disabledRules: Array.isArray(rules)
      ? rules.filter((r): r is string => typeof r === 'string')
      : [],
    minimumSeverity: SEVERITIES.includes(severity as Severity)
      ? (severity as Severity)
      : DEFAULT_SETTINGS.minimumSeverity,
    groupBy: groupBy === 'phase' ? 'phase' : 'pillar'
  };
}

/**
 * Load the plugin's settings into `model` and keep them there; `enabledChanged` runs when
 * the master switch flips. The grouping the user picks in the panel is written back, so
 * it is the same next time.
 */
export async function connectSettings(
  registry: ISettingRegistry,
  pluginId: string,
  model: LensModel,
  enabledChanged: (enabled: boolean) => void
): Promise<ISettingRegistry.ISettings> {
  const loaded = await registry.load(pluginId);
  const apply = () => {
    const wasEnabled = model.settings.enabled;
    model.settings = readSettings(loaded.composite);
    if (model.settings.enabled !== wasEnabled) {
      enabledChanged(model.settings.enabled);
    }
  };
  loaded.changed.connect(apply);
  apply();
  let lastGroupBy = model.groupBy;
  model.changed.connect(() => {
    if (model.groupBy !== lastGroupBy) {
      lastGroupBy = model.groupBy;
      void loaded.set('groupBy', model.groupBy);
    }
  });
  return loaded;
}
