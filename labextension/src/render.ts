/**
 * The panel's DOM as a function of the model. Rendering is stateless (the model holds
 * expand state and filters), so jest can render a model and query the result.
 *
 * The list is pillar (or phase) sections, each a header with its count, then its rules:
 * a rule with one finding shows that finding, a rule with several shows one header row
 * with its count that opens to its findings. Every row is a button carrying `jp-mllens-row`
 * and a `data-focus-key`, which is what keyboard navigation (`keyboard.ts`) moves between
 * and what the panel uses to keep focus across re-renders.
 */
import { h, prose } from './dom';
import { isApplicable, safeFixes } from './fixes';
import { ICellDiff } from './fixpreview';
import { IGroup, IRuleGroup, cellsOf, isCollapsible } from './grouping';
import { LensModel } from './model';
import { IBestPractice, IFinding, Severity, findingKey, findingPlace, partOf } from './tokens';

/** What the panel's buttons do; the plugin supplies JupyterLab-backed implementations. */
export interface IPanelActions {
  reveal(finding: IFinding): void;
  ignoreHere(finding: IFinding): void;
  ignoreInNotebook(finding: IFinding): void;
  restoreNotebookIgnore(rule: string): void;
  lint(): void;
  /** Why "Ignore here" cannot be offered for this finding, or null. */
  ignoreHereBlocker(finding: IFinding): string | null;
  /** What the finding's fix would change (credentials masked), or why it cannot apply now. */
  fixPreview(finding: IFinding): IFixPreview;
  /** Apply the finding's fix to the notebook's cells, then lint again. */
  applyFix(finding: IFinding): void;
  /** Apply every safe fix of the listed findings (never an unsafe one), then lint again. */
  fixAllSafe(): void;
}

export interface IFixPreview {
  diffs: ICellDiff[];
  blocker: string | null;
}

export const SEVERITY_LABELS: Record<Severity, string> = {
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info'
};

const STATUS_TEXT: Record<string, string> = {
  'no-notebook': 'Open a notebook to see its ML Lens findings.',
  disabled: 'ML Lens linting is turned off in the settings (ML Lens → enabled).',
  linting: 'Linting…'
};

export function renderPanel(model: LensModel, actions: IPanelActions): HTMLElement {
  return h(
    'div',
    { className: 'jp-mllens-content' },
    renderHeader(model, actions),
    renderStatus(model),
    model.path !== null && model.status !== 'disabled' ? renderBody(model, actions) : null
  );
}

function renderHeader(model: LensModel, actions: IPanelActions): HTMLElement {
  const name = model.path?.split('/').pop() ?? '';
  return h(
    'header',
    { className: 'jp-mllens-header' },
    h(
      'div',
      { className: 'jp-mllens-titlebar' },
      h('span', { className: 'jp-mllens-notebook', title: model.path ?? '' }, name || 'ML Lens'),
      h(
        'button',
        {
          className: 'jp-mllens-button jp-mllens-relint',
          title: 'Lint this notebook now',
          disabled: model.path === null || model.status === 'disabled',
          onClick: () => actions.lint()
        },
        model.status === 'linting' ? 'Linting…' : 'Lint'
      )
    ),
    model.path !== null && model.status !== 'disabled' && model.status !== 'incompatible'
      ? [
          renderPillarCounts(model),
          renderSeverityFilter(model),
          h('div', { className: 'jp-mllens-toolbar' }, renderGrouping(model), renderFixAll(model, actions))
        ]
      : null
  );
}

function renderFixAll(model: LensModel, actions: IPanelActions): HTMLElement {
  const count = safeFixes(model.shownFindings).length;
  return h(
    'button',
    {
      className: 'jp-mllens-button jp-mllens-fix-all',
      title: count
        ? `Apply the ${count} safe fix${count === 1 ? '' : 'es'} (fixes that keep behaviour; unsafe ones are left to review one by one)`
        : 'No finding has a safe fix',
      disabled: count === 0,
      onClick: () => actions.fixAllSafe()
    },
    count ? `Fix all safe (${count})` : 'Fix all safe'
  );
}

