"""The in-notebook panel drawn as HTML and as plain text.

The widget uses the HTML fragments for its rows and explanations; where widgets cannot
render (nbconvert, GitHub's notebook viewer, a terminal), the whole panel is drawn here
instead: `<details>` elements expand without JavaScript, and the text form reads in a
terminal. Everything from a finding is escaped; messages already mask secrets.
Colours come from JupyterLab's theme variables with light fallbacks, so the panel follows
a dark theme in JupyterLab and still reads elsewhere.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from .findings import Finding, Severity
from .lens_view import LensView, plural

SEVERITY_LABELS = {
    Severity.HIGH: "High",
    Severity.MEDIUM: "Medium",
    Severity.LOW: "Low",
    Severity.INFO: "Info",
}

STYLE = """
<style>
.mllens-lens { font-family: var(--jp-ui-font-family, system-ui, sans-serif);
  font-size: var(--jp-ui-font-size1, 13px); color: var(--jp-ui-font-color1, #1f2328);
  line-height: 1.45; }
.mllens-lens code { font-family: var(--jp-code-font-family, monospace); font-size: 0.95em;
  background: var(--jp-layout-color2, #f0f2f4); padding: 0 3px; border-radius: 3px; }
.mllens-title { font-weight: 600; font-size: 1.1em; }
.mllens-note { color: var(--jp-ui-font-color2, #59636e); margin: 2px 0 6px; }
.mllens-pillars { display: flex; flex-wrap: wrap; gap: 4px; margin: 6px 0; padding: 0; }
.mllens-chip { list-style: none; border: 1px solid var(--jp-border-color2, #d0d7de);
  border-radius: 10px; padding: 1px 8px; }
.mllens-chip.mllens-clean { color: var(--jp-success-color1, #1a7f37); }
.mllens-chip.mllens-flagged { border-color: var(--jp-warn-color1, #bc4c00); }
.mllens-group-title { font-weight: 600; margin: 8px 0 2px; }
.mllens-group-title .mllens-count { color: var(--jp-ui-font-color2, #59636e); font-weight: 400; }
.mllens-clean-note { color: var(--jp-success-color1, #1a7f37); }
.mllens-badge { display: inline-block; min-width: 4.2em; text-align: center;
  border-radius: 3px; padding: 0 4px; margin-right: 6px; font-size: 0.85em; font-weight: 600;
  color: #fff; }
.mllens-sev-high { background: var(--jp-error-color1, #cf222e); }
.mllens-sev-medium { background: var(--jp-warn-color1, #bc4c00); }
.mllens-sev-low { background: var(--jp-info-color1, #0969da); }
.mllens-sev-info { background: var(--jp-ui-font-color3, #6e7781); }
.mllens-meta { color: var(--jp-ui-font-color2, #59636e); margin-left: 6px; font-size: 0.9em; }
.mllens-details { margin: 4px 0 8px 1.5em; padding: 6px 10px;
  border-left: 3px solid var(--jp-brand-color1, #0969da);
  background: var(--jp-layout-color2, #f6f8fa); }
.mllens-term { font-weight: 600; }
.mllens-meaning { margin: 0 0 4px 1em; }
.mllens-meaning ul { margin: 2px 0; padding-left: 1.5em; }
.mllens-details h4 { margin: 6px 0 2px; font-size: 1em; }
.mllens-details p { margin: 0 0 4px; }
.mllens-details a { color: var(--jp-content-link-color, #0969da); }
.mllens-warning { border: 1px solid var(--jp-error-color1, #cf222e); border-radius: 4px;
  padding: 6px 10px; background: var(--jp-layout-color1, #fff8f8); }
</style>
"""

_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def prose(text: str) -> str:
    """Escaped text with `backtick` spans as <code>, as the sidebar shows messages."""
    return _CODE_SPAN.sub(r"<code>\1</code>", html.escape(text))


def severity_badge(severity: Severity) -> str:
    label = SEVERITY_LABELS[severity]
    return f'<span class="mllens-badge mllens-sev-{severity.value}">{label}</span>'


def finding_summary(view: LensView, finding: Finding) -> str:
    """One finding on one line: severity, message, rule and where it is."""
    return (
        f"{severity_badge(finding.severity)}"
        f'<span class="mllens-message">{prose(finding.message)}</span>'
        f'<span class="mllens-meta">{html.escape(finding.name)} ({html.escape(finding.code)})'
        f" · {html.escape(view.where(finding))}</span>"
    )


def finding_details(view: LensView, finding: Finding) -> str:
    """The pillar context: pillars and phase, the ML Lens best practices, why, how to fix."""
    context = view.context(finding)
    rows: list[str] = []
    for pillar in context.pillars:
        rows.append(_term(f"Pillar: {html.escape(pillar.title)}", html.escape(pillar.description)))
    rows.append(
        _term(
            f"Lifecycle phase: {html.escape(context.phase.title)}",
            html.escape(context.phase.description),
        )
    )
    label = "ML Lens best practice" if len(context.practices) == 1 else "ML Lens best practices"
    items = "".join(
        f'<li><a href="{html.escape(bp.url)}" target="_blank" rel="noopener noreferrer">'
        f"{html.escape(bp.id)}</a> {html.escape(bp.title)}"
        + (f" (formerly {html.escape(bp.legacy_id)})" if bp.legacy_id else "")
        + "</li>"
        for bp in context.practices
    )
    rows.append(_term(label, f"<ul>{items}</ul>"))
    return (
        f'<div class="mllens-details"><p><strong>{html.escape(context.rule_title)}</strong></p>'
        f"{''.join(rows)}"
        f"<h4>Why it matters</h4><p>{prose(context.why)}</p>"
        f"<h4>How to fix it</h4><p>{prose(context.fix)}</p></div>"
    )


def _term(term: str, meaning: str) -> str:
    """A term and its meaning as plain blocks: `<dl>` is laid out differently by JupyterLab's
    output styles, nbconvert and GitHub, while divs read the same everywhere."""
    return f'<div class="mllens-term">{term}</div><div class="mllens-meaning">{meaning}</div>'


def header(view: LensView) -> str:
    """Title, what was linted, and the six pillar counts."""
    count = len(view.findings)
    summary = plural(count, "finding") if count else "no findings: all six pillars are clean"
    parts = [
        f'<div class="mllens-title">ML Lens · {html.escape(view.subject.title)} · {summary}</div>'
    ]
    if view.subject.note:
        parts.append(f'<div class="mllens-note">{prose(view.subject.note)}</div>')
    parts.extend(
        f'<div class="mllens-note mllens-error">Could not lint {html.escape(e.path)}: '
        f"{html.escape(e.message)}</div>"
        for e in view.errors
    )
    chips = "".join(
        f'<li class="mllens-chip {"mllens-clean" if g.clean else "mllens-flagged"}"'
        f' data-pillar="{g.pillar.id}" title="{html.escape(g.pillar.description)}">'
        f"{html.escape(g.pillar.title)} {'✓' if g.clean else len(g.findings)}</li>"
        for g in view.groups()
    )
    parts.append(f'<ul class="mllens-pillars">{chips}</ul>')
    return "".join(parts)


def render_html(view: LensView) -> str:
    """The whole panel as static HTML: each finding a `<details>` holding its context."""
    sections: list[str] = []
    for group in view.groups():
        title = html.escape(group.pillar.title)
        if group.clean:
            sections.append(
                f'<div class="mllens-group-title">{title} '
                f'<span class="mllens-clean-note">✓ clean</span></div>'
            )
            continue
        items = "".join(
            f"<details><summary>{finding_summary(view, f)}</summary>"
            f"{finding_details(view, f)}</details>"
            for f in group.findings
        )
        sections.append(
            f'<div class="mllens-group-title">{title} '
            f'<span class="mllens-count">{plural(len(group.findings), "finding")}</span></div>'
            f"{items}"
        )
    return f'{STYLE}<div class="mllens-lens">{header(view)}{"".join(sections)}</div>'


def render_text(view: LensView) -> str:
    """The panel for a terminal: every pillar, then each finding with its rule and place."""
    count = len(view.findings)
    lines = [
        f"ML Lens: {view.subject.title}: {plural(count, 'finding') if count else 'no findings'}"
    ]
    if view.subject.note:
        lines.append(view.subject.note)
    lines.extend(f"could not lint {e.path}: {e.message}" for e in view.errors)
    for group in view.groups():
        if group.clean:
            lines.append(f"{group.pillar.title}: clean")
            continue
        lines.append(f"{group.pillar.title}: {plural(len(group.findings), 'finding')}")
        for f in group.findings:
            practices = ", ".join(f.lens)
            lines.append(
                f"  [{f.severity.value}] {view.where(f)}: {f.message}"
                f" ({f.name} {f.code}; {practices})"
            )
    return "\n".join(lines)


def warning_html(view: LensView, findings: Iterable[Finding], blocked: bool) -> str:
    """The cell guard's warning: what it found in the cell about to run, masked."""
    items = list(findings)
    verdict = (
        "This cell was not run (the ML Lens guard is strict)."
        if blocked
        else "The cell runs anyway; <code>%mllens guard strict</code> blocks such cells."
    )
    rows = "".join(
        f"<details><summary>{finding_summary(view, f)}</summary>{finding_details(view, f)}</details>"
        for f in items
    )
    return (
        f'{STYLE}<div class="mllens-lens mllens-warning">'
        f"<strong>⚠ ML Lens guard: {plural(len(items), 'high-severity finding')} in this cell."
        f"</strong> {verdict}{rows}</div>"
    )


def warning_text(view: LensView, findings: Iterable[Finding], blocked: bool) -> str:
    items = list(findings)
    verdict = (
        "This cell was not run (the ML Lens guard is strict)."
        if blocked
        else "The cell runs anyway; `%mllens guard strict` blocks such cells."
    )
    lines = [
        f"ML Lens guard: {plural(len(items), 'high-severity finding')} in this cell. {verdict}"
    ]
    lines.extend(f"  line {f.line}: {f.message} ({f.name} {f.code})" for f in items)
    return "\n".join(lines)
