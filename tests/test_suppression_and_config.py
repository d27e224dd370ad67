"""Suppressions in cells and metadata, and configuration from pyproject.toml / mllens.toml."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from jupyter_mllens.catalog import load_catalog
from jupyter_mllens.config import (
    Config,
    ConfigError,
    config_from_file,
    config_from_settings,
    load_config,
)
from jupyter_mllens.engine import Linter
from jupyter_mllens.findings import Finding, Severity

Lint = Callable[..., list[Finding]]
READ = "import pandas as pd\ndf = pd.read_csv('data/train.csv')"


def test_line_suppression_by_name_and_code(lint: Lint) -> None:
    assert lint(READ + "  # mllens: ignore[unversioned-data]") == []
    assert lint(READ + "  # mllens: ignore[MLL201]") == []
    assert lint(READ + "  # mllens: ignore") == []
    assert len(lint(READ + "  # mllens: ignore[hardcoded-credentials]")) == 1


def test_cell_suppression_on_first_line(lint: Lint) -> None:
    assert lint("# mllens: ignore[unversioned-data]\n" + READ) == []
    assert len(lint("import os  # mllens: ignore[unversioned-data]\n" + READ)) == 1


def test_notebook_metadata_suppression(lint: Lint) -> None:
    metadata = {"mllens": {"ignore": ["MLL201"]}, "kernelspec": {"language": "python"}}
    assert lint(READ, metadata=metadata) == []


def test_config_select_ignore_severity_and_per_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.mllens]\nignore = ["hardcoded-credentials"]\n'
        '[tool.mllens.severity]\nunversioned-data = "low"\n'
        '[tool.mllens.per-file-ignores]\n"scratch/*" = ["MLL2"]\n',
        "utf-8",
    )
    nested = tmp_path / "scratch" / "deep"
    nested.mkdir(parents=True)
    config = load_config(nested)
    assert config.source == tmp_path / "pyproject.toml"
    catalog = load_catalog()
    rule = catalog.get("unversioned-data")
    assert rule is not None
    assert config.severity_of(rule) is Severity.LOW
    enabled = {r.name for r in config.enabled_rules(str(tmp_path / "a.ipynb"), catalog)}
    assert "hardcoded-credentials" not in enabled
    assert "unversioned-data" in enabled
    enabled = {r.name for r in config.enabled_rules(str(tmp_path / "scratch" / "b.ipynb"), catalog)}
    assert "unversioned-data" not in enabled


def test_mllens_toml_and_root_bound(tmp_path: Path) -> None:
    (tmp_path / "mllens.toml").write_text('select = ["MLL1"]\n', "utf-8")
    inner = tmp_path / "project"
    inner.mkdir()
    assert load_config(inner).select == ("MLL1",)
    assert load_config(inner, root=inner) == Config()


def test_pyproject_without_section_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "mllens.toml").write_text('ignore = ["syntax-error"]\n', "utf-8")
    inner = tmp_path / "pkg"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "p"\n', "utf-8")
    assert load_config(inner).ignore == ("syntax-error",)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"select": ["no-such-rule"]}, "unknown rule"),
        ({"colour": True}, "unknown setting"),
        ({"severity": {"unversioned-data": "catastrophic"}}, "unknown severity"),
        ({"ignore": 3}, "must be a list"),
    ],
)
def test_bad_config_is_a_clear_error(settings: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        config_from_settings(settings)


def test_cli_flags_win() -> None:
    config = Config(select=("MLL2",), ignore=("syntax-error",)).with_overrides(
        select=["ALL"], ignore=["MLL3"]
    )
    assert config.select == ("ALL",)
    assert config.ignore == ("syntax-error", "MLL3")


def test_severity_override_reaches_findings(linter: Linter) -> None:
    from tests.conftest import notebook_json

    config = config_from_settings({"severity": {"MLL201": "info"}})
    result = linter.lint_notebook(notebook_json(READ), "n.ipynb", config)
    assert [f.severity for f in result.findings] == [Severity.INFO]


def test_per_file_ignores_match_the_location_on_disk(linter: Linter, tmp_path: Path) -> None:
    from tests.conftest import notebook_json

    config = config_from_settings(
        {"per-file-ignores": {"scratch/*": ["unversioned-data"]}}, tmp_path / "mllens.toml"
    )
    notebook = notebook_json(READ)
    # The server names notebooks by their path under its root, which need not be the cwd.
    shown = "scratch/a.ipynb"
    assert linter.lint_notebook(notebook, shown, config, location=tmp_path / shown).findings == ()
    assert (
        len(
            linter.lint_notebook(
                notebook, shown, config, location=tmp_path / "work" / "a.ipynb"
            ).findings
        )
        == 1
    )


def test_config_discovery_never_reads_outside_the_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "mllens.toml").write_text('select = ["bogus-rule-that-would-fail"]\n', "utf-8")
    root = tmp_path / "root"
    root.mkdir()
    (root / "linked").symlink_to(outside, target_is_directory=True)
    assert load_config(root / "linked" / "nb.ipynb", root=root) == Config()


@pytest.fixture
def secret_outside(tmp_path: Path) -> tuple[Path, Path]:
    """A server root, and outside it a TOML file whose key names are private."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "private.toml").write_text('private-key-name-7f3a = "x"\n', "utf-8")
    root = tmp_path / "root"
    (root / "project").mkdir(parents=True)
    return root, outside / "private.toml"