function renderPillarCounts(model: LensModel): HTMLElement {
  const counts = model.pillarCounts();
  return h(
    'ul',
    { className: 'jp-mllens-pillars', 'aria-label': 'Findings per pillar' },
    model.pillarIds().map(id => {
      const pillar = model.pillar(id);
      const count = counts[id] ?? 0;
      const clean = count === 0;
      return h(
        'li',
        {
          className: `jp-mllens-pillar ${clean ? 'jp-mod-clean' : 'jp-mod-flagged'}`,
          'data-pillar': id,
          title: `${pillar.title}: ${clean ? 'no findings' : `${count} finding${count === 1 ? '' : 's'}`}${pillar.description ? `\n${pillar.description}` : ''}`
        },
        h('span', { className: 'jp-mllens-pillar-title' }, pillar.short_title || pillar.title),
        h('span', { className: 'jp-mllens-pillar-count' }, clean ? '✓' : String(count))
      );
    })
  );
}

function renderSeverityFilter(model: LensModel): HTMLElement {
  const counts = model.severityCounts();
  return h(
    'div',
    { className: 'jp-mllens-severities', role: 'group', 'aria-label': 'Filter by severity' },
    model.severities.map(severity => {
      const shown = model.isSeverityShown(severity);
      return h(
        'button',
        {
          className: `jp-mllens-severity-toggle jp-mllens-sev-${severity}${shown ? ' jp-mod-active' : ''}`,
          'data-severity': severity,
          'aria-pressed': shown ? 'true' : 'false',
          title: `${shown ? 'Hide' : 'Show'} ${SEVERITY_LABELS[severity].toLowerCase()} severity findings`,
          onClick: () => model.toggleSeverity(severity)
        },
        h('span', { className: 'jp-mllens-dot' }),
        `${SEVERITY_LABELS[severity]} ${counts[severity]}`
      );
    })
  );
}

function renderGrouping(model: LensModel): HTMLElement {
  const option = (value: 'pillar' | 'phase', label: string) =>
    h(
      'button',
      {
        className: `jp-mllens-group-option${model.groupBy === value ? ' jp-mod-active' : ''}`,
        'data-group-by': value,
        'aria-pressed': model.groupBy === value ? 'true' : 'false',
        onClick: () => (model.groupBy = value)
      },
      label
    );
  return h(
    'div',
    { className: 'jp-mllens-grouping', role: 'group', 'aria-label': 'Group findings' },
    h('span', { className: 'jp-mllens-label' }, 'Group by'),
    option('pillar', 'Pillar'),
    option('phase', 'Phase')
  );
}

const ALERT_HEADINGS: Record<string, string> = {
  'server-missing': 'Server extension missing. ',
  incompatible: 'Version mismatch. ',
  error: 'Linting failed. '
};

function renderStatus(model: LensModel): HTMLElement | null {
  const heading = ALERT_HEADINGS[model.status];
  if (heading) {
    return h(
      'div',
      {
        className: `jp-mllens-status jp-mllens-status-${model.status}`,
        role: 'alert'
      },
      h('strong', {}, heading),
      prose(model.message, 'span')
    );
  }
  const text = STATUS_TEXT[model.status];
  return text && !(model.status === 'linting' && model.result)
    ? h('div', { className: `jp-mllens-status jp-mllens-status-${model.status}` }, text)
    : null;
}

function renderBody(model: LensModel, actions: IPanelActions): HTMLElement {
  const result = model.result;
  const errors = result?.errors ?? [];
  const groups = model.groups();
  const counted = model.findings.length;
  const shown = model.shownFindings.length;
  let empty: HTMLElement | null = null;
  if (result && groups.length === 0) {
    empty = h(
      'div',
      { className: 'jp-mllens-empty' },
      counted === 0
        ? errors.length
          ? 'No findings could be computed.'
          : 'No findings: all six pillars are clean.'
        : `All ${counted} finding${counted === 1 ? ' is' : 's are'} hidden by the severity filter.`
    );
  }
  return h(
    'div',
    { className: 'jp-mllens-body' },
    errors.length
      ? h(
          'ul',
          { className: 'jp-mllens-errors', role: 'alert' },
          errors.map(e => h('li', {}, e.message))
        )
      : null,
    renderNotebookIgnores(model, actions),
    empty,
    groups.map(group => renderGroup(model, group, actions)),
    result && shown < counted && groups.length
      ? h('div', { className: 'jp-mllens-hidden-note' }, `${counted - shown} hidden by the severity filter`)
      : null
  );
}

