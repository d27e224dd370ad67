"""The report drawn as one self-contained HTML page.

One file, viewable offline: the style sheet is inline, there is no script, font or image
to fetch, and a Content-Security-Policy forbids any (so even text that slipped past
escaping could not run or load anything). Every string that comes from a notebook (paths,
messages, source lines, error messages) is escaped; the source lines were masked by the
model. Rule text (why, how to fix, best practices) is written once per rule and linked
from each finding by its code, so the page grows with the findings' own lines only.

Thousands of notebooks stay responsive: each notebook is a closed `<details>`, so the
browser lays out one summary line per notebook until one is opened, a link to a notebook
opens its section (navigating to a fragment inside a closed `<details>` opens it), and the browser's
find-in-page searches closed sections too. The severity filter is radio buttons and style
rules, no script.
"""

from __future__ import annotations

import html
import math
from datetime import datetime, timezone

from .. import __version__, lens
from ..findings import Finding, Severity
from ..formats.location import describe
from ..formats.source import MaskedLine
from ..lens_html import SEVERITY_LABELS, prose
from .model import (
    MAX_SHOWN,
    HeatCell,
    NotebookEntry,
    PillarReview,
    Report,
    RiskItem,
    RuleCount,
    SeverityCounts,
)

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
_HEAT_LEVELS = 6

STYLE = """
:root { --fg: #1f2328; --muted: #59636e; --bg: #fff; --panel: #f6f8fa; --line: #d0d7de;
  --link: #0969da; --high: #cf222e; --medium: #bc4c00; --low: #0969da; --info: #6e7781;
  --mark: #fff1a8; --h1: #fff4d6; --h2: #ffe0a3; --h3: #ffc170; --h4: #f8924a; --h5: #e0582e;
  --h6: #b42318; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #161b22; --line: #30363d;
    --link: #4493f8; --mark: #5c4b00; --h1: #3d2e00; --h2: #5a3b00; --h3: #7d4a00;
    --h4: #a3440c; --h5: #c4361c; --h6: #e5484d; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: var(--fg); background: var(--bg); }
main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
h1 { font-size: 24px; margin: 8px 0 2px; }
h2 { font-size: 19px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
.muted, .meta { color: var(--muted); }
nav { position: sticky; top: 0; background: var(--bg); border-bottom: 1px solid var(--line);
  padding: 6px 0; z-index: 1; }
nav a { margin-right: 16px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 120px;
  background: var(--panel); }
.card b { display: block; font-size: 22px; }
table { border-collapse: collapse; }
th, td { padding: 4px 8px; text-align: left; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.heat td.c { text-align: center; min-width: 92px; height: 44px; vertical-align: middle;
  border: 2px solid var(--bg); font-variant-numeric: tabular-nums; }
.heat td.c a { display: block; color: inherit; text-decoration: none; }
.heat td.c span { display: block; font-size: 11px; color: inherit; opacity: 0.8; }
.heat th.p { white-space: nowrap; }
.heat th.p, .heat td.n { vertical-align: middle; }
.heat th.ph { text-align: center; max-width: 110px; font-size: 12.5px; }
.h0 { background: var(--panel); color: var(--muted); }
.h1 { background: var(--h1); } .h2 { background: var(--h2); } .h3 { background: var(--h3); }
.h4 { background: var(--h4); color: #fff; } .h5 { background: var(--h5); color: #fff; }
.h6 { background: var(--h6); color: #fff; }
.sev { display: inline-block; min-width: 4.4em; text-align: center; border-radius: 3px;
  padding: 0 4px; font-size: 12px; font-weight: 600; color: #fff; }
.s-high { background: var(--high); } .s-medium { background: var(--medium); }
.s-low { background: var(--low); } .s-info { background: var(--info); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
p code, li code, td code { background: var(--panel); padding: 0 3px; border-radius: 3px; }
.review { border: 1px solid var(--line); border-radius: 6px; padding: 4px 14px 10px;
  margin: 10px 0; }
.review h3 .meta { font-weight: 400; }
.review ul { margin: 4px 0; padding-left: 20px; }
.review .none { color: var(--muted); }
.risk-high { color: var(--high); font-weight: 600; }
.risk-medium { color: var(--medium); font-weight: 600; }
details.rule > summary { cursor: pointer; color: var(--link); }
details.rule p { margin: 4px 0; max-width: 80ch; }
details.nb { border-bottom: 1px solid var(--line); }
details.nb > summary { cursor: pointer; padding: 4px 0; overflow-wrap: anywhere; }
details.nb[open] > summary { font-weight: 600; }
details.nb > summary .sev { margin-left: 6px; }
ol.findings { margin: 4px 0 12px; padding-left: 24px; scroll-margin-top: 72px; }
ol.findings li { margin: 6px 0; }
ol.findings .where { color: var(--muted); font-size: 12.5px; }
pre { margin: 2px 0 0; padding: 4px 8px; background: var(--panel); border-radius: 4px;
  overflow-x: auto; white-space: pre; }
mark { background: var(--mark); color: inherit; border-bottom: 2px solid var(--medium); }
.omitted { color: var(--muted); }
.sev-choice { position: absolute; opacity: 0; pointer-events: none; }
.filter { margin: 8px 0; }
.filter label { display: inline-block; border: 1px solid var(--line); border-radius: 14px;
  padding: 1px 10px; margin: 2px 4px 2px 0; cursor: pointer; }
#sev-all:checked ~ .filter [data-filter="all"], #sev-high:checked ~ .filter [data-filter="high"],
#sev-medium:checked ~ .filter [data-filter="medium"], #sev-low:checked ~ .filter [data-filter="low"] {
  background: var(--panel); border-color: var(--fg); font-weight: 600; }
#sev-all:focus-visible ~ .filter [data-filter="all"],
#sev-high:focus-visible ~ .filter [data-filter="high"],
#sev-medium:focus-visible ~ .filter [data-filter="medium"],
#sev-low:focus-visible ~ .filter [data-filter="low"] { outline: 2px solid var(--link); }
#sev-high:checked ~ details.nb:not(.has-high),
#sev-medium:checked ~ details.nb:not(.has-high):not(.has-medium),
#sev-low:checked ~ details.nb:not(.has-high):not(.has-medium):not(.has-low),
#sev-high:checked ~ details.nb li[data-sev]:not([data-sev="high"]),
#sev-medium:checked ~ details.nb li[data-sev="low"],
#sev-medium:checked ~ details.nb li[data-sev="info"],
#sev-low:checked ~ details.nb li[data-sev="info"] { display: none; }
footer { margin-top: 40px; color: var(--muted); font-size: 12.5px; }
"""