@pytest.mark.parametrize("name", ["mllens.toml", "pyproject.toml"])
def test_a_config_link_leading_outside_the_root_is_not_read(
    secret_outside: tuple[Path, Path], name: str
) -> None:
    root, private = secret_outside
    (root / "project" / name).symlink_to(private)
    with pytest.raises(ConfigError) as failure:
        load_config(root / "project" / "nb.ipynb", root=root)
    message = str(failure.value)
    assert message == (
        f"project/{name}: is a symbolic link that leads outside the server root; it was not read"
    )
    assert "private" not in message
    assert str(private.parent) not in message


def test_a_config_link_inside_the_root_is_read(tmp_path: Path) -> None:
    (tmp_path / "shared.toml").write_text('ignore = ["unversioned-data"]\n', "utf-8")
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "mllens.toml").symlink_to(tmp_path / "shared.toml")
    config = load_config(tmp_path / "project" / "nb.ipynb", root=tmp_path)
    assert config.ignore == ("unversioned-data",)


def test_without_a_root_a_linked_config_is_read_wherever_it_leads(
    secret_outside: tuple[Path, Path],
) -> None:
    """The CLI reads what its user points it at; only the server has a root to keep."""
    root, private = secret_outside
    (root / "project" / "mllens.toml").symlink_to(private)
    with pytest.raises(ConfigError, match="unknown setting"):
        load_config(root / "project" / "nb.ipynb")


def test_a_config_symlink_loop_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "mllens.toml").symlink_to("other.toml")
    (tmp_path / "other.toml").symlink_to("mllens.toml")
    with pytest.raises(ConfigError, match=r"mllens\.toml: symbolic link loop"):
        load_config(tmp_path / "nb.ipynb", root=tmp_path)


def test_a_fifo_named_like_a_config_file_is_not_opened(tmp_path: Path) -> None:
    """Not a regular file, so not a config file: skipped, and the search goes on upwards."""
    (tmp_path / "mllens.toml").write_text('ignore = ["unversioned-data"]\n', "utf-8")
    (tmp_path / "sub").mkdir()
    os.mkfifo(tmp_path / "sub" / "mllens.toml")
    assert load_config(tmp_path / "sub" / "nb.ipynb").ignore == ("unversioned-data",)


def test_a_fifo_given_as_the_config_file_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "mllens.toml")
    with pytest.raises(ConfigError, match=r"not a regular file \(FIFO\)"):
        config_from_file(tmp_path / "mllens.toml")


def test_a_path_too_long_for_the_file_system_finds_the_config_above_it(tmp_path: Path) -> None:
    (tmp_path / "mllens.toml").write_text('ignore = ["unversioned-data"]\n', "utf-8")
    deep = tmp_path / ("n" * 300) / ("m" * 300) / "nb.ipynb"
    assert load_config(deep, root=tmp_path).ignore == ("unversioned-data",)


def test_toml_nested_too_deeply_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "mllens.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", "utf-8")
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_config(tmp_path / "nb.ipynb")
