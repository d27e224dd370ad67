"""`syntax-error` and `non-python-notebook` findings as users see them, through the engine."""

from __future__ import annotations

from collections.abc import Callable

from jupyter_mllens.findings import Finding, Severity

Lint = Callable[..., list[Finding]]

R_CELLS = (
    "library(dplyr)\ntrain <- read.csv('train.csv')",
    "model <- glm(y ~ ., data = train, family = binomial)",
    "summary(model)\npreds <- predict(model, test, type = 'response')",
    "accuracy <- mean((preds > 0.5) == test$y)",
)


def test_r_code_labelled_python_gets_one_info_notice(lint: Lint) -> None:
    findings = lint(*R_CELLS)
    assert [f.name for f in findings] == ["non-python-notebook"]
    (notice,) = findings
    assert notice.severity is Severity.INFO
    assert "4 of 4 code cells read like R and 2 do not parse" in notice.message
    assert notice.cell_index == 1  # the first cell that fails to parse


def test_a_notebook_whose_metadata_says_r_is_skipped_silently(lint: Lint) -> None:
    metadata = {"kernelspec": {"name": "ir", "language": "R", "display_name": "R"}}
    assert lint(*R_CELLS, metadata=metadata) == []


def test_a_python_notebook_with_a_broken_cell_keeps_its_syntax_error(lint: Lint) -> None:
    findings = lint("import numpy as np", "x = np.arange(3)", "print 'rows', len(x)")
    assert [(f.name, f.cell_index) for f in findings] == [("syntax-error", 2)]


def test_syntax_error_positions_count_stripped_prompts(lint: Lint) -> None:
    (finding,) = lint(">>> x = 1\n>>> print 'x'")
    assert finding.name == "syntax-error"
    assert (finding.line, finding.column) == (2, 5)


def test_findings_in_a_pasted_indented_block_point_at_the_users_text(lint: Lint) -> None:
    source = "    import boto3\n    db_password = 'Tr0ub4dor&3-horse'"
    (finding,) = [f for f in lint(source) if f.name == "hardcoded-credentials"]
    second_line = source.split("\n")[1]
    assert finding.line == 2
    assert finding.column in (second_line.index("db_password") + 1, second_line.index("'") + 1)


def test_a_command_among_other_lines_is_reported_and_the_cell_still_analysed(lint: Lint) -> None:
    findings = lint("pip install boto3\ndb_password = 'Tr0ub4dor&3-horse'")
    by_name = {f.name: f for f in findings}
    # The command is still read as an install: it is unpinned, too.
    assert set(by_name) == {"syntax-error", "hardcoded-credentials", "unpinned-install"}
    error = by_name["syntax-error"]
    assert (error.line, error.column) == (1, 1)
    assert "write `%pip`" in error.message


def test_valid_ipython_gives_no_syntax_error(lint: Lint) -> None:
    cells = (
        "cd ../",
        "rm -rf checkpoints",
        "%%time\n%%bash\nls",
        ">>> x = 1",
        "    y = 2",
        'q = """Is it done?\nyes"""',
    )
    assert [f for f in lint(*cells) if f.name == "syntax-error"] == []
