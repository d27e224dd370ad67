"""`LensPanel`: the ML Lens panel as an ipywidgets widget, for any notebook frontend.

JupyterLab has a sidebar; VS Code, Notebook 7, SageMaker notebook instances and Colab-like
hosts do not, but they all render ipywidgets. The panel lists findings grouped by pillar
(all six, clean ones marked clean), each row expandable to its pillar context, with a
pillar and a severity filter. Filtering hides rows (`layout.display`) rather than
rebuilding them, so an expanded explanation stays open while filters change.

Where widgets cannot render (nbconvert, GitHub's viewer, a terminal) the display data
carries the same panel as HTML and text (`_repr_mimebundle_`), and frontends pick those.

    from jupyter_mllens import lint_notebook
    from jupyter_mllens.widget import LensPanel
    LensPanel(lint_notebook("churn.ipynb"))
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import ipywidgets as widgets

from .catalog import Catalog, load_catalog
from .findings import Finding, LintResult, Severity
from .lens import Pillar
from .lens_html import (
    SEVERITY_LABELS,
    STYLE,
    finding_details,
    finding_summary,
    header,
    render_html,
    render_text,
)
from .lens_view import ALL_PILLARS, SEVERITIES, LensView, Subject, plural

_SHOWN, _HIDDEN = "", "none"


class FindingRow(widgets.VBox):  # type: ignore[misc]
    """One finding: a toggle, the one-line summary, and the explanation when expanded."""

    def __init__(self, view: LensView, finding: Finding) -> None:
        self.finding = finding
        self.toggle = widgets.ToggleButton(
            value=False,
            description="",
            icon="chevron-right",
            tooltip="Explain this finding",
            layout=widgets.Layout(width="40px", min_width="40px", height="26px"),
        )
        self.summary = widgets.HTML(
            f'<div class="mllens-lens">{finding_summary(view, finding)}</div>',
            layout=widgets.Layout(flex="1 1 auto", width="auto"),
        )
        self.details = widgets.HTML(
            f'<div class="mllens-lens">{finding_details(view, finding)}</div>',
            layout=widgets.Layout(display=_HIDDEN),
        )
        super().__init__(
            [widgets.HBox([self.toggle, self.summary]), self.details],
            layout=widgets.Layout(margin="0 0 2px 0"),
        )
        self.add_class("mllens-finding")
        self.add_class(f"mllens-sev-row-{finding.severity.value}")
        self.toggle.observe(self._on_toggle, names="value")

    @property
    def expanded(self) -> bool:
        return bool(self.toggle.value)

    def _on_toggle(self, change: dict[str, Any]) -> None:
        self.details.layout.display = _SHOWN if change["new"] else _HIDDEN
        self.toggle.icon = "chevron-down" if change["new"] else "chevron-right"
        self.toggle.tooltip = "Hide the explanation" if change["new"] else "Explain this finding"


class PillarSection(widgets.VBox):  # type: ignore[misc]
    """A pillar's findings, or a line saying the pillar is clean."""

    def __init__(self, view: LensView, pillar: Pillar, findings: tuple[Finding, ...]) -> None:
        self.pillar = pillar
        self.rows = tuple(FindingRow(view, f) for f in findings)
        self.title = widgets.HTML()
        super().__init__([self.title, *self.rows])
        self.add_class("mllens-section")
        self.add_class(f"mllens-pillar-{pillar.id}")
        self.show(set(SEVERITIES))

    @property
    def clean(self) -> bool:
        return not self.rows

    def show(self, severities: set[Severity]) -> None:
        """Show the rows of the given severities and say how many are hidden."""
        hidden = 0
        for row in self.rows:
            visible = row.finding.severity in severities
            row.layout.display = _SHOWN if visible else _HIDDEN
            hidden += not visible
        title = f"<b>{html.escape(self.pillar.title)}</b>"
        if self.clean:
            note = '<span class="mllens-clean-note">✓ clean: no findings</span>'
        else:
            note = f'<span class="mllens-count">{plural(len(self.rows), "finding")}'
            note += f", {hidden} hidden by the severity filter</span>" if hidden else "</span>"
        self.title.value = (
            f'<div class="mllens-lens mllens-group-title" title="{html.escape(self.pillar.description)}">'
            f"{title} {note}</div>"
        )


class LensPanel(widgets.VBox):  # type: ignore[misc]
    """Findings of one notebook, grouped by pillar, filterable, explained from the catalog.

    `findings` is a `LintResult` (its errors are shown too) or any iterable of `Finding`s;
    `subject` says what was linted (defaults to the findings' notebook path).
    """

    def __init__(
        self,
        findings: LintResult | Iterable[Finding],
        *,
        subject: Subject | None = None,
        catalog: Catalog | None = None,
    ) -> None:
        self.view = LensView.of(findings, catalog or load_catalog(), subject)
        self.header = widgets.HTML(f'{STYLE}<div class="mllens-lens">{header(self.view)}</div>')
        groups = self.view.groups()
        self.pillar_filter = widgets.Dropdown(
            options=[("All pillars", ALL_PILLARS)]
            + [(f"{g.pillar.title} ({len(g.findings)})", g.pillar.id) for g in groups],
            value=ALL_PILLARS,
            description="Pillar",
            layout=widgets.Layout(width="auto"),
        )
        counts = self.view.severity_counts()
        self.severity_filter = {
            severity: widgets.ToggleButton(
                value=True,
                description=f"{SEVERITY_LABELS[severity]} {counts[severity]}",
                tooltip=f"Show {SEVERITY_LABELS[severity].lower()} severity findings",
                layout=widgets.Layout(width="auto"),
            )
            for severity in SEVERITIES
        }
        self.sections = {
            g.pillar.id: PillarSection(self.view, g.pillar, g.findings) for g in groups
        }
        filters = widgets.HBox(
            [self.pillar_filter, widgets.Label("Severity"), *self.severity_filter.values()],
            layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
        )
        super().__init__([self.header, filters, *self.sections.values()])
        self.add_class("mllens-panel")
        self.pillar_filter.observe(self._apply_filters, names="value")
        for toggle in self.severity_filter.values():
            toggle.observe(self._apply_filters, names="value")

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.view.findings

    def shown_severities(self) -> set[Severity]:
        return {s for s, toggle in self.severity_filter.items() if toggle.value}

    def visible_rows(self) -> list[FindingRow]:
        """The rows the filters leave visible, in display order."""
        return [
            row
            for section in self.sections.values()
            if section.layout.display != _HIDDEN
            for row in section.rows
            if row.layout.display != _HIDDEN
        ]

    def _apply_filters(self, _change: dict[str, Any] | None = None) -> None:
        chosen = self.pillar_filter.value
        severities = self.shown_severities()
        for pillar_id, section in self.sections.items():
            section.layout.display = _SHOWN if chosen in (ALL_PILLARS, pillar_id) else _HIDDEN
            section.show(severities)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        """The widget view plus the same panel as HTML and text, for frontends without
        widgets (nbconvert, GitHub, terminals): each picks the richest type it renders."""
        bundle: dict[str, Any] | None = super()._repr_mimebundle_(**kwargs)
        if bundle is None:
            return None
        bundle["text/html"] = render_html(self.view)
        bundle["text/plain"] = render_text(self.view)
        return bundle
