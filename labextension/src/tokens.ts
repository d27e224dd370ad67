/**
 * The shapes the server speaks (`mllens check --format json` and the rule catalog), and
 * the `IMLLensFindings` token through which other extensions read the current findings.
 * Pillar and phase names are not repeated here: they come from `GET /mllens/rules`.
 */
import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';


export type Severity = 'high' | 'medium' | 'low' | 'info';

/** Most severe first: the order of chips, badges and sorting. */
export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low', 'info'];

export const SEVERITY_RANK: Record<Severity, number> = {
  high: 3,
  medium: 2,
  low: 1,
  info: 0
};

/**
 * The findings schema version this panel reads (`SCHEMA_VERSION` in `findings.py`). A server
 * from another jupyter_mllens release may speak another one; the panel then says so
 * instead of misreading it.
 */
export const SCHEMA_VERSION = 1;

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
  /**
   * What `line` and `column` count in: the cell's source, the text of its saved output
   * `output` (0-based), or a metadata string. Absent from servers older than the field.
   */
  part?: FindingPart;
  output?: number | null;
  /** The rule's fix for this finding, when it has one (absent from older servers). */
  fix?: IFix | null;
}

/** Ruff's fix safety: `safe` keeps behaviour, `unsafe` changes it, `display-only` is a template. */
export type FixApplicability = 'safe' | 'unsafe' | 'display-only';

/** One edit of a fix, in cell coordinates: 1-based, the end exclusive. */
export interface IFixEdit {
  cell_index: number | null;
  cell_id: string | null;
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  replacement: string;
}

/** A finding's fix: its edits apply together (possibly across cells), or a template to complete. */
export interface IFix {
  title: string;
  applicability: FixApplicability;
  edits: IFixEdit[];
  template: string | null;
}

export type FindingPart = 'source' | 'output' | 'metadata';

/** The part of its cell a finding is in; `source` when the server did not say. */
export function partOf(f: IFinding): FindingPart {
  return f.part ?? 'source';
}

/**
 * What the panel is doing. `server-missing`, `incompatible` and `error` are distinct
 * because their remedies differ: install/enable the server extension, install matching
 * versions of the server and the JupyterLab extension, or retry and read the message.
 */
export type LensStatus =
  | 'no-notebook'
  | 'disabled'
  | 'linting'
  | 'ready'
  | 'error'
  | 'server-missing'
  | 'incompatible';

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
  /** A one-word name for tight places (pillars only). */
  short_title?: string;
  description: string;
}

/**
 * `GET /mllens/rules`. `pillars` come in framework order and `phases` in lifecycle order
 * (JSON objects keep their key order), which is the order the panel shows them in.
 */
export interface ICatalog {
  version?: number;
  rules: IRuleInfo[];
  pillars: Record<string, IDescribed>;
  phases: Record<string, IDescribed>;
}

/**
 * A stable identity for a finding within one result (expand and fix state, focus). The part
 * is in it: a finding in a saved output and one in the source may share a line and column.
 */
export function findingKey(f: IFinding): string {
  const part = partOf(f);
  const where = part === 'output' ? `output${f.output ?? ''}` : part;
  return `${f.cell_id ?? f.cell_index}:${where}:${f.line}:${f.column}:${f.code}`;
}

/** The 1-based cell number people count (markdown cells included), as the CLI prints it. */
export function cellNumber(f: IFinding): number | null {
  return f.cell_index === null ? null : f.cell_index + 1;
}

/** Where in its cell a finding is: `line 2`, `output 1, line 1` (a line of that saved output), `metadata`. */
export function placeInCell(f: IFinding): string {
  switch (partOf(f)) {
    case 'metadata':
      return 'metadata';
    case 'output':
      return typeof f.output === 'number' ? `output ${f.output + 1}, line ${f.line}` : `output line ${f.line}`;
    default:
      return `line ${f.line}`;
  }
}

/**
 * Where a finding is, as people read it: `cell 4, line 2`, `cell 4, output 1, line 1`,
 * `cell 4, metadata`, `notebook metadata`; `line 2` in a script.
 */
export function findingPlace(f: IFinding): string {
  const cell = cellNumber(f);
  if (cell === null) {
    return partOf(f) === 'metadata' ? 'notebook metadata' : placeInCell(f);
  }
  return `cell ${cell}, ${placeInCell(f)}`;
}

/**
 * The current ML Lens findings of the notebook the sidebar follows, for other extensions:
 * require `IMLLensFindings` in a plugin to read them and to hear when they change.
 */
export interface IMLLensFindings {
  /** Server path of the followed notebook, or null when no notebook is active. */
  readonly path: string | null;
  /** What the panel is doing: `ready` once `result` is the answer for `path`. */
  readonly status: LensStatus;
  /** The last answer of `POST /mllens/lint` for that notebook, unfiltered, or null. */
  readonly result: Readonly<ILintResult> | null;
  /** The findings after the user's settings (disabled rules, minimum severity). */
  readonly findings: readonly IFinding[];
  /** The rule catalog, once loaded. */
  readonly catalog: Readonly<ICatalog> | null;
  /** The catalog entry of a rule, by name. */
  rule(name: string): IRuleInfo | undefined;
  /** Emitted when the path, status, result, catalog or filters change (not on UI-only state). */
  readonly changed: ISignal<IMLLensFindings, void>;
  /** Lint the followed notebook now; resolves once the answer is applied. */
  lint(): Promise<void>;
}

export const IMLLensFindings = new Token<IMLLensFindings>(
  'jupyter-mllens:IMLLensFindings',
  'The ML Lens findings of the active notebook, as the sidebar shows them.'
);