def render_report(
    report: Report, linted: tuple[str, ...] = (), when: datetime | None = None
) -> str:
    """The whole page; `linted` names what was linted (shown in the header)."""
    moment = (when or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    sections = [
        _header(report, linted, moment),
        _overview(report),
        _heat_map(report),
        _attention(report),
        _reviews(report),
        _rules(report),
        _notebooks(report),
        _errors(report),
        "<footer>Written by mllens. Secrets in messages and source lines are masked. "
        "Best practices are those of the AWS Well-Architected Machine Learning Lens "
        "(2025 edition).</footer>",
    ]
    title = html.escape(report.title)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>{title}</title><style>{STYLE}</style></head>\n<body><main>"
        + "\n".join(part for part in sections if part)
        + "</main></body></html>\n"
    )


def _header(report: Report, linted: tuple[str, ...], moment: str) -> str:
    what = ", ".join(f"<code>{html.escape(path)}</code>" for path in linted[:10])
    if len(linted) > 10:
        what += f" and {len(linted) - 10:,} more"
    links = [
        ("overview", "Overview"),
        ("heat-map", "Heat map"),
        ("attention", "Look at first"),
        ("review", "Lens review"),
        ("rules", "Rules"),
        ("notebooks", "Notebooks"),
    ]
    if report.error_count:
        links.append(("errors", "Not linted"))
    nav = "".join(f'<a href="#{anchor}">{label}</a>' for anchor, label in links)
    return (
        f"<h1>{html.escape(report.title)}</h1>"
        f'<div class="meta">mllens {html.escape(__version__)} · {moment}'
        + (f" · {what}" if what else "")
        + f"</div><nav>{nav}</nav>"
    )


