"""`mllens report`: the report model (heat map, counts, ranking, lens review, caps), the page's
escaping of hostile notebooks and masking of secrets, and the command itself.

The browser test (tests/ui/test_report_page.py) renders a large generated report in Chromium.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from jupyter_mllens import lens
from jupyter_mllens.catalog import load_catalog
from jupyter_mllens.cli import main
from jupyter_mllens.document import Cell, Document, DocumentKind
from jupyter_mllens.findings import Finding, LintResult, Location, Severity
from jupyter_mllens.report import build_report, render_report
from jupyter_mllens.report.model import MAX_SHOWN, TOP_NOTEBOOKS, heat_map, rule_counts

CATALOG = load_catalog()


def finding(
    path: str,
    code: str = "MLL201",
    severity: Severity = Severity.MEDIUM,
    pillars: tuple[str, ...] = ("reliability",),
    phase: str = "data-processing",
    cell: int = 0,
    line: int = 1,
    lens_ids: tuple[str, ...] = (),
    name: str | None = None,
    span: tuple[int, int] = (1, 2),
) -> Finding:
    rule = CATALOG.get(code)
    return Finding(
        path=path,
        cell_index=cell,
        cell_id=f"c{cell}",
        location=Location(line, span[0], line, span[1]),
        code=code,
        name=name or (rule.name if rule else code.lower()),
        severity=severity,
        pillars=pillars,
        phase=phase,
        lens=lens_ids,
        message=f"{code} at cell {cell} line {line}",
    )


def no_documents(path: str) -> Document | None:
    return None


# -- the model ---------------------------------------------------------------------------


def test_heat_map_counts_each_pillar_of_a_finding_at_its_phase() -> None:
    findings = [
        finding("a.ipynb", pillars=("security",), phase="data-processing"),
        finding("a.ipynb", pillars=("security",), phase="data-processing", line=2),
        finding("b.ipynb", pillars=("security", "reliability"), phase="data-processing"),
        finding(
            "b.ipynb", code="MLL301", pillars=("operational-excellence",), phase="model-development"
        ),
    ]
    heat = heat_map(findings)
    assert heat.cell("security", "data-processing").findings == 3
    assert heat.cell("security", "data-processing").notebooks == 2
    assert heat.cell("reliability", "data-processing").findings == 1
    assert heat.cell("operational-excellence", "model-development").findings == 1
    assert heat.cell("security", "deployment").findings == 0
    assert heat.peak == 3
    # every pillar is a row and every phase a column, in the lens's order
    assert [row[0].pillar for row in heat.rows] == list(lens.PILLAR_IDS)
    assert [cell.phase for cell in heat.rows[0]] == list(lens.PHASE_IDS)
    assert sum(c.findings for row in heat.rows for c in row) == 5  # 4 findings, one with 2 pillars
    assert heat.cell("security", "data-processing").top_rules == (("MLL201", 3),)


def test_rule_counts_count_findings_and_notebooks_most_first() -> None:
    findings = [
        finding("a.ipynb", code="MLL101", severity=Severity.HIGH),
        finding("a.ipynb", code="MLL201"),
        finding("a.ipynb", code="MLL201", line=3),
        finding("b.ipynb", code="MLL201"),
        finding("c.ipynb", code="MLL301"),
    ]
    counts = rule_counts(findings, CATALOG)
    assert [(c.code, c.findings, c.notebooks) for c in counts] == [
        ("MLL201", 3, 2),
        ("MLL101", 1, 1),
        ("MLL301", 1, 1),
    ]
    assert counts[0].rule is CATALOG.get("MLL201")
    assert counts[1].severity is Severity.HIGH


def test_notebooks_are_ranked_by_high_then_medium_then_low_findings() -> None:
    findings = [
        # many medium findings do not outrank one high finding
        *(finding("many-medium.ipynb", line=i) for i in range(1, 9)),
        finding("one-high.ipynb", code="MLL101", severity=Severity.HIGH),
        finding("high-and-low.ipynb", code="MLL101", severity=Severity.HIGH),
        finding("high-and-low.ipynb", severity=Severity.LOW, line=2),
        finding("two-low.ipynb", severity=Severity.LOW),
        finding("two-low.ipynb", severity=Severity.LOW, line=2),
    ]
    report = build_report(LintResult(tuple(findings), files=6), CATALOG, no_documents)
    assert [n.path for n in report.top] == [
        "high-and-low.ipynb",
        "one-high.ipynb",
        "many-medium.ipynb",
        "two-low.ipynb",
    ]
    assert report.top[0].counts.high == 1
    assert report.top[0].counts.low == 1
    assert [n.path for n in report.notebooks] == sorted(n.path for n in report.top)
    assert report.files == 6
    assert report.clean_files == 2
    assert report.findings == 13
    assert report.counts.medium == 8
    assert report.counts.high == 2
    assert report.counts.low == 3


def test_the_top_table_is_capped() -> None:
    findings = [finding(f"nb{i:03}.ipynb") for i in range(TOP_NOTEBOOKS + 5)]
    report = build_report(LintResult(tuple(findings)), CATALOG, no_documents)
    assert len(report.top) == TOP_NOTEBOOKS
    assert len(report.notebooks) == TOP_NOTEBOOKS + 5


def test_only_the_most_serious_notebooks_get_sections_and_only_they_are_read() -> None:
    findings = [finding(f"low{i}.ipynb", severity=Severity.LOW) for i in range(5)]
    findings.append(finding("zz-high.ipynb", code="MLL101", severity=Severity.HIGH))
    reads: list[str] = []

    def lookup(path: str) -> Document | None:
        reads.append(path)
        return None

    report = build_report(LintResult(tuple(findings), files=8), CATALOG, lookup, max_notebooks=3)
    assert [n.path for n in report.notebooks] == ["low0.ipynb", "low1.ipynb", "zz-high.ipynb"]
    assert sorted(reads) == ["low0.ipynb", "low1.ipynb", "zz-high.ipynb"]
    assert report.with_findings == 6
    assert report.clean_files == 2
    page = render_report(report, ("nb",))
    assert "Notebooks with findings (6)" in page
    assert "The 3 most serious of the 6 notebooks with findings have a section here" in page
    everything = build_report(LintResult(tuple(findings)), CATALOG, lookup, max_notebooks=0)
    assert len(everything.notebooks) == 6


def test_a_notebook_shows_its_most_serious_findings_and_counts_the_rest() -> None:
    lows = [finding("big.ipynb", severity=Severity.LOW, line=i) for i in range(1, MAX_SHOWN + 6)]
    high = finding("big.ipynb", code="MLL101", severity=Severity.HIGH, line=MAX_SHOWN + 10)
    report = build_report(LintResult((*lows, high)), CATALOG, no_documents)
    (entry,) = report.notebooks
    shown = [s.finding for s in entry.shown]
    assert len(shown) == MAX_SHOWN
    assert high in shown  # the last one in the notebook, but the most serious
    assert shown == sorted(shown, key=Finding.sort_key)  # shown in document order
    assert entry.omitted == (("MLL201", 6),)
    assert entry.counts.total == MAX_SHOWN + 6


def test_lens_review_lists_practices_under_their_pillar_by_the_lenss_risk() -> None:
    practices = lens.best_practices().values()
    high = next(bp for bp in practices if bp.pillar == "security" and bp.risk == "high")
    medium = next(
        bp
        for bp in practices
        if bp.pillar not in ("reliability", "security") and bp.risk == "medium"
    )
    findings = [
        finding("a.ipynb", code="MLL101", pillars=("security",), lens_ids=(high.id,)),
        finding("b.ipynb", code="MLL101", pillars=("security",), lens_ids=(high.id,)),
        # a reliability rule citing another pillar's practice: it is that pillar's item
        finding("b.ipynb", code="MLL201", pillars=("reliability",), lens_ids=(medium.id,)),
    ]
    report = build_report(LintResult(tuple(findings)), CATALOG, no_documents)
    reviews = {r.pillar.id: r for r in report.reviews}
    assert list(reviews) == list(lens.PILLAR_IDS)
    security = reviews["security"]
    assert [(i.practice.id, i.findings, i.notebooks, i.rules) for i in security.high_risk] == [
        (high.id, 2, 2, ("MLL101",))
    ]
    other = reviews[medium.pillar]
    assert [(i.practice.id, i.rules) for i in other.medium_risk] == [(medium.id, ("MLL201",))]
    assert all(i.practice.id != medium.id for i in other.high_risk)
    assert (security.findings, security.notebooks) == (2, 2)
    assert reviews["reliability"].high_risk == ()
    assert reviews["reliability"].medium_risk == ()
    assert reviews["reliability"].findings == 0  # its one finding points to another pillar
    assert (other.findings, other.notebooks) == (1, 1)
    assert security.practices == sum(1 for bp in practices if bp.pillar == "security")
    assert 0 < security.checked <= security.practices


def test_excerpts_come_from_the_document_read_once_per_notebook() -> None:
    document = Document(
        "a.ipynb",
        DocumentKind.NOTEBOOK,
        (Cell("import pandas as pd\ndf = pd.read_csv('https://x.org/d.csv')", index=2),),
    )
    reads: list[str] = []

    def lookup(path: str) -> Document | None:
        reads.append(path)
        return document

    findings = (
        finding("a.ipynb", cell=2, line=2, span=(6, 40)),
        finding("a.ipynb", cell=2, line=1, code="MLL301"),
        finding("a.ipynb", cell=5, line=1),  # a cell the document no longer has
    )
    report = build_report(LintResult(findings), CATALOG, lookup)
    assert reads == ["a.ipynb"]
    excerpts = {
        (s.finding.cell_index, s.finding.line): s.excerpt for s in report.notebooks[0].shown
    }
    shown = excerpts[2, 2]
    assert shown is not None
    assert shown.text == "df = pd.read_csv('https://x.org/d.csv')"
    assert shown.text[shown.column - 1 : shown.end - 1] == "pd.read_csv('https://x.org/d.csv')"
    assert excerpts[5, 1] is None


# -- the page: escaping and secrets --------------------------------------------------------


class _Tags(HTMLParser):
    """Every tag and attribute of a page, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            self.attributes.add(name)
            if name == "href" and value is not None:
                self.hrefs.append(value)