function renderNotebookIgnores(model: LensModel, actions: IPanelActions): HTMLElement | null {
  const ignores = model.notebookIgnores;
  if (!ignores.length) {
    return null;
  }
  return h(
    'div',
    { className: 'jp-mllens-notebook-ignores' },
    h('span', { className: 'jp-mllens-label' }, 'Ignored in this notebook:'),
    ignores.map(rule =>
      h(
        'span',
        { className: 'jp-mllens-ignored-rule' },
        rule,
        h(
          'button',
          {
            className: 'jp-mllens-restore',
            title: `Check ${rule} again in this notebook`,
            'aria-label': `Stop ignoring ${rule}`,
            onClick: () => actions.restoreNotebookIgnore(rule)
          },
          '×'
        )
      )
    )
  );
}

function renderGroup(model: LensModel, group: IGroup, actions: IPanelActions): HTMLElement {
  const collapsed = model.isGroupCollapsed(group.id);
  const count = group.findings.length;
  const listId = `jp-mllens-group-${group.id}`;
  return h(
    'section',
    { className: 'jp-mllens-group', 'data-group': group.id },
    h(
      'h3',
      { className: 'jp-mllens-group-title' },
      h(
        'button',
        {
          className: 'jp-mllens-row jp-mllens-group-toggle',
          'data-focus-key': `group:${group.id}`,
          'aria-expanded': collapsed ? 'false' : 'true',
          'aria-controls': listId,
          title: group.description || group.title,
          onClick: () => model.toggleGroup(group.id)
        },
        h('span', { className: 'jp-mllens-chevron', 'aria-hidden': 'true' }, collapsed ? '▸' : '▾'),
        h('span', { className: 'jp-mllens-group-name' }, group.title),
        h(
          'span',
          {
            className: 'jp-mllens-group-count',
            'aria-label': `${count} finding${count === 1 ? '' : 's'}, ${group.rules.length} rule${group.rules.length === 1 ? '' : 's'}`
          },
          String(count)
        )
      )
    ),
    collapsed
      ? null
      : h(
          'ul',
          { className: 'jp-mllens-findings', id: listId },
          group.rules.flatMap(rule =>
            isCollapsible(rule)
              ? [renderRule(model, group, rule, actions)]
              : rule.findings.map(f => renderFinding(model, f, actions, group.id))
          )
        )
  );
}

