"""Every catalog example is a test: bad examples must fire their rule, good ones must not."""

from __future__ import annotations

import pytest

from jupyter_mllens.catalog import Example, Expected, Rule, load_catalog
from jupyter_mllens.engine import Linter

CATALOG = load_catalog()
BAD = [
    pytest.param(rule, ex, id=f"{rule.name}-bad-{i}")
    for rule in CATALOG.rules
    for i, ex in enumerate(rule.bad)
]
GOOD = [
    pytest.param(rule, ex, id=f"{rule.name}-good-{i}")
    for rule in CATALOG.rules
    for i, ex in enumerate(rule.good)
]


def _findings(linter: Linter, rule: Rule, example: Example) -> list[str]:
    result = linter.lint_notebook(example.notebook(), f"{rule.name}.ipynb")
    assert not result.errors, result.errors
    return [f.message for f in result.findings if f.name == rule.name]


@pytest.mark.parametrize(("rule", "example"), BAD)
def test_bad_example_fires(linter: Linter, rule: Rule, example: Example) -> None:
    messages = _findings(linter, rule, example)
    assert messages, f"{rule.name}: bad example {example.title!r} was not reported"
    if example.count is not None:
        assert len(messages) == example.count, messages


@pytest.mark.parametrize(("rule", "example"), BAD)
def test_bad_example_findings_are_exactly_the_expected_ones(
    linter: Linter, rule: Rule, example: Example
) -> None:
    """Each finding's cell, line, column and message, as `[[bad.expect]]` pins them."""
    assert example.expect, f"{rule.name}: bad example {example.title!r} pins no findings"
    result = linter.lint_notebook(example.notebook(), f"{rule.name}.ipynb")
    found = sorted(
        Expected(
            f.cell_index + 1 if f.cell_index is not None else 0,
            f.line,
            f.column,
            f.message,
            f.output,
        )
        for f in result.findings
        if f.name == rule.name
    )
    assert found == sorted(example.expect)


@pytest.mark.parametrize(("rule", "example"), GOOD)
def test_good_example_is_clean(linter: Linter, rule: Rule, example: Example) -> None:
    assert _findings(linter, rule, example) == []


def test_every_rule_has_detection_code_and_examples() -> None:
    from jupyter_mllens.checkers import CHECKERS, SYNTAX_ERROR

    specs = {rule.name for rule in CATALOG.rules if rule.detect}
    names = {cls.name for cls in CHECKERS} | {SYNTAX_ERROR} | specs
    assert names == {rule.name for rule in CATALOG.rules}
    for rule in CATALOG.rules:
        assert rule.bad
        assert rule.good


def test_rule_codes_and_names_are_unique_and_cite_real_best_practices() -> None:
    codes = [r.code for r in CATALOG.rules]
    assert len(codes) == len(set(codes))
    for rule in CATALOG.rules:
        for practice in rule.best_practices:
            assert practice.url.startswith("https://docs.aws.amazon.com/wellarchitected/")


def test_docs_are_generated_from_the_catalog() -> None:
    from jupyter_mllens.docs import DOCS_PATH, catalog_markdown

    assert DOCS_PATH.read_text("utf-8") == catalog_markdown(CATALOG), (
        "docs/rules.md is stale: run `python -m jupyter_mllens.docs`"
    )


def test_docs_place_every_rule_in_the_pillar_by_phase_table() -> None:
    from jupyter_mllens.docs import catalog_markdown
    from jupyter_mllens.lens import PHASES, PILLARS

    text = catalog_markdown(CATALOG)
    table = text.split("## Pillars by lifecycle phase", 1)[1].split("\n## ", 1)[0]
    rows = {line.split(" | ")[0][2:]: line for line in table.splitlines() if line.startswith("| ")}
    assert [p.title for p in PILLARS] == [name for name in rows if name != "Pillar"]
    columns = [p.id for p in PHASES]
    for rule in CATALOG.rules:
        for pillar in PILLARS:
            cell = rows[pillar.title].strip("| ").split(" | ")[1 + columns.index(rule.phase)]
            link = f"[{rule.name}](#{rule.name}-{rule.code.lower()})"
            assert (link in cell) == (pillar.id in rule.pillars), (rule.name, pillar.id)
