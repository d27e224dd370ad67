/**
 * The shapes the server speaks (`mllens check --format json` and the rule catalog) and
 * the fixed vocabulary of the Well-Architected ML Lens: six pillars, six lifecycle phases.
 */

export type Severity = 'high' | 'medium' | 'low' | 'info';

/** Most severe first: the order of chips, badges and sorting. */
export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low', 'info'];

export const SEVERITY_RANK: Record<Severity, number> = {
  high: 3,
  medium: 2,
  low: 1,
  info: 0
};

/** The six pillars, in the order the Well-Architected Framework lists them. */
export const PILLARS = [
  'operational-excellence',
  'security',
  'reliability',
  'performance-efficiency',
  'cost-optimization',
  'sustainability'
] as const;

export type PillarId = (typeof PILLARS)[number];

/** The ML lifecycle phases, in lifecycle order. */
export const PHASES = [
  'business-goal',
  'problem-framing',
  'data-processing',
  'model-development',
  'deployment',
  'monitoring'
] as const;

/**
 * Titles used until the catalog arrives (or if `/mllens/rules` fails), so the header's
 * six pillars are always labelled.
 */
export const FALLBACK_TITLES: Record<string, string> = {
  'operational-excellence': 'Operational excellence',
  security: 'Security',
  reliability: 'Reliability',
  'performance-efficiency': 'Performance efficiency',
  'cost-optimization': 'Cost optimization',
  sustainability: 'Sustainability',
  'business-goal': 'Business goal',
  'problem-framing': 'Problem framing',
  'data-processing': 'Data processing',
  'model-development': 'Model development',
  deployment: 'Deployment',
  monitoring: 'Monitoring'
};

/** Pillar names short enough for the header's two-column grid in a narrow sidebar. */
export const SHORT_PILLAR_TITLES: Record<string, string> = {
  'operational-excellence': 'Operations',
  security: 'Security',
  reliability: 'Reliability',
  'performance-efficiency': 'Performance',
  'cost-optimization': 'Cost',
  sustainability: 'Sustainability'
};

/** One finding, exactly as `POST /mllens/lint` returns it. */
export interface IFinding {
  path: string;
  /** 0-based index into the notebook's `cells` array at the time of the request. */
  cell_index: number | null;
  cell_id: string | null;
  /** 1-based, within the cell. */
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  code: string;
  name: string;
  severity: Severity;
  pillars: string[];
  phase: string;
  /** ML Lens best-practice IDs, e.g. `MLSEC03-BP02`. */
  lens: string[];
  message: string;
}

export interface ILintError {
  path: string;
  message: string;
}

export interface ILintResult {
  version: number;
  findings: IFinding[];
  errors: ILintError[];
}

export interface IBestPractice {
  id: string;
  title: string;
  url?: string;
  legacy_id?: string | null;
}

export interface IExample {
  title: string;
  source: string;
}

export interface IRuleInfo {
  code: string;
  name: string;
  title: string;
  severity: Severity;
  pillars: string[];
  phase: string;
  lens: IBestPractice[];
  summary: string;
  why: string;
  fix: string;
  examples: { bad: IExample[]; good: IExample[] };
}

export interface IDescribed {
  title: string;
  description: string;
}

/** `GET /mllens/rules`. */
export interface ICatalog {
  rules: IRuleInfo[];
  pillars: Record<string, IDescribed>;
  phases: Record<string, IDescribed>;
}

/** A stable identity for a finding within one result (used for expand state). */
export function findingKey(f: IFinding): string {
  return `${f.cell_id ?? f.cell_index}:${f.line}:${f.column}:${f.code}`;
}

/** The 1-based cell number people count (markdown cells included), as the CLI prints it. */
export function cellNumber(f: IFinding): number | null {
  return f.cell_index === null ? null : f.cell_index + 1;
}