/** A rule with several findings: one header row with its count, open to list them. */
function renderRule(
  model: LensModel,
  group: IGroup,
  rule: IRuleGroup,
  actions: IPanelActions
): HTMLElement {
  const open = model.isRuleOpen(rule.key);
  const count = rule.findings.length;
  const listId = `jp-mllens-rule-${rule.key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return h(
    'li',
    {
      className: `jp-mllens-rule-group jp-mllens-sev-${rule.severity}${open ? ' jp-mod-expanded' : ''}`,
      'data-rule': rule.name,
      'data-count': count
    },
    h(
      'button',
      {
        className: 'jp-mllens-row jp-mllens-rule-toggle',
        'data-focus-key': `rule:${rule.key}`,
        'aria-expanded': open ? 'true' : 'false',
        'aria-controls': listId,
        title: open ? `Hide the ${count} ${rule.name} findings` : `Show the ${count} ${rule.name} findings`,
        onClick: () => model.toggleRule(rule.key)
      },
      h('span', { className: 'jp-mllens-chevron', 'aria-hidden': 'true' }, open ? '▾' : '▸'),
      h(
        'span',
        { className: 'jp-mllens-severity-badge', title: `${SEVERITY_LABELS[rule.severity]} severity` },
        SEVERITY_LABELS[rule.severity]
      ),
      h('span', { className: 'jp-mllens-rule-title' }, rule.title),
      h(
        'span',
        { className: 'jp-mllens-rule-count', 'aria-label': `${count} findings` },
        String(count)
      ),
      h(
        'span',
        { className: 'jp-mllens-meta' },
        h('span', { className: 'jp-mllens-rule' }, `${rule.name} (${rule.code})`),
        h('span', { className: 'jp-mllens-where' }, cellsOf(rule))
      )
    ),
    open
      ? h(
          'ul',
          { className: 'jp-mllens-rule-findings', id: listId },
          rule.findings.map(f => renderFinding(model, f, actions, group.id))
        )
      : null
  );
}

function renderFinding(
  model: LensModel,
  finding: IFinding,
  actions: IPanelActions,
  groupId: string
): HTMLElement {
  const expanded = model.isExpanded(finding);
  const where = findingPlace(finding);
  return h(
    'li',
    {
      className: `jp-mllens-finding jp-mllens-sev-${finding.severity}${expanded ? ' jp-mod-expanded' : ''}`,
      'data-key': findingKey(finding),
      'data-rule': finding.name
    },
    h(
      'div',
      { className: 'jp-mllens-finding-row' },
      h(
        'button',
        {
          className: 'jp-mllens-expand',
          'data-focus-key': `explain:${groupId}:${findingKey(finding)}`,
          'aria-expanded': expanded ? 'true' : 'false',
          title: expanded ? 'Hide the explanation' : 'Explain this finding',
          onClick: () => model.toggleExpanded(finding)
        },
        expanded ? '▾' : '▸'
      ),
      h(
        'button',
        {
          className: 'jp-mllens-row jp-mllens-finding-main',
          'data-focus-key': `finding:${groupId}:${findingKey(finding)}`,
          title: `Go to ${where}`,
          onClick: () => actions.reveal(finding)
        },
        h(
          'span',
          { className: 'jp-mllens-severity-badge', title: `${SEVERITY_LABELS[finding.severity]} severity` },
          SEVERITY_LABELS[finding.severity]
        ),
        prose(finding.message, 'span', 'jp-mllens-message'),
        h(
          'span',
          { className: 'jp-mllens-meta' },
          h('span', { className: 'jp-mllens-rule' }, `${finding.name} (${finding.code})`),
          h('span', { className: 'jp-mllens-where' }, where)
        )
      ),
      renderFixToggle(model, finding, groupId)
    ),
    model.isFixOpen(finding) ? renderFixPreview(model, finding, actions) : null,
    expanded ? renderDetails(model, finding, actions) : null
  );
}

function renderFixToggle(model: LensModel, finding: IFinding, groupId: string): HTMLElement | null {
  const fix = finding.fix;
  if (!fix || (!isApplicable(fix) && !fix.template)) {
    return null;
  }
  const open = model.isFixOpen(finding);
  const code = isApplicable(fix);
  return h(
    'button',
    {
      className: `jp-mllens-button jp-mllens-fix-toggle jp-mllens-fix-${fix.applicability}`,
      'data-focus-key': `fix:${groupId}:${findingKey(finding)}`,
      'aria-expanded': open ? 'true' : 'false',
      title: code
        ? `${fix.title}: preview the change${fix.applicability === 'unsafe' ? ' (unsafe: it changes behaviour)' : ''}`
        : `${fix.title}: show the suggested code`,
      onClick: () => model.toggleFix(finding)
    },
    code ? 'Fix' : 'Suggestion'
  );
}

const APPLICABILITY_TEXT: Record<string, string> = {
  safe: 'Safe fix: keeps what the code does.',
  unsafe: 'Unsafe fix: changes what the code does; review it before applying.',
  'display-only': 'Suggestion: complete it by hand, then replace the code.'
};

function renderFixPreview(model: LensModel, finding: IFinding, actions: IPanelActions): HTMLElement {
  const fix = finding.fix!;
  const close = h(
    'button',
    { className: 'jp-mllens-button jp-mllens-fix-cancel', onClick: () => model.toggleFix(finding) },
    isApplicable(fix) ? 'Cancel' : 'Close'
  );
  const head = [
    h('p', { className: 'jp-mllens-fix-title' }, fix.title),
    h('p', { className: `jp-mllens-fix-safety jp-mllens-fix-${fix.applicability}` }, APPLICABILITY_TEXT[fix.applicability] ?? '')
  ];
  if (!isApplicable(fix)) {
    return h(
      'div',
      { className: 'jp-mllens-fix-preview', 'aria-label': 'Suggested fix' },
      head,
      h('pre', { className: 'jp-mllens-fix-template' }, h('code', {}, (fix.template ?? '').replace(/^\n+|\n+$/g, ''))),
      h('div', { className: 'jp-mllens-actions' }, close)
    );
  }
  const preview = actions.fixPreview(finding);
  return h(
    'div',
    { className: 'jp-mllens-fix-preview', 'aria-label': 'Fix preview' },
    head,
    preview.diffs.map(renderDiff),
    preview.blocker
      ? h('p', { className: 'jp-mllens-fix-blocked', role: 'alert' }, `Cannot apply: ${preview.blocker}.`)
      : null,
    h(
      'div',
      { className: 'jp-mllens-actions' },
      h(
        'button',
        {
          className: 'jp-mllens-button jp-mod-accept jp-mllens-fix-apply',
          disabled: preview.blocker !== null,
          title: preview.blocker ?? 'Apply the change (Ctrl+Z in the cell undoes it)',
          onClick: () => actions.applyFix(finding)
        },
        'Apply'
      ),
      close
    )
  );
}

const DIFF_MARK: Record<string, string> = { context: '  ', removed: '- ', added: '+ ' };

function renderDiff(diff: ICellDiff): HTMLElement {
  const span = diff.span || 1;
  const where =
    span > 1 ? `cell ${diff.index + 1}, lines ${diff.line}–${diff.line + span - 1}` : `cell ${diff.index + 1}, line ${diff.line}`;
  return h(
    'figure',
    { className: 'jp-mllens-fix-diff', 'data-cell': diff.index },
    h('figcaption', {}, where),
    h(
      'pre',
      {},
      diff.lines.map(line => h('div', { className: `jp-mllens-diff-${line.kind}` }, `${DIFF_MARK[line.kind]}${line.text}`))
    )
  );
}

function renderDetails(
  model: LensModel,
  finding: IFinding,
  actions: IPanelActions
): HTMLElement {
  const rule = model.rule(finding.name);
  const phase = model.phase(finding.phase);
  const practices: IBestPractice[] = finding.lens.map(
    id => rule?.lens.find(bp => bp.id === id) ?? { id, title: '' }
  );
  const good = rule?.examples.good[0];
  const blocker = actions.ignoreHereBlocker(finding);
  return h(
    'div',
    { className: 'jp-mllens-details' },
    rule ? h('p', { className: 'jp-mllens-rule-title' }, rule.title) : null,
    h(
      'dl',
      { className: 'jp-mllens-context' },
      finding.pillars.map(id => {
        const pillar = model.pillar(id);
        return [
          h('dt', {}, `Pillar: ${pillar.title}`),
          h('dd', { className: 'jp-mllens-pillar-description' }, pillar.description)
        ];
      }).flat(),
      h('dt', {}, `Lifecycle phase: ${phase.title}`),
      h('dd', { className: 'jp-mllens-phase-description' }, phase.description),
      h('dt', {}, practices.length === 1 ? 'ML Lens best practice' : 'ML Lens best practices'),
      h(
        'dd',
        { className: 'jp-mllens-practices' },
        h(
          'ul',
          {},
          practices.map(bp =>
            h(
              'li',
              {},
              bp.url
                ? h('a', { href: bp.url, target: '_blank', rel: 'noopener noreferrer' }, bp.id)
                : h('span', {}, bp.id),
              bp.title ? ` ${bp.title}` : '',
              bp.legacy_id ? h('span', { className: 'jp-mllens-legacy' }, ` (formerly ${bp.legacy_id})`) : null
            )
          )
        )
      )
    ),
    rule
      ? [
          h('h4', {}, 'Why it matters'),
          prose(rule.why, 'p', 'jp-mllens-why'),
          h('h4', {}, 'How to fix it'),
          prose(rule.fix, 'p', 'jp-mllens-fix'),
          good
            ? h(
                'figure',
                { className: 'jp-mllens-example' },
                h('figcaption', {}, `Good: ${good.title}`),
                h('pre', {}, h('code', {}, good.source.replace(/^\n+|\n+$/g, '')))
              )
            : null
        ]
      : h('p', { className: 'jp-mllens-no-catalog' }, 'Rule details are not available (the rule catalog could not be loaded).'),
    h(
      'div',
      { className: 'jp-mllens-actions' },
      h(
        'button',
        {
          className: 'jp-mllens-button jp-mllens-ignore-here',
          disabled: blocker !== null,
          title:
            blocker ??
            (partOf(finding) === 'output'
              ? `Add "# mllens: ignore[${finding.name}]" as the cell's first line (it silences the cell's outputs)`
              : `Add "# mllens: ignore[${finding.name}]" to this line`),
          onClick: () => actions.ignoreHere(finding)
        },
        'Ignore here'
      ),
      h(
        'button',
        {
          className: 'jp-mllens-button jp-mllens-ignore-notebook',
          title: `Add ${finding.name} to this notebook's mllens.ignore metadata`,
          onClick: () => actions.ignoreInNotebook(finding)
        },
        'Ignore in this notebook'
      )
    )
  );
}