PAGE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "div", "nav",
    "a", "section", "p", "table", "thead", "tbody", "tr", "th", "td", "span", "b", "code",
    "ul", "ol", "li", "details", "summary", "pre", "mark", "footer", "input", "label",
}  # fmt: skip
PAGE_ATTRIBUTES = {
    "lang", "charset", "http-equiv", "content", "name", "id", "class", "href", "rel", "title",
    "data-count", "data-pillar", "data-phase", "data-rule", "scope", "type", "checked", "for",
    "data-filter", "data-sev",
}  # fmt: skip

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def report_of(tmp_path: Path, *args: str) -> str:
    out = tmp_path / "out" / "report.html"
    out.parent.mkdir(exist_ok=True)
    code = main(["report", *args, "--isolated", "--no-cache", "-q", "-o", str(out)])
    assert code == 0
    return out.read_text("utf-8")


def test_a_hostile_notebook_cannot_inject_markup(
    tmp_path: Path, write_notebook: Callable[..., Path]
) -> None:
    name = f'{HOSTILE}".ipynb'
    write_notebook(
        f"nbs/{name}",
        # a message that quotes the notebook's text, and a source line with markup in it
        f"import pandas as pd\ndf = pd.read_csv('https://data.example.org/{HOSTILE}.csv')",
        f"!wget https://example.org/x.csv  # </code></pre></details>{HOSTILE}",
    )
    written = next((tmp_path / "nbs").rglob("*.ipynb"))
    raw = json.loads(written.read_text("utf-8"))
    raw["cells"][0]["id"] = HOSTILE  # a cell id is notebook text too
    written.write_text(json.dumps(raw), "utf-8")
    page = report_of(tmp_path, str(tmp_path / "nbs"), "--title", HOSTILE)
    assert f"id {html.escape(HOSTILE)}" in page
    parsed = _Tags()
    parsed.feed(page)
    assert parsed.tags <= PAGE_TAGS, parsed.tags - PAGE_TAGS
    assert parsed.attributes <= PAGE_ATTRIBUTES, parsed.attributes - PAGE_ATTRIBUTES
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert all(h.startswith(("#", "https://docs.aws.amazon.com/")) for h in parsed.hrefs)
    # the hostile text is there, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count('<details class="nb') == 1  # one notebook section, its structure intact
    assert "Content-Security-Policy" in page
    assert "default-src 'none'" in page


