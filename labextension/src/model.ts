/**
 * The panel's state and every derived view of it (counts, groups, filters), with no DOM
 * and no JupyterLab services: what the panel shows is a pure function of this model,
 * which is what the jest tests check.
 */
import { ISignal, Signal } from '@lumino/signaling';

import { IGroup, groupFindings, titleFromId } from './grouping';
import { DEFAULT_SETTINGS, GroupBy, ISettings } from './settings';
import {
  ICatalog,
  IDescribed,
  IFinding,
  ILintResult,
  IRuleInfo,
  LensStatus,
  SEVERITIES,
  SEVERITY_RANK,
  Severity,
  findingKey
} from './tokens';

export type { IGroup } from './grouping';
export { sortFindings } from './grouping';

export type { LensStatus } from './tokens';

export class LensModel {
  private _changed = new Signal<this, void>(this);
  private _catalog: ICatalog | null = null;
  private _rules = new Map<string, IRuleInfo>();
  private _settings: ISettings = DEFAULT_SETTINGS;
  private _status: LensStatus = 'no-notebook';
  private _path: string | null = null;
  private _result: ILintResult | null = null;
  private _message = '';
  private _hidden = new Set<Severity>();
  private _expanded = new Set<string>();
  private _fixOpen: string | null = null;
  private _openRules = new Set<string>();
  private _collapsedGroups = new Set<string>();
  private _notebookIgnores: string[] = [];
  private _groupBy: GroupBy = DEFAULT_SETTINGS.groupBy;

  /** Emitted after any change; the panel, markers and status bar re-render on it. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get catalog(): ICatalog | null {
    return this._catalog;
  }

  set catalog(catalog: ICatalog | null) {
    this._catalog = catalog;
    this._rules = new Map((catalog?.rules ?? []).map(r => [r.name, r]));
    this._changed.emit();
  }

  get settings(): ISettings {
    return this._settings;
  }

  set settings(settings: ISettings) {
    const groupingChanged = settings.groupBy !== this._settings.groupBy;
    this._settings = settings;
    if (groupingChanged) {
      this._groupBy = settings.groupBy;
    }
    this._changed.emit();
  }

  get status(): LensStatus {
    return this._status;
  }

  /** The user-facing explanation for `error` / `server-missing`, empty otherwise. */
  get message(): string {
    return this._message;
  }

  /** The server path of the notebook the panel follows, or null. */
  get path(): string | null {
    return this._path;
  }

  get result(): ILintResult | null {
    return this._result;
  }

  get groupBy(): GroupBy {
    return this._groupBy;
  }

  set groupBy(value: GroupBy) {
    if (value !== this._groupBy) {
      this._groupBy = value;
      this._changed.emit();
    }
  }

  /** Rules ignored through the notebook's `mllens.ignore` metadata. */
  get notebookIgnores(): readonly string[] {
    return this._notebookIgnores;
  }

  set notebookIgnores(value: readonly string[]) {
    this._notebookIgnores = [...value];
    this._changed.emit();
  }

  /**
   * Follow another notebook (or none). Its own last result may be passed so switching
   * back to a tab shows that tab's findings at once, never another notebook's.
   */
  follow(path: string | null, previous: ILintResult | null = null): void {
    this._path = path;
    this._result = path === null ? null : previous;
    this._status = path === null ? 'no-notebook' : previous ? 'ready' : 'linting';
    this._message = '';
    this._expanded.clear();
    this._openRules.clear();
    this._fixOpen = null;
    this._changed.emit();
  }

  /** A path change of the followed notebook (rename, save-as): keep the results. */
  rename(path: string): void {
    this._path = path;
    this._changed.emit();
  }

  setLinting(): void {
    if (this._path !== null) {
      this._status = 'linting';
      this._changed.emit();
    }
  }

  setDisabled(): void {
    this._status = 'disabled';
    this._result = null;
    this._changed.emit();
  }

  setResult(result: ILintResult): void {
    this._result = result;
    this._status = 'ready';
    this._message = '';
    this._changed.emit();
  }

  /** Keep the last findings visible (they may still help) but say what went wrong. */
  setError(message: string, serverMissing = false): void {
    this._status = serverMissing ? 'server-missing' : 'error';
    this._message = message;
    this._changed.emit();
  }

  /**
   * The server speaks another findings schema version: nothing it sends can be trusted
   * to mean what the panel would show, so the findings go and one message stays.
   */
  setIncompatible(message: string): void {
    this._status = 'incompatible';
    this._message = message;
    this._result = null;
    this._changed.emit();
  }

  rule(name: string): IRuleInfo | undefined {
    return this._rules.get(name);
  }

  /** A pillar's title, short title and description from the catalog (its id, readable, before that). */
  pillar(id: string): IDescribed {
    return this._catalog?.pillars[id] ?? { title: titleFromId(id), description: '' };
  }

  phase(id: string): IDescribed {
    return this._catalog?.phases[id] ?? { title: titleFromId(id), description: '' };
  }

