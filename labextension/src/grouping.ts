/**
 * How a long list of findings is arranged: by pillar (or phase), then by rule. With forty
 * rules a notebook easily has a hundred findings, most of them a few rules firing many
 * times; one row per rule with its count keeps the list short enough to read, and the
 * rule's findings are one click (or key press) away. Pure functions over findings, so the
 * jest tests check the arrangement without a DOM.
 */
import { IDescribed, IFinding, SEVERITY_RANK, Severity } from './tokens';

/** A rule with this many findings in one group is shown as one header row with its count. */
export const COLLAPSE_AT = 2;

/** One rule's findings within one group. */
export interface IRuleGroup {
  /** `<group id>/<rule name>`: stable across re-lints, so open rules stay open. */
  key: string;
  name: string;
  code: string;
  /** The catalog's title of the rule, or its name before the catalog arrives. */
  title: string;
  /** The most severe of its findings. */
  severity: Severity;
  /** Most severe first, then in notebook order. */
  findings: IFinding[];
}

/** One pillar (or phase) with its findings, arranged by rule. */
export interface IGroup {
  id: string;
  title: string;
  description: string;
  /** Every finding of the group (a finding under two pillars counts in both). */
  findings: IFinding[];
  /** The group's rules, most severe first, then by where they first fire. */
  rules: IRuleGroup[];
}

export type GroupKey = 'pillar' | 'phase';

export interface IGroupingContext {
  /** Group ids in display order (framework or lifecycle order, from the catalog). */
  order: readonly string[];
  describe(id: string): IDescribed;
  ruleTitle(name: string): string | undefined;
}

/**
 * `findings` grouped by pillar or phase in `order` (ids not in it follow, sorted), empty
 * groups left out, each group's findings arranged by rule. Linear in the findings apart
 * from the sorts.
 */
export function groupFindings(
  findings: readonly IFinding[],
  by: GroupKey,
  context: IGroupingContext
): IGroup[] {
  const buckets = new Map<string, IFinding[]>();
  for (const finding of findings) {
    const ids = by === 'pillar' ? finding.pillars : [finding.phase];
    for (const id of new Set(ids)) {
      const bucket = buckets.get(id);
      if (bucket) {
        bucket.push(finding);
      } else {
        buckets.set(id, [finding]);
      }
    }
  }
  const known = context.order.filter(id => buckets.has(id));
  const listed = new Set(known);
  const unknown = [...buckets.keys()].filter(id => !listed.has(id)).sort();
  return [...known, ...unknown].map(id => {
    const described = context.describe(id);
    const members = sortFindings(buckets.get(id)!);
    return {
      id,
      title: described.title,
      description: described.description,
      findings: members,
      rules: groupByRule(id, members, context)
    };
  });
}

/** A group's (sorted) findings split by rule, keeping each rule's findings in order. */
export function groupByRule(
  groupId: string,
  sorted: readonly IFinding[],
  context: Pick<IGroupingContext, 'ruleTitle'>
): IRuleGroup[] {
  const rules = new Map<string, IRuleGroup>();
  for (const finding of sorted) {
    let rule = rules.get(finding.name);
    if (!rule) {
      rule = {
        key: `${groupId}/${finding.name}`,
        name: finding.name,
        code: finding.code,
        title: context.ruleTitle(finding.name) ?? finding.name,
        severity: finding.severity,
        findings: []
      };
      rules.set(finding.name, rule);
    }
    rule.findings.push(finding);
  }
  // Findings arrive most severe first, so a rule's first finding is its worst, and the
  // insertion order is already "worst severity, then first position".
  return [...rules.values()];
}

/** Whether a rule shows as one header row (collapsible) rather than as its findings. */
export function isCollapsible(rule: IRuleGroup): boolean {
  return rule.findings.length >= COLLAPSE_AT;
}

/** Most severe first, then in notebook order. */
export function sortFindings(findings: readonly IFinding[]): IFinding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      (a.cell_index ?? -1) - (b.cell_index ?? -1) ||
      a.line - b.line ||
      a.column - b.column ||
      a.code.localeCompare(b.code)
  );
}

/** The cells a rule fires in, as people count them (1-based), for its header row. */
export function cellsOf(rule: IRuleGroup, limit = 6): string {
  const seen = new Set<number>();
  for (const finding of rule.findings) {
    if (finding.cell_index !== null) {
      seen.add(finding.cell_index + 1);
    }
  }
  const cells = [...seen].sort((a, b) => a - b);
  if (!cells.length) {
    return '';
  }
  const shown = cells.slice(0, limit).join(', ');
  const label = cells.length === 1 ? 'cell' : 'cells';
  return cells.length > limit ? `${label} ${shown}, … (${cells.length} cells)` : `${label} ${shown}`;
}

/** `operational-excellence` → `Operational excellence`: a readable name for an id the catalog does not describe. */
export function titleFromId(id: string): string {
  const words = id.replace(/[-_]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : id;
}