SECRETS = {
    "password": "Tr0ub4dor&3-horse",
    "github": "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
    "aws": "AKIA" + "Z7QRSTUVWXY23456",
    "url": "s3cr3t-Pa55word",
}


def test_no_secret_reaches_the_page(tmp_path: Path, write_notebook: Callable[..., Path]) -> None:
    write_notebook(
        "nbs/keys.ipynb",
        f'db_password = "{SECRETS["password"]}"',
        f"!git clone https://{SECRETS['github']}@github.com/acme/features.git",
        f'aws_access_key_id = "{SECRETS["aws"]}"',
        # a credential on the line of another rule's finding (unversioned data)
        "import pandas as pd\n"
        f'df = pd.read_csv("https://analyst:{SECRETS["url"]}@warehouse.lendco.io/loans.csv")',
    )
    page = report_of(tmp_path, str(tmp_path / "nbs"))
    assert "MLL101" in page
    assert "<mark>" in page
    for secret in SECRETS.values():
        for shown in (secret, secret.replace("&", "&amp;"), secret[4:], secret[:-3]):
            assert shown not in page, f"{secret!r} leaked"
    assert "****" in page


# -- the command ---------------------------------------------------------------------------


def test_report_writes_only_its_output_file(
    tmp_path: Path, write_notebook: Callable[..., Path]
) -> None:
    write_notebook("nbs/a.ipynb", f'token = "{SECRETS["github"]}"')
    write_notebook("nbs/clean.ipynb", "print(1)")
    (tmp_path / "out").mkdir()
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    page = report_of(tmp_path, str(tmp_path / "nbs"))
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert set(after) - set(before) == {Path("out/report.html")}
    assert '<div class="card" data-count="files"><b>2</b>' in page
    assert '<div class="card" data-count="clean"><b>1</b>' in page