  /**
   * The pillars the header counts, in framework order: the catalog's, or, until it
   * arrives, those the findings name (in the order they first appear).
   */
  pillarIds(): string[] {
    if (this._catalog) {
      return Object.keys(this._catalog.pillars);
    }
    const seen = new Set<string>();
    this.findings.forEach(f => f.pillars.forEach(p => seen.add(p)));
    return [...seen];
  }

  phaseIds(): string[] {
    if (this._catalog) {
      return Object.keys(this._catalog.phases);
    }
    return [...new Set(this.findings.map(f => f.phase))];
  }

  // -- filters ------------------------------------------------------------------------

  /** Findings after the settings (disabled rules, minimum severity): what is counted. */
  get findings(): IFinding[] {
    const findings = this._result?.findings ?? [];
    const disabled = new Set(this._settings.disabledRules);
    const floor = SEVERITY_RANK[this._settings.minimumSeverity];
    return findings.filter(
      f =>
        !disabled.has(f.name) &&
        !disabled.has(f.code) &&
        SEVERITY_RANK[f.severity] >= floor
    );
  }

  /** Counted findings minus the severities toggled off in the header: what is listed. */
  get shownFindings(): IFinding[] {
    return this.findings.filter(f => !this._hidden.has(f.severity));
  }

  isSeverityShown(severity: Severity): boolean {
    return !this._hidden.has(severity);
  }

  toggleSeverity(severity: Severity): void {
    if (this._hidden.has(severity)) {
      this._hidden.delete(severity);
    } else {
      this._hidden.add(severity);
    }
    this._changed.emit();
  }

  /** Severities the settings allow at all (the header offers only these). */
  get severities(): Severity[] {
    const floor = SEVERITY_RANK[this._settings.minimumSeverity];
    return SEVERITIES.filter(s => SEVERITY_RANK[s] >= floor);
  }

  /** Whether the fix preview (or suggestion) of a finding is open. */
  isFixOpen(finding: IFinding): boolean {
    return this._fixOpen === findingKey(finding);
  }

  /** Open a finding's fix preview (closing any other), or close it. */
  toggleFix(finding: IFinding): void {
    const key = findingKey(finding);
    this._fixOpen = this._fixOpen === key ? null : key;
    this._changed.emit();
  }

  closeFix(): void {
    if (this._fixOpen !== null) {
      this._fixOpen = null;
      this._changed.emit();
    }
  }

  isExpanded(finding: IFinding): boolean {
    return this._expanded.has(findingKey(finding));
  }

  toggleExpanded(finding: IFinding): void {
    const key = findingKey(finding);
    if (this._expanded.has(key)) {
      this._expanded.delete(key);
    } else {
      this._expanded.add(key);
    }
    this._changed.emit();
  }

  /** Whether a rule's header row (key from `IRuleGroup.key`) is open to show its findings. */
  isRuleOpen(key: string): boolean {
    return this._openRules.has(key);
  }

  toggleRule(key: string): void {
    if (!this._openRules.delete(key)) {
      this._openRules.add(key);
    }
    this._changed.emit();
  }

  /** Whether a pillar (or phase) section is folded to its header. */
  isGroupCollapsed(id: string): boolean {
    return this._collapsedGroups.has(id);
  }

  toggleGroup(id: string): void {
    if (!this._collapsedGroups.delete(id)) {
      this._collapsedGroups.add(id);
    }
    this._changed.emit();
  }

  // -- derived views --------------------------------------------------------------------

  /** Findings per pillar, every catalog pillar present so a clean pillar shows as 0. */
  pillarCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    this.pillarIds().forEach(p => (counts[p] = 0));
    for (const finding of this.findings) {
      for (const pillar of finding.pillars) {
        counts[pillar] = (counts[pillar] ?? 0) + 1;
      }
    }
    return counts;
  }

  severityCounts(): Record<Severity, number> {
    const counts = { high: 0, medium: 0, low: 0, info: 0 };
    this.findings.forEach(f => counts[f.severity]++);
    return counts;
  }

  /**
   * The listed findings grouped by pillar or phase, in framework/lifecycle order, empty
   * groups left out, each group arranged by rule. A finding under two pillars appears in
   * both: it matters to both.
   */
  groups(): IGroup[] {
    const byPillar = this._groupBy === 'pillar';
    return groupFindings(this.shownFindings, this._groupBy, {
      order: byPillar ? this.pillarIds() : this.phaseIds(),
      describe: id => (byPillar ? this.pillar(id) : this.phase(id)),
      ruleTitle: name => this._rules.get(name)?.title
    });
  }

  /** Findings per cell (by cell id when the notebook has ids), for the cell markers. */
  findingsByCell(): Map<string, IFinding[]> {
    const cells = new Map<string, IFinding[]>();
    for (const finding of this.findings) {
      const key = cellKey(finding);
      if (key === null) {
        continue;
      }
      const list = cells.get(key) ?? [];
      list.push(finding);
      cells.set(key, list);
    }
    return cells;
  }
}

/** `id:<cell id>` when known, else `index:<n>`: how markers and navigation find a cell. */
export function cellKey(finding: IFinding): string | null {
  if (finding.cell_id) {
    return `id:${finding.cell_id}`;
  }
  return finding.cell_index === null ? null : `index:${finding.cell_index}`;
}
