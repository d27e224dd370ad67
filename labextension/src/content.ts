/**
 * What the panel sends to `POST /mllens/lint`: the notebook as it is now, with its text
 * outputs and execution counts (rules read printed warnings, leaked values and the order
 * cells ran in), but bounded: each output's text is capped, all outputs together are
 * capped, and images and other binary data are never sent. A notebook full of plots or
 * long training logs thus stays a small request, far below the server's body limit.
 * Pure functions over nbformat JSON, with no JupyterLab imports, so jest checks them.
 */

export interface IOutputLimits {
  /** Characters kept of one output's text (stream text, one mime bundle entry, a traceback). */
  perOutput: number;
  /** Characters kept of all outputs of the notebook together. */
  total: number;
}

/**
 * 16 K characters hold a long warning or traceback in full; 512 K for the whole notebook
 * keeps the request at a tenth of the server's default 5 MiB body limit.
 */
export const OUTPUT_LIMITS: IOutputLimits = { perOutput: 16 * 1024, total: 512 * 1024 };

/** Marks where text was cut, so a rule (or a person) reading it knows it is incomplete. */
export function omission(count: number): string {
  return `\n[… ${count} characters not sent by ML Lens …]\n`;
}

/**
 * Mime types whose data is sent: plain text forms only. `text/html` is left out (it can
 * embed base64 images and is nearly always paired with a `text/plain` form of the same
 * value), as is everything that is not `text/*` (images, PDFs, widget state, JSON).
 */
export function isSentMimeType(mime: string): boolean {
  return mime.startsWith('text/') && mime !== 'text/html';
}

/** nbformat multiline text (a string or a list of lines) as one string. */
export function joinText(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.filter((part): part is string => typeof part === 'string').join('');
  }
  return '';
}

/**
 * `text` cut to `limit` characters, keeping its beginning and end (a log's first warning
 * and its last error) around an omission mark. The mark itself is not counted.
 */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) {
    return text;
  }
  if (limit <= 0) {
    return '';
  }
  const head = Math.ceil(limit / 2);
  const tail = limit - head;
  return text.slice(0, head) + omission(text.length - limit) + (tail ? text.slice(-tail) : '');
}

/** Characters still to be spent on outputs; shared by every output of one notebook. */
class Budget {
  constructor(
    private remaining: number,
    private readonly perOutput: number
  ) {}

  get exhausted(): boolean {
    return this.remaining <= 0;
  }

  /** `text` cut to what one output and the notebook's remainder allow, and charged. */
  take(text: string): string {
    const kept = truncate(text, Math.min(this.perOutput, this.remaining));
    this.remaining -= Math.min(text.length, this.perOutput, this.remaining);
    return kept;
  }
}

type Json = { [key: string]: unknown };

/** One nbformat output reduced to its text, or null when it has none worth sending. */
function boundOutput(output: Json, budget: Budget): Json | null {
  switch (output.output_type) {
    case 'stream':
      return { output_type: 'stream', name: output.name, text: budget.take(joinText(output.text)) };
    case 'error': {
      const traceback = Array.isArray(output.traceback) ? output.traceback : [];
      return {
        output_type: 'error',
        ename: budget.take(joinText(output.ename)),
        evalue: budget.take(joinText(output.evalue)),
        traceback: [budget.take(traceback.filter(l => typeof l === 'string').join('\n'))]
      };
    }
    case 'execute_result':
    case 'display_data': {
      const data: Json = {};
      const bundle = (output.data ?? {}) as Json;
      for (const mime of Object.keys(bundle)) {
        if (isSentMimeType(mime) && !budget.exhausted) {
          data[mime] = budget.take(joinText(bundle[mime]));
        }
      }
      if (!Object.keys(data).length) {
        return null;
      }
      const bounded: Json = { output_type: output.output_type, data, metadata: {} };
      if (output.output_type === 'execute_result') {
        bounded.execution_count = output.execution_count ?? null;
      }
      return bounded;
    }
    default:
      return null;
  }
}

/**
 * A code cell's outputs, bounded; outputs with no text left (images, or anything past the
 * notebook's budget) are dropped.
 */
function boundOutputs(outputs: unknown, budget: Budget): Json[] {
  if (!Array.isArray(outputs)) {
    return [];
  }
  const kept: Json[] = [];
  for (const output of outputs) {
    if (budget.exhausted) {
      break;
    }
    if (output && typeof output === 'object') {
      const bounded = boundOutput(output as Json, budget);
      if (bounded) {
        kept.push(bounded);
      }
    }
  }
  return kept;
}

/**
 * The notebook JSON to lint: every cell's source and metadata, code cells with their
 * execution counts and bounded text outputs, attachments (images) left out.
 */
export function lintContent(notebook: Json, limits: IOutputLimits = OUTPUT_LIMITS): Json {
  const budget = new Budget(limits.total, limits.perOutput);
  const cells = Array.isArray(notebook.cells) ? notebook.cells : [];
  return {
    ...notebook,
    cells: cells.map((cell: Json) => {
      const { outputs, attachments, ...rest } = cell;
      void attachments;
      if (cell.cell_type !== 'code') {
        return rest;
      }
      return {
        ...rest,
        execution_count: typeof cell.execution_count === 'number' ? cell.execution_count : null,
        outputs: boundOutputs(outputs, budget)
      };
    })
  };
}

/**
 * The part of lint content that typing changes (sources and metadata, not outputs or
 * execution counts), as a string: what decides whether an edit needs a new request.
 */
export function sourceFingerprint(content: object): string {
  const cells = (content as Json).cells;
  if (!Array.isArray(cells)) {
    return JSON.stringify(content);
  }
  return JSON.stringify({
    ...content,
    cells: cells.map((cell: Json) => {
      const { outputs, execution_count, ...rest } = cell;
      void outputs;
      void execution_count;
      return rest;
    })
  });
}