def test_report_to_stdout_and_its_exit_statuses(
    tmp_path: Path,
    write_notebook: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    notebook = write_notebook("a.ipynb", 'password = "Tr0ub4dor&3-horse"')
    assert main(["report", str(notebook), "--isolated", "--no-cache", "-o", "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<!DOCTYPE html>")
    assert "MLL101" in out
    # a file that cannot be read: still reported, listed in the page, exit 2
    (tmp_path / "broken.ipynb").write_text("{not json", "utf-8")
    out_file = tmp_path / "r.html"
    assert main(["report", str(tmp_path), "--isolated", "--no-cache", "-o", str(out_file)]) == 2
    err = capsys.readouterr().err
    assert "broken.ipynb" in err
    assert f"mllens: wrote the report to {out_file}" in err
    page = out_file.read_text("utf-8")
    assert 'id="errors"' in page
    assert "broken.ipynb" in page
    # usage errors: no -o, an -o that is an input
    assert main(["report", str(notebook)]) == 2
    assert main(["report", str(notebook), "--no-cache", "-o", str(notebook)]) == 2
    assert json.loads(notebook.read_text("utf-8"))["cells"]  # not overwritten


def test_report_uses_the_result_cache_as_check_does(
    tmp_path: Path,
    write_notebook: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    for i in range(3):
        write_notebook(f"nbs/n{i}.ipynb", f'api_key = "sk-{"a1b2" * 12}{i}"')
    cache = tmp_path / "cache"
    args = ["report", str(tmp_path / "nbs"), "--isolated", "--cache-dir", str(cache), "-v"]
    assert main([*args, "-o", str(tmp_path / "one.html")]) == 0
    assert "0 of 3 file(s) from the cache" in capsys.readouterr().err
    assert main([*args, "-o", str(tmp_path / "two.html"), "--jobs", "2"]) == 0
    assert "3 of 3 file(s) from the cache" in capsys.readouterr().err
    one = (tmp_path / "one.html").read_text("utf-8")
    two = (tmp_path / "two.html").read_text("utf-8")
    # the same page but for the time it was written
    strip = lambda page: page.split("</div><nav>", 1)[1]  # noqa: E731
    assert strip(one) == strip(two)


def test_report_select_and_heat_map_cells(
    tmp_path: Path, write_notebook: Callable[..., Path]
) -> None:
    write_notebook("nbs/a.ipynb", 'password = "Tr0ub4dor&3-horse"', "!wget https://x.org/d.csv")
    page = report_of(tmp_path, str(tmp_path / "nbs"), "--select", "security")
    rule = CATALOG.get("MLL101")
    assert rule is not None
    cell = f'data-pillar="security" data-phase="{rule.phase}" data-count="'
    assert cell in page
    assert int(page.split(cell, 1)[1].split('"', 1)[0]) == 1
    assert 'data-rule="MLL201"' not in page  # not a security rule: not selected


def test_rendering_is_deterministic_for_a_given_time() -> None:
    from datetime import datetime, timezone

    findings = tuple(finding(f"n{i}.ipynb", line=i + 1) for i in range(5))
    report = build_report(LintResult(findings, files=5), CATALOG, no_documents)
    when = datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc)
    assert render_report(report, ("nbs",), when) == render_report(report, ("nbs",), when)
    assert "2026-01-02 03:04 UTC" in render_report(report, ("nbs",), when)


def test_report_with_a_baseline_shows_only_new_findings(
    tmp_path: Path, write_notebook: Callable[..., Path]
) -> None:
    notebook = write_notebook("nbs/a.ipynb", f'password = "{SECRETS["password"]}"')
    baseline = tmp_path / "baseline.json"
    common = ["--isolated", "--no-cache", "-q"]
    assert main(["check", str(notebook), *common, "--write-baseline", str(baseline)]) == 0
    page = report_of(tmp_path, str(tmp_path / "nbs"), "--baseline", str(baseline))
    assert '<div class="card" data-count="findings"><b>0</b>' in page
    assert 'class="nb"' not in page
    write_notebook("nbs/a.ipynb", f'password = "{SECRETS["password"]}"', "!wget https://x.io/d.csv")
    page = report_of(tmp_path, str(tmp_path / "nbs"), "--baseline", str(baseline))
    assert '<div class="card" data-count="findings"><b>1</b>' in page
    assert 'data-rule="MLL201"' in page
    assert 'data-rule="MLL101"' not in page


def test_a_shown_line_masks_every_credential_on_it_and_keeps_the_span() -> None:
    from jupyter_mllens.formats.source import masked_line
    from jupyter_mllens.secrets import mask

    secret = SECRETS["password"]
    literal = f'"{secret}"'
    after = f'df = load("https://data.lendco.io/x.csv", key={literal})'
    before = f'k = {literal}; df = load("https://data.lendco.io/x.csv")'
    for source, call in ((after, after[5:]), (before, 'load("https://data.lendco.io/x.csv")')):
        document = Document("a.ipynb", DocumentKind.NOTEBOOK, (Cell(source, index=0),))
        start = source.index(literal) + 1
        credential = finding(
            "a.ipynb", code="MLL101", severity=Severity.HIGH, span=(start, start + len(literal))
        )
        column = source.index("load(") + 1
        other = finding("a.ipynb", span=(column, column + len(call)))
        shown = masked_line(document, other, [credential])
        assert shown is not None
        assert secret not in shown.text
        assert f'"{mask(secret)}"' in shown.text
        marked = shown.text[shown.column - 1 : shown.end - 1]
        assert marked.startswith('load("https://data.lendco.io/x.csv"')
        assert marked.endswith(")")
        # without the other finding, the credential's own line is masked as well
        own = masked_line(document, credential)
        assert own is not None
        assert secret not in own.text
        assert own.text[own.column - 1 : own.end - 1].endswith('****"')


def test_the_cli_default_section_cap_is_the_report_default() -> None:
    from jupyter_mllens.cli import MAX_REPORT_NOTEBOOKS
    from jupyter_mllens.report.model import MAX_NOTEBOOKS

    assert MAX_REPORT_NOTEBOOKS == MAX_NOTEBOOKS
