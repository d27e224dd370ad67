/**
 * Cell markers: a class on each cell with findings (a severity-coloured bar along its
 * prompt) and a badge in the prompt gutter whose tooltip lists the findings' messages.
 */
import { NotebookPanel } from '@jupyterlab/notebook';

import { LensModel, cellKey } from './model';
import { IFinding, SEVERITY_RANK, Severity, placeInCell } from './tokens';

/**
 * Keep the followed notebook's markers in step with the model: re-marked when its result
 * or the settings change, cleared when linting is turned off. `onMarked` runs after each
 * fresh marking (the plugin retries a failed catalog fetch there).
 */
export function followMarkers(
  model: LensModel,
  current: () => NotebookPanel | null,
  onMarked: () => void = () => undefined
): void {
  let marked: { panel: NotebookPanel; result: unknown; settings: unknown } | null = null;
  model.changed.connect(() => {
    const nb = current();
    if (!nb) {
      return;
    }
    if (model.status === 'disabled' || model.status === 'incompatible') {
      clearMarkers(nb);
      marked = null;
      return;
    }
    if (
      marked?.panel === nb &&
      marked.result === model.result &&
      marked.settings === model.settings
    ) {
      return;
    }
    if (model.result) {
      applyMarkers(nb, model.findingsByCell());
      marked = { panel: nb, result: model.result, settings: model.settings };
      onMarked();
    }
  });
}

const FLAGGED = 'jp-mllens-flagged';
const BADGE = 'jp-mllens-cell-marker';
const SEVERITY_CLASSES = ['high', 'medium', 'low', 'info'].map(s => `jp-mllens-cell-${s}`);

/** Put markers on exactly the cells in `byCell` (keys from `cellKey`), remove the rest. */
export function applyMarkers(panel: NotebookPanel, byCell: Map<string, IFinding[]>): void {
  panel.content.widgets.forEach((cell, index) => {
    const findings = byCell.get(`id:${cell.model.id}`) ?? byCell.get(`index:${index}`) ?? [];
    const node = cell.node;
    node.querySelectorAll(`:scope > .${BADGE}`).forEach(badge => badge.remove());
    node.classList.remove(FLAGGED, ...SEVERITY_CLASSES);
    if (!findings.length) {
      return;
    }
    const worst = worstSeverity(findings);
    node.classList.add(FLAGGED, `jp-mllens-cell-${worst}`);
    // On the cell node, not in the prompt: the prompt's text is rewritten on every run.
    const badge = document.createElement('div');
    badge.className = `${BADGE} jp-mllens-sev-${worst}`;
    badge.textContent = `⚠ ${findings.length}`;
    badge.title = markerTooltip(findings);
    badge.setAttribute('aria-label', badge.title);
    node.appendChild(badge);
  });
}

export function clearMarkers(panel: NotebookPanel): void {
  applyMarkers(panel, new Map());
}

export function markerTooltip(findings: IFinding[]): string {
  return findings
    .map(f => `ML Lens ${f.code} ${f.name} (${placeInCell(f)}): ${f.message}`)
    .join('\n');
}

export function worstSeverity(findings: IFinding[]): Severity {
  return findings.reduce<Severity>(
    (worst, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst] ? f.severity : worst),
    'info'
  );
}

export { cellKey };
