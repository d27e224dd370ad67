"""The demo notebooks in notebooks/: each reports exactly the rule it demonstrates.

Runs the real CLI, in-process and once as a subprocess, over the committed notebooks, and checks
that no output format ever prints a secret from the credentials demo.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import pytest

from jupyter_mllens.cli import main

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

CREDENTIALS = "01_hardcoded_credentials.ipynb"
DATA = "02_unversioned_data.ipynb"
TRACKING = "03_missing_experiment_tracking.ipynb"
SPLIT = "04_no_evaluation_split.ipynb"
CLEAN = "05_well_architected.ipynb"
PANEL = "06_in_notebook_panel.ipynb"
SAGEMAKER = "07_sagemaker_job_settings.ipynb"
HYGIENE = "10_notebook_hygiene.ipynb"
TRAINING = "09_training_hygiene.ipynb"
LEAKAGE = "08_data_leakage.ipynb"
ARTIFACTS = "11_artifacts_and_access.ipynb"
HANDOFF = "12_unchecked_data_unregistered_model.ipynb"

#: notebook -> the rule names it must report (and no others).
RULES: dict[str, set[str]] = {
    CREDENTIALS: {"hardcoded-credentials"},
    DATA: {"unversioned-data"},
    TRACKING: {"missing-experiment-tracking"},
    SPLIT: {"no-evaluation-split"},
    CLEAN: set(),
    PANEL: {"hardcoded-credentials"},
    SAGEMAKER: {
        "training-without-encryption",
        "training-without-network-isolation",
        "training-without-spot-instances",
        "training-without-max-runtime",
        "distributed-training-without-intercontainer-encryption",
        "deploy-from-notebook",
        "endpoint-without-data-capture",
        "endpoint-not-deleted",
    },
    HYGIENE: {"secret-in-output", "hardcoded-local-path", "out-of-order-execution"},
    TRAINING: {"row-wise-dataframe-loop", "training-without-early-stopping"},
    LEAKAGE: {"data-leakage", "missing-random-seed"},
    ARTIFACTS: {
        "unpinned-install",
        "unpinned-pretrained-model",
        "remote-code-on-load",
        "tls-verification-disabled",
        "unsafe-deserialization",
        "hardcoded-aws-identifiers",
        "public-data-access",
    },
    HANDOFF: {"missing-data-validation", "unregistered-model"},
}

#: notebook -> every finding it should report: (cell number as shown, line, rule, message part).
#: Cell numbers count all cells from 1, markdown included, as `mllens` prints them.
FINDINGS: dict[str, set[tuple[int, int, str, str]]] = {
    CREDENTIALS: {
        (4, 1, "hardcoded-credentials", "GitHub token 'ghp_****' in a shell command"),
        (5, 1, "hardcoded-credentials", "OpenAI API key 'sk-p****' in a magic"),
        (7, 2, "hardcoded-credentials", "AWS access key ID 'AKIA****'"),
        (7, 3, "hardcoded-credentials", "secret 'wJ7k****' for `aws_secret_access_key`"),
        (11, 1, "hardcoded-credentials", "password embedded in a URL 'Gr4n****'"),
    },
    DATA: {
        (5, 2, "unversioned-data", "`wget` downloads 'https://date.nager.at/"),
        (
            6,
            1,
            "unversioned-data",
            "'https://raw.githubusercontent.com/acme-analytics/datasets/main/",
        ),
        (6, 2, "unversioned-data", "the local file 'data/crm_export_q2.csv'"),
        (
            7,
            1,
            "unversioned-data",
            "loads 'acme-analytics/support-tickets' from the Hub without a pinned",
        ),
    },
    TRACKING: {
        (8, 2, "missing-experiment-tracking", "(RandomForestClassifier.fit)"),
    },
    SPLIT: {
        (9, 1, "no-evaluation-split", "`clf` is evaluated on `X`, the data it was fit on"),
    },
    CLEAN: set(),
    PANEL: {
        (9, 1, "hardcoded-credentials", "Hugging Face token 'hf_X****'"),
    },
    # The "before" cells only: the "after" cells configure the same jobs and endpoint right.
    SAGEMAKER: {
        (4, 1, "training-without-encryption", "`PyTorch(...)` encrypts its output in S3 only"),
        (4, 1, "training-without-network-isolation", "`PyTorch(...)` runs with outbound"),
        (4, 1, "training-without-spot-instances", "runs on `ml.g5.2xlarge` at on-demand"),
        (4, 1, "training-without-max-runtime", "`PyTorch(...)` has no `max_run`"),
        (4, 4, "training-without-encryption", "storage volume and output in S3 only"),
        (4, 4, "training-without-network-isolation", "`SKLearnProcessor(...)` runs with"),
        (4, 4, "training-without-max-runtime", "has no `max_runtime_in_seconds`"),
        (
            6,
            1,
            "distributed-training-without-intercontainer-encryption",
            "`PyTorch(...)` runs on 2 instances whose traffic to each other",
        ),
        (10, 1, "training-without-encryption", "`tuned.deploy` creates an endpoint whose storage"),
        (10, 1, "deploy-from-notebook", "deploys endpoint `churn-scoring-prod` by hand"),
        (10, 1, "endpoint-without-data-capture", "records none of its requests and predictions"),
        (10, 1, "endpoint-not-deleted", "the notebook never deletes"),
    },
    HYGIENE: {
        (4, 1, "secret-in-output", "Hugging Face token 'hf_D****' is saved in the cell's printed"),
        (8, 1, "hardcoded-local-path", "'/Users/ana/Downloads/churn.csv' will not exist"),
        (12, 1, "out-of-order-execution", "cell ran as In [6] but cell 11 above it ran later"),
    },
    TRAINING: {
        (5, 1, "row-wise-dataframe-loop", "`iterrows` loop computes per-row values"),
        (8, 5, "training-without-early-stopping", "Sequential.fit trains for 200 epochs"),
    },
    LEAKAGE: {
        (5, 1, "data-leakage", "`StandardScaler.fit_transform` learns from `X`, and its output"),
        (7, 1, "data-leakage", "`SMOTE.fit_resample` learns from `X`"),
        (9, 4, "data-leakage", "learns from `X_test`, held-out data"),
        (11, 1, "missing-random-seed", "`train_test_split` shuffles differently on every run"),
    },
    # The "before" cells only: each is followed by its fix, which reports nothing.
    ARTIFACTS: {
        (3, 1, "unpinned-install", "installs `transformers`, `datasets` without exact versions"),
        (7, 1, "unpinned-pretrained-model", "without a pinned `revision=`"),
        (10, 1, "remote-code-on-load", "pipes a download straight into an interpreter"),
        (13, 1, "tls-verification-disabled", "`requests.get` is called with `verify=False`"),
        (13, 2, "unsafe-deserialization", "`pickle.loads` unpickles"),
        (13, 3, "unsafe-deserialization", "`yaml.load` builds arbitrary Python objects"),
        (16, 1, "hardcoded-aws-identifiers", "IAM role ARN"),
        (16, 4, "public-data-access", "gives the object the canned ACL 'public-read'"),
    },
    # Notebook-wide rules: their fix is 05_well_architected.ipynb.
    HANDOFF: {
        (5, 2, "missing-data-validation", "trains on data read by `pd.read_csv`"),
        (7, 1, "unregistered-model", "trained model `model` is saved to a file (`joblib.dump`)"),
    },
}

#: The fake secrets typed into the credentials demo; none may ever be printed unmasked.
SECRETS = (
    "ghp_8fKq2ZrT5vWx7NcY3mLp9HsD4gJb6QaE1uRo",
    "sk-proj-Q7mZp3Lx9Vt2Rb8Nc4Hw6Jk1Yd5Fs0Ga7Ue3Io9Pq2Tw",
    "AKIA4HX7QJ2LMW5PZR3T",
    "wJ7kP2xR9mQ4vT1nB8cZ5hL3dF6gS0aY2eU7iO4q",
    "Gr4nite-Harb0ur-91",
)
#: The fake token the hygiene demo prints into a saved output.
OUTPUT_SECRET = "hf_DemoOnlyNotARealTokenQx7Vb2Kp9Wz4"
#: Which demo holds which planted secrets.
PLANTED = {CREDENTIALS: SECRETS, HYGIENE: (OUTPUT_SECRET,)}

FORMATS = ("text", "json", "sarif", "github")


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def lint_json(capsys: pytest.CaptureFixture[str], name: str) -> tuple[int, dict[str, Any]]:
    code, out, err = run_cli(capsys, "check", "--format", "json", str(NOTEBOOKS / name))
    assert err == ""
    data = json.loads(out)
    assert data["errors"] == []
    return code, data


def described(findings: list[dict[str, Any]]) -> set[tuple[int, int, str, str]]:
    """Findings as (cell number, line, rule, message) for comparing with FINDINGS."""
    return {(f["cell_index"] + 1, f["line"], f["name"], f["message"]) for f in findings}


def matches(
    expected: set[tuple[int, int, str, str]], actual: set[tuple[int, int, str, str]]
) -> set[tuple[int, int, str, str]]:
    """The expected findings that no actual finding matches (message compared by substring)."""
    return {e for e in expected if not any(e[:3] == a[:3] and e[3] in a[3] for a in actual)}


def unexpected(
    expected: set[tuple[int, int, str, str]], actual: set[tuple[int, int, str, str]]
) -> set[tuple[int, int, str, str]]:
    return {a for a in actual if not any(e[:3] == a[:3] and e[3] in a[3] for e in expected)}


# -- the notebooks themselves -------------------------------------------------------------------
def test_every_demo_notebook_is_tested_and_listed_in_the_readme() -> None:
    on_disk = {p.name for p in NOTEBOOKS.glob("*.ipynb")}
    assert on_disk == set(RULES)
    readme = (NOTEBOOKS / "README.md").read_text("utf-8")
    for name, rules in RULES.items():
        row = next(line for line in readme.splitlines() if line.startswith(f"| [{name}]"))
        for rule in rules:
            assert f"`{rule}`" in row


@pytest.mark.parametrize("name", sorted(RULES))
def test_demo_notebook_is_valid_nbformat_4_5(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=nbformat.NO_CONVERT)
    nbformat.validate(notebook)
    assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
    assert notebook.metadata.kernelspec.name == "python3"
    ids = [cell.id for cell in notebook.cells]
    assert len(set(ids)) == len(ids)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert len(code) >= 4
    if name == HYGIENE:  # the demo of saved state: every code cell ran and was saved
        assert all(cell.execution_count is not None for cell in code)
        assert any(cell.outputs for cell in code)
    else:
        assert all(cell.outputs == [] for cell in code)
    assert any(cell.cell_type == "markdown" for cell in notebook.cells)


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_demo_notebooks", NOTEBOOKS / "make_demo_notebooks.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", sorted(RULES))
def test_committed_notebook_matches_its_generator(name: str) -> None:
    generator = load_generator()
    assert (NOTEBOOKS / name).read_text("utf-8") == generator.render(name), (
        "regenerate with `python notebooks/make_demo_notebooks.py`"
    )


# -- what the CLI reports -----------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(RULES))
def test_demo_notebook_reports_only_its_rule(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, data = lint_json(capsys, name)
    assert {f["name"] for f in data["findings"]} == RULES[name]
    assert code == (1 if RULES[name] else 0)


@pytest.mark.parametrize("name", sorted(RULES))
def test_demo_notebook_reports_exactly_the_demonstrated_findings(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    _, data = lint_json(capsys, name)
    actual = described(data["findings"])
    assert matches(FINDINGS[name], actual) == set(), "expected findings are missing"
    assert unexpected(FINDINGS[name], actual) == set(), "findings nobody meant to demonstrate"
    assert len(actual) == len(FINDINGS[name])


def test_clean_notebook_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "check", str(NOTEBOOKS / CLEAN))
    assert (code, out, err) == (0, "No findings in 1 notebook.\n", "")


def test_text_output_names_cells_as_shown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "check", str(NOTEBOOKS / TRACKING))
    assert code == 1
    assert out.startswith(
        f"{NOTEBOOKS / TRACKING}:cell 8:2:1: MLL301 missing-experiment-tracking model is trained"
    )


def test_whole_folder_as_a_subprocess() -> None:
    """`python -m jupyter_mllens --format json notebooks/`, the way CI would call it."""
    completed = subprocess.run(
        [sys.executable, "-m", "jupyter_mllens", "--format", "json", "notebooks/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 1, completed.stderr
    data = json.loads(completed.stdout)
    assert data["errors"] == []
    by_notebook: dict[str, set[str]] = {name: set() for name in RULES}
    for finding in data["findings"]:
        path = Path(finding["path"])
        assert path.parent == Path("notebooks")
        by_notebook[path.name].add(finding["name"])
    assert by_notebook == RULES


# -- secrets never leak -------------------------------------------------------------------------
def leaked(output: str, secrets: tuple[str, ...] = SECRETS) -> list[str]:
    """Pieces of a secret longer than the 4 characters a finding may show."""
    return [
        secret[i : i + 5]
        for secret in secrets
        for i in range(len(secret) - 4)
        if secret[i : i + 5] in output
    ]


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_the_secrets_are_in_the_notebook(name: str) -> None:
    text = (NOTEBOOKS / name).read_text("utf-8")
    assert all(secret in text for secret in PLANTED[name])


@pytest.mark.parametrize("name", sorted(PLANTED))
@pytest.mark.parametrize("output_format", FORMATS)
def test_no_format_prints_a_secret(
    capsys: pytest.CaptureFixture[str], output_format: str, name: str
) -> None:
    code, out, err = run_cli(capsys, "check", "--format", output_format, str(NOTEBOOKS / name))
    assert code == 1
    assert "****" in out
    assert leaked(out + err, PLANTED[name]) == []


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_show_source_masks_a_secret_in_an_output(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, out, err = run_cli(capsys, "check", "--show-source", str(NOTEBOOKS / name))
    assert code == 1
    assert leaked(out + err, PLANTED[name]) == []


def test_show_source_shows_the_output_line_of_an_output_finding(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run_cli(
        capsys, "check", "--show-source", "--select", "MLL108", str(NOTEBOOKS / HYGIENE)
    )
    assert f"{NOTEBOOKS / HYGIENE}:cell 4:output 1:1:12: MLL108" in out
    assert "    Hub token: hf_D****" in out


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_no_format_prints_a_secret_to_a_report_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    for output_format in FORMATS:
        report = tmp_path / f"report.{output_format}"
        code, out, err = run_cli(
            capsys,
            "check",
            "--format",
            output_format,
            "--output",
            str(report),
            str(NOTEBOOKS / name),
        )
        assert code == 1
        assert leaked(out + err + report.read_text("utf-8"), PLANTED[name]) == []