def _overview(report: Report) -> str:
    cards = [
        ("Files linted", report.files, "files"),
        ("With findings", report.with_findings, "with-findings"),
        ("Clean", report.clean_files, "clean"),
        ("Findings", report.findings, "findings"),
        *((SEVERITY_LABELS[s], n, s.value) for s, n in report.counts.items()),
    ]
    if report.error_count:
        cards.append(("Not linted", report.error_count, "errors"))
    body = "".join(
        f'<div class="card" data-count="{key}"><b>{count:,}</b>{label}</div>'
        for label, count, key in cards
    )
    return f'<section id="overview"><h2>Overview</h2><div class="cards">{body}</div></section>'


def _heat_map(report: Report) -> str:
    peak = report.heat_map.peak
    head = "".join(
        f'<th class="ph" scope="col" title="{html.escape(p.description)}">{html.escape(p.title)}</th>'
        for p in lens.PHASES
    )
    rows = []
    for pillar, row in zip(lens.PILLARS, report.heat_map.rows, strict=True):
        cells = "".join(_heat_cell(cell, peak) for cell in row)
        total = sum(cell.findings for cell in row)
        rows.append(
            f'<tr><th class="p" scope="row" title="{html.escape(pillar.description)}">'
            f'{html.escape(pillar.title)}</th>{cells}<td class="n">{total:,}</td></tr>'
        )
    return (
        '<section id="heat-map"><h2>Findings by pillar and lifecycle phase</h2>'
        '<p class="muted">A finding of several pillars counts in each of their rows. Hover a cell '
        "for the rules behind it; follow it to the pillar's lens review.</p>"
        f'<table class="heat"><thead><tr><th>Pillar \\ phase</th>{head}<th class="n">Total</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _heat_cell(cell: HeatCell, peak: int) -> str:
    level = _heat_level(cell.findings, peak)
    data = f'data-pillar="{cell.pillar}" data-phase="{cell.phase}" data-count="{cell.findings}"'
    if not cell.findings:
        return f'<td class="c h0" {data}>·</td>'
    rules = ", ".join(f"{code} ({count:,})" for code, count in cell.top_rules)
    tip = f"{cell.findings:,} findings in {cell.notebooks:,} notebooks: {rules}"
    return (
        f'<td class="c h{level}" {data} title="{html.escape(tip)}">'
        f'<a href="#review-{cell.pillar}">{cell.findings:,}<span>{cell.notebooks:,} nb</span></a></td>'
    )


def _heat_level(count: int, peak: int) -> int:
    """1..6 on a logarithmic scale of the peak, so a few findings still show."""
    if count <= 0 or peak <= 0:
        return 0
    if peak == 1:
        return _HEAT_LEVELS
    return max(1, math.ceil(_HEAT_LEVELS * math.log1p(count) / math.log1p(peak)))


def _badges(counts: SeverityCounts) -> str:
    return "".join(
        f'<span class="sev s-{s.value}" title="{SEVERITY_LABELS[s]}">{n:,} {s.value}</span>'
        for s, n in counts.items()
        if n
    )


def _attention(report: Report) -> str:
    if not report.top:
        return (
            '<section id="attention"><h2>Notebooks to look at first</h2>'
            '<p class="muted">No findings.</p></section>'
        )
    head = "".join(f'<th class="n">{SEVERITY_LABELS[s]}</th>' for s in Severity)
    rows = "".join(
        f'<tr><td class="n">{rank}</td><td><a href="#{entry.anchor}">{html.escape(entry.path)}</a></td>'
        + "".join(f'<td class="n">{n:,}</td>' for _, n in entry.counts.items())
        + f'<td class="n">{entry.counts.total:,}</td></tr>'
        for rank, entry in enumerate(report.top, 1)
    )
    return (
        '<section id="attention"><h2>Notebooks to look at first</h2>'
        '<p class="muted">Ranked by high-severity findings, then medium, low and info.</p>'
        f'<table class="top"><thead><tr><th class="n">#</th><th>Notebook</th>{head}'
        f'<th class="n">Total</th></tr></thead><tbody>{rows}</tbody></table></section>'
    )


def _reviews(report: Report) -> str:
    parts = "".join(_review(review) for review in report.reviews)
    return (
        '<section id="review"><h2>Lens review</h2><p class="muted">As in a Well-Architected '
        "review: per pillar, the ML Lens best practices that findings show are not met, as "
        "high and medium risk items (the lens's risk level for each practice). Linting sees "
        "only what code shows: practices no rule checks are not assessed here.</p>"
        f"{parts}</section>"
    )


def _review(review: PillarReview) -> str:
    pillar = review.pillar
    summary = (
        f"{review.findings:,} findings in {review.notebooks:,} notebooks point to its practices"
        if review.findings
        else "no findings point to its practices"
    )
    coverage = (
        f"The rules check {review.checked} of this pillar's {review.practices} best practices."
    )
    body = [
        f'<div class="review" id="review-{pillar.id}" data-pillar="{pillar.id}">'
        f'<h3>{html.escape(pillar.title)} <span class="meta">· {summary}</span></h3>'
    ]
    for label, css, items in (
        ("High risk items", "risk-high", review.high_risk),
        ("Medium risk items", "risk-medium", review.medium_risk),
    ):
        if items:
            body.append(f'<div class="{css}">{label}: {len(items)}</div>')
            body.append("<ul>" + "".join(_risk_item(item) for item in items) + "</ul>")
    if not review.high_risk and not review.medium_risk:
        body.append('<p class="none">No high or medium risk items found.</p>')
    body.append(f'<p class="muted">{coverage}</p></div>')
    return "".join(body)


def _risk_item(item: RiskItem) -> str:
    bp = item.practice
    rules = ", ".join(f'<a href="#rule-{code}">{code}</a>' for code in item.rules)
    return (
        f'<li><a href="{html.escape(bp.url)}" rel="noopener noreferrer">{html.escape(bp.id)}</a> '
        f'{html.escape(bp.title)} <span class="meta">· {item.findings:,} findings in '
        f"{item.notebooks:,} notebooks · {rules}</span></li>"
    )


def _rules(report: Report) -> str:
    if not report.rules:
        return '<section id="rules"><h2>Rules</h2><p class="muted">No findings.</p></section>'
    rows = "".join(_rule_row(count) for count in report.rules)
    return (
        '<section id="rules"><h2>Findings per rule</h2>'
        '<table class="rules"><thead><tr><th>Rule</th><th>Severity</th><th class="n">Findings</th>'
        '<th class="n">Notebooks</th><th>Pillars · phase</th><th>What and why</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></section>"
    )


def _rule_row(count: RuleCount) -> str:
    rule = count.rule
    code = html.escape(count.code)
    if rule is None:
        place, about = "", f"<code>{html.escape(count.name)}</code>"
    else:
        pillars = ", ".join(lens.pillar(p).title for p in rule.pillars)
        place = f"{html.escape(pillars)} · {html.escape(lens.phase(rule.phase).title)}"
        practices = "".join(
            f'<li><a href="{html.escape(bp.url)}" rel="noopener noreferrer">'
            f"{html.escape(bp.id)}</a> {html.escape(bp.title)}</li>"
            for bp in rule.best_practices
        )
        about = (
            f'<details class="rule"><summary>{html.escape(rule.title)}</summary>'
            f"<p><b>Why it matters.</b> {prose(rule.why)}</p>"
            f"<p><b>How to fix it.</b> {prose(rule.fix)}</p>"
            f"<ul>{practices}</ul></details>"
        )
    return (
        f'<tr id="rule-{code}" data-rule="{code}"><td><b>{code}</b> '
        f"<code>{html.escape(count.name)}</code></td>"
        f'<td><span class="sev s-{count.severity.value}">{count.severity.value}</span></td>'
        f'<td class="n">{count.findings:,}</td><td class="n">{count.notebooks:,}</td>'
        f"<td>{place}</td><td>{about}</td></tr>"
    )


#: The severity filter over the notebook sections: (id, label, severities shown).
_FILTERS: tuple[tuple[str, str, tuple[Severity, ...]], ...] = (
    ("all", "All", (Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO)),
    ("high", "High", (Severity.HIGH,)),
    ("medium", "Medium and above", (Severity.HIGH, Severity.MEDIUM)),
    ("low", "Low and above", (Severity.HIGH, Severity.MEDIUM, Severity.LOW)),
)


def _severity_filter(report: Report) -> str:
    """Radio buttons that hide notebooks and findings below a severity, with no script.

    The inputs are siblings placed before the notebook sections, so the style sheet's
    `#sev-X:checked ~ details.nb` rules can hide what the choice leaves out (the page's
    Content-Security-Policy forbids scripts).
    """
    inputs = "".join(
        f'<input type="radio" name="sev" id="sev-{key}" class="sev-choice"'
        f"{' checked' if key == 'all' else ''}>"
        for key, _, _ in _FILTERS
    )
    labels = []
    for key, label, shown in _FILTERS:
        count = sum(
            1 for entry in report.notebooks if any(n for s, n in entry.counts.items() if s in shown)
        )
        labels.append(
            f'<label for="sev-{key}" data-filter="{key}">{label} '
            f'<span class="meta">{count:,}</span></label>'
        )
    return f'{inputs}<div class="filter">Show: {"".join(labels)}</div>'


def _notebooks(report: Report) -> str:
    if not report.notebooks:
        return ""
    sections = "".join(_notebook(entry) for entry in report.notebooks)
    shown = len(report.notebooks)
    capped = (
        f"The {shown:,} most serious of the {report.with_findings:,} notebooks with findings "
        "have a section here (`mllens report --max-notebooks 0` gives every one). "
        if shown < report.with_findings
        else ""
    )
    return (
        f'<section id="notebooks"><h2>Notebooks with findings ({report.with_findings:,})</h2>'
        f"{_severity_filter(report)}"
        f'<p class="muted">{capped}Open a notebook for its findings and the offending lines (at '
        f"most the {MAX_SHOWN} most serious are shown with their code).</p>"
        f"{sections}</section>"
    )


def _notebook(entry: NotebookEntry) -> str:
    items = "".join(_finding(shown.finding, shown.excerpt) for shown in entry.shown)
    if entry.omitted:
        rest = sum(n for _, n in entry.omitted)
        by_rule = ", ".join(
            f'<a href="#rule-{html.escape(code)}">{html.escape(code)}</a> &times;{n:,}'
            for code, n in entry.omitted
        )
        items += f'<li class="omitted">and {rest:,} more: {by_rule}</li>'
    has = " ".join(f"has-{s.value}" for s, n in entry.counts.items() if n)
    return (
        f'<details class="nb {has}"><summary>{html.escape(entry.path)}{_badges(entry.counts)}'
        f'</summary><ol class="findings" id="{entry.anchor}">{items}</ol></details>'
    )


def _finding(finding: Finding, excerpt: MaskedLine | None) -> str:
    code = html.escape(finding.code)
    source = ""
    if excerpt is not None:
        text, start, end = excerpt.text, excerpt.column - 1, excerpt.end - 1
        source = (
            f"<pre><code>{html.escape(text[:start])}<mark>{html.escape(text[start:end])}</mark>"
            f"{html.escape(text[end:])}</code></pre>"
        )
    return (
        f'<li data-rule="{code}" data-sev="{finding.severity.value}">'
        f'<span class="sev s-{finding.severity.value}">'
        f'{finding.severity.value}</span> <a href="#rule-{code}">{code}</a> '
        f'{prose(finding.message)} <span class="where">{html.escape(_where(finding))}</span>'
        f"{source}</li>"
    )


def _where(finding: Finding) -> str:
    """`cell 3, line 2, column 5 · id 4f2a`: the cell as counted and as stored."""
    place = describe(finding)
    return place if finding.cell_id is None else f"{place} · id {finding.cell_id}"


def _errors(report: Report) -> str:
    if not report.error_count:
        return ""
    items = "".join(
        f"<li><code>{html.escape(error.path)}</code>: {html.escape(error.message)}</li>"
        for error in report.errors
    )
    more = report.error_count - len(report.errors)
    if more > 0:
        items += f'<li class="omitted">and {more:,} more</li>'
    return (
        f'<section id="errors"><h2>Files that could not be linted ({report.error_count:,})</h2>'
        f"<ul>{items}</ul></section>"
    )
