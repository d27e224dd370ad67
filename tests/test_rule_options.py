"""Rules' library knowledge as data: `[knowledge]` in the catalog, `[tool.mllens.rules.<name>]`.

Each option changes findings the way its documentation says; malformed knowledge fails
the catalog load and malformed options fail the configuration load, naming file and key.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from jupyter_mllens import catalog as catalog_module
from jupyter_mllens.catalog import CatalogError, load_catalog, rules_directory
from jupyter_mllens.config import Config, ConfigError, config_from_settings, load_config
from jupyter_mllens.docs import rule_markdown
from jupyter_mllens.engine import Linter
from jupyter_mllens.findings import Finding

from .conftest import notebook_json

IN_HOUSE_TRACKING = (
    "import acme_ml\n"
    "from sklearn.linear_model import LogisticRegression\n"
    "acme_ml.log_run(params={'C': 1.0})\n"
    "model = LogisticRegression()\n"
    "model.fit(X_train, y_train)"
)


def findings(linter: Linter, config: Config, *cells: str) -> list[Finding]:
    result = linter.lint_notebook(notebook_json(*cells), "nb.ipynb", config)
    assert not result.errors, result.errors
    return list(result.findings)


def names(found: list[Finding]) -> list[str]:
    return [finding.name for finding in found]


def write_pyproject(directory: Path, table: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "pyproject.toml").write_text(f"[project]\nname = 'x'\n\n{table}\n", "utf-8")
    return directory / "nb.ipynb"


# -- missing-experiment-tracking ---------------------------------------------------------


def test_an_in_house_tracker_configured_in_pyproject_counts_as_tracking(
    linter: Linter, tmp_path: Path
) -> None:
    assert "missing-experiment-tracking" in names(findings(linter, Config(), IN_HOUSE_TRACKING))
    notebook = write_pyproject(
        tmp_path,
        '[tool.mllens.rules.missing-experiment-tracking]\ntrackers = ["acme_ml.log_run"]',
    )
    config = load_config(notebook)
    assert config.options_of("missing-experiment-tracking") == {"trackers": ("acme_ml.log_run",)}
    assert "missing-experiment-tracking" not in names(findings(linter, config, IN_HOUSE_TRACKING))


def test_a_tracker_module_covers_every_call_under_it(linter: Linter) -> None:
    config = config_from_settings(
        {"rules": {"missing-experiment-tracking": {"trackers": ["acme_ml.tracking"]}}}
    )
    cell = IN_HOUSE_TRACKING.replace("acme_ml.log_run", "acme_ml.tracking.start")
    assert "missing-experiment-tracking" not in names(findings(linter, config, cell))
    # a sibling module of the configured one is not tracking
    other = IN_HOUSE_TRACKING.replace("acme_ml.log_run", "acme_ml.plots.show")
    assert "missing-experiment-tracking" in names(findings(linter, config, other))


def test_options_extend_the_shipped_knowledge_rather_than_replace_it(linter: Linter) -> None:
    config = config_from_settings(
        {"rules": {"missing-experiment-tracking": {"trackers": ["acme_ml.log_run"]}}}
    )
    mlflow = IN_HOUSE_TRACKING.replace("acme_ml.log_run", "mlflow.log_params").replace(
        "import acme_ml", "import mlflow"
    )
    assert "missing-experiment-tracking" not in names(findings(linter, config, mlflow))


# -- unversioned-data ------------------------------------------------------------------------

ACME_DATA = {
    "rules": {
        "unversioned-data": {
            "readers": ["acme_io.read_table"],
            "own-storage": ["s3://acme-ml-artifacts/", "gs://acme-datasets/"],
        }
    }
}


def unversioned(found: list[Finding]) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.message) for f in found if f.name == "unversioned-data"]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            'import acme_io\ndf = acme_io.read_table("s3://raw-bucket/events.parquet")',
            "`acme_io.read_table` reads the object store path 's3://raw-bucket/events.parquet' "
            "with no version pin; the notebook's results can change when that data does",
        ),
        (
            'import acme_io\ndf = acme_io.read_table(path="data/train.csv", sep="|")',
            "`acme_io.read_table` reads the local file 'data/train.csv' with no version pin; "
            "the notebook's results can change when that data does",
        ),
    ],
)
def test_a_read_by_an_in_house_reader_is_reported(linter: Linter, cell: str, message: str) -> None:
    assert unversioned(findings(linter, Config(), cell)) == []
    config = config_from_settings(ACME_DATA)
    assert unversioned(findings(linter, config, cell)) == [(2, 6, message)]


@pytest.mark.parametrize(
    "cell",
    [
        'import pandas as pd\ndf = pd.read_csv("s3://acme-ml-artifacts/features/train.csv")',
        'import pandas as pd\ndf = pd.read_parquet("gs://acme-datasets/x.parquet")',
        "!aws s3 cp s3://acme-ml-artifacts/raw/train.csv .\n!gsutil cp gs://acme-datasets/i.tar .",
        'import boto3\ns3 = boto3.client("s3")\n'
        's3.download_file("acme-ml-artifacts", "raw/train.csv", "train.csv")',
        "from sagemaker.s3 import S3Downloader\n"
        'S3Downloader.download("s3://acme-ml-artifacts/raw/train.csv", "data")',
    ],
)
def test_reads_from_own_storage_are_not_reported(linter: Linter, cell: str) -> None:
    assert unversioned(findings(linter, Config(), cell)) != []
    assert unversioned(findings(linter, config_from_settings(ACME_DATA), cell)) == []


def test_own_storage_is_a_prefix_not_a_bucket_name_stem(linter: Linter) -> None:
    cell = 'import pandas as pd\ndf = pd.read_csv("s3://acme-ml-artifacts-public/train.csv")'
    assert len(unversioned(findings(linter, config_from_settings(ACME_DATA), cell))) == 1


# -- hardcoded-credentials -----------------------------------------------------------------

IN_HOUSE_CREDENTIAL = {
    "rules": {"hardcoded-credentials": {"credential-parameters": ["acme_db.connect:access@1"]}}
}


@pytest.mark.parametrize(
    ("cell", "column"),
    [
        ('import acme_db\nconn = acme_db.connect(host="db.internal", access="swordfish")', 51),
        ('import acme_db\nconn = acme_db.connect("db.internal", "swordfish")', 39),
        ('import acme_db\ncode = "swordfish"\nconn = acme_db.connect("db", access=code)', 8),
    ],
)
def test_a_literal_at_an_in_house_credential_parameter_is_reported_masked(
    linter: Linter, cell: str, column: int
) -> None:
    assert "hardcoded-credentials" not in names(findings(linter, Config(), cell))
    config = config_from_settings(IN_HOUSE_CREDENTIAL)
    (finding,) = [f for f in findings(linter, config, cell) if f.name == "hardcoded-credentials"]
    assert finding.column == column
    assert finding.message.startswith(
        "hard-coded secret 'sw****' for `access` of `acme_db.connect`;"
    )
    assert "swordfish" not in finding.message


def test_a_placeholder_at_an_in_house_credential_parameter_is_not_reported(
    linter: Linter,
) -> None:
    config = config_from_settings(IN_HOUSE_CREDENTIAL)
    cell = 'import acme_db\nconn = acme_db.connect("db", access="<your access code>")'
    assert "hardcoded-credentials" not in names(findings(linter, config, cell))


# -- configuration errors ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ("not a table", r"'rules' must be a table"),
        ({"no-such-rule": {}}, r"'rules\.no-such-rule': unknown rule name"),
        (
            {"MLL301": {"trackers": ["a.b"]}},
            r"'rules\.MLL301': unknown rule name \(did you mean 'missing-experiment-tracking'\?\)",
        ),
        (
            {"missing-experiment-tracking": {"tracker": ["a.b"]}},
            r"'rules\.missing-experiment-tracking\.tracker': unknown option "
            r"\(options of missing-experiment-tracking: trackers\)",
        ),
        (
            {"missing-experiment-tracking": {"trackers": "acme_ml.log_run"}},
            r"'rules\.missing-experiment-tracking\.trackers': must be a list of strings",
        ),
        (
            {"missing-experiment-tracking": {"trackers": ["acme ml.log_run"]}},
            r"'rules\.missing-experiment-tracking\.trackers': 'acme ml\.log_run' is not a "
            r"qualified name",
        ),
        ({"missing-experiment-tracking": ["acme_ml"]}, r"must be a table of option = \[entries\]"),
        (
            {"unversioned-data": {"own-storage": ["s3://acme bucket/"]}},
            r"'rules\.unversioned-data\.own-storage': 's3://acme bucket/' is not a location prefix",
        ),
        (
            {"unversioned-data": {"writers": ["to_acme"]}},
            r"'rules\.unversioned-data\.writers': unknown option "
            r"\(options of unversioned-data: own-storage, readers\)",
        ),
        (
            {"hardcoded-credentials": {"credential-parameters": ["acme_db.connect"]}},
            r"'rules\.hardcoded-credentials\.credential-parameters': 'acme_db\.connect' is not "
            r"`callable:keyword`",
        ),
        (
            {"cell-too-complex": {"trackers": ["acme_ml"]}},
            r"'rules\.cell-too-complex\.trackers': unknown option \(options of cell-too-complex: "
            r"none\)",
        ),
    ],
)
def test_bad_rule_options_are_config_errors(rules: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        config_from_settings({"rules": rules})


def test_a_bad_option_in_a_file_names_the_file_and_key(tmp_path: Path) -> None:
    notebook = write_pyproject(
        tmp_path, "[tool.mllens.rules.missing-experiment-tracking]\ntrackers = [1]"
    )
    with pytest.raises(ConfigError) as failure:
        load_config(notebook)
    assert str(failure.value) == (
        f"{tmp_path / 'pyproject.toml'}: 'rules.missing-experiment-tracking.trackers': "
        "must be a list of strings"
    )


# -- the knowledge in the catalog ------------------------------------------------------------


def test_the_shipped_knowledge_is_in_the_rules_own_file() -> None:
    rule = load_catalog().get("missing-experiment-tracking")
    assert rule is not None
    assert "mlflow" in rule.knowledge_of("trackers")
    assert ":report_to" in rule.knowledge_of("tracker-keywords")


def _load_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file: str, old: str, new: str
) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(Path(str(rules_directory())), copy)
    path = next(copy.glob(file))
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    monkeypatch.setattr(catalog_module, "rules_directory", lambda: copy)
    load_catalog.__wrapped__()


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "MLL101-hardcoded-credentials.toml",
            '"wandb.login:key"',
            '"wandb.login:key@x"',
            r"knowledge\.credential-parameters: 'wandb\.login:key@x' is not `callable:keyword`",
        ),
        (
            "MLL201-unversioned-data.toml",
            '"scan_*"',
            '"scan-*"',
            r"knowledge\.dataframe-readers: 'scan-\*' is not an identifier",
        ),
        (
            "MLL201-unversioned-data.toml",
            "own-storage = []",
            'own-storage = "s3://x/"',
            r"knowledge\.own-storage: must be a list of strings",
        ),
    ],
)
def test_malformed_knowledge_of_other_rules_fails_the_catalog_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file: str, old: str, new: str, message: str
) -> None:
    with pytest.raises(CatalogError, match=re.escape(file) + ": " + message):
        _load_copy(tmp_path, monkeypatch, file, old, new)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '    "mlflow",\n',
            '    "ml flow",\n',
            r"knowledge\.trackers: 'ml flow' is not a qualified",
        ),
        ('    "mlflow",\n', "    3,\n", r"knowledge\.trackers: must be a list of strings"),
        ('    "wandb",\n', '    "mlflow",\n', r"knowledge\.trackers: 'mlflow' is listed twice"),
        ("tracker-imports = [", "tracker-import = [", r"knowledge\.tracker-import: unknown key"),
        (
            '":report_to"',
            '"report_to"',
            r"knowledge\.tracker-keywords: 'report_to' is not `callable:keyword`",
        ),
    ],
)
def test_malformed_knowledge_fails_the_catalog_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, message: str
) -> None:
    with pytest.raises(CatalogError, match=r"MLL301-missing-experiment-tracking\.toml: " + message):
        _load_copy(tmp_path, monkeypatch, "MLL301-*.toml", old, new)


def test_explain_and_the_rule_docs_list_the_options() -> None:
    rule = load_catalog().get("missing-experiment-tracking")
    assert rule is not None
    text = rule_markdown(rule)
    assert "## Options" in text
    assert "[tool.mllens.rules.missing-experiment-tracking]" in text
    assert "- `trackers`: qualified names of in-house tracking calls" in text
    other = load_catalog().get("cell-too-complex")
    assert other is not None
    assert "## Options" not in rule_markdown(other)


# -- through the command line ----------------------------------------------------------------


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    return subprocess.run(
        [sys.executable, "-m", "jupyter_mllens", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_mllens_check_applies_the_options_of_the_nearest_pyproject(tmp_path: Path) -> None:
    notebook = write_pyproject(
        tmp_path, '[tool.mllens.rules.unversioned-data]\nreaders = ["acme_io.read_table"]'
    )
    cell = 'import acme_io\ndf = acme_io.read_table("s3://raw-bucket/events.parquet")'
    notebook.write_text(json.dumps(notebook_json(cell)), "utf-8")
    result = run_cli("check", "--format", "json", "nb.ipynb", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    found = json.loads(result.stdout)["findings"]
    assert [(f["name"], f["message"].split(" reads ")[0]) for f in found] == [
        ("unversioned-data", "`acme_io.read_table`")
    ]


def test_mllens_check_reports_a_bad_option_and_exits_2(tmp_path: Path) -> None:
    notebook = write_pyproject(
        tmp_path, '[tool.mllens.rules.unversioned-data]\nreader = ["acme_io.read_table"]'
    )
    notebook.write_text(json.dumps(notebook_json("x = 1")), "utf-8")
    result = run_cli("check", "nb.ipynb", cwd=tmp_path)
    assert result.returncode == 2
    assert "'rules.unversioned-data.reader': unknown option" in result.stderr
    assert "pyproject.toml" in result.stderr


def test_the_readme_example_of_rule_options_is_a_valid_configuration() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", readme, re.DOTALL)
    (example,) = [block for block in blocks if "[tool.mllens.rules." in block]
    settings = tomllib.loads(example)["tool"]["mllens"]
    config = config_from_settings(settings)
    assert config.options_of("hardcoded-credentials") == {
        "credential-parameters": ("acme_db.connect:password",)
    }
    assert set(config.options_of("unversioned-data")) == {"readers", "own-storage"}


def test_a_mllens_toml_takes_the_same_tables_without_the_tool_prefix(tmp_path: Path) -> None:
    (tmp_path / "mllens.toml").write_text(
        '[rules.unversioned-data]\nown-storage = ["s3://acme-ml-artifacts/"]\n', "utf-8"
    )
    config = load_config(tmp_path / "nb.ipynb")
    assert config.options_of("unversioned-data") == {"own-storage": ("s3://acme-ml-artifacts/",)}
    assert config.options_of("hardcoded-credentials") == {}


# -- no-evaluation-split -----------------------------------------------------------------------

IN_HOUSE_SCORING = (
    "from sklearn.model_selection import train_test_split\n"
    "from sklearn.linear_model import LogisticRegression\n"
    "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"
    "model = LogisticRegression().fit(X_train, y_train)\n"
    "report = model.assess(X_test, y_test)"
)

IN_HOUSE_TRAINING = (
    "import acme_ml\n"
    "booster = acme_ml.train({'depth': 3}, dtrain)\n"
    "booster.save_model('model.json')"
)


def split_findings(found: list[Finding]) -> list[str]:
    return [f.message for f in found if f.name == "no-evaluation-split"]


def test_an_in_house_scoring_method_in_pyproject_counts_as_an_evaluation(
    linter: Linter, tmp_path: Path
) -> None:
    assert split_findings(findings(linter, Config(), IN_HOUSE_SCORING))
    notebook = write_pyproject(
        tmp_path, '[tool.mllens.rules.no-evaluation-split]\nscore-methods = ["assess"]'
    )
    config = load_config(notebook)
    assert config.options_of("no-evaluation-split") == {"score-methods": ("assess",)}
    assert split_findings(findings(linter, config, IN_HOUSE_SCORING)) == []


def test_an_in_house_training_function_in_pyproject_is_training_for_every_rule(
    linter: Linter, tmp_path: Path
) -> None:
    assert split_findings(findings(linter, Config(), IN_HOUSE_TRAINING)) == []
    notebook = write_pyproject(
        tmp_path, '[tool.mllens.rules.no-evaluation-split]\ntrain-functions = ["acme_ml.train"]'
    )
    found = findings(linter, load_config(notebook), IN_HOUSE_TRAINING)
    assert split_findings(found) == [
        "`booster` is trained (acme_ml.train) but never evaluated on held-out data: split off "
        "a test set (train_test_split), cross-validate, or pass validation data"
    ]
    # the shared training entry points reach the other model-development rules too
    assert "missing-experiment-tracking" in names(found)


IN_HOUSE_MODEL = (
    "from acme_ml.models import ChurnModel\n"
    "model = ChurnModel(depth=4)\n"
    "model.fit(features, labels)\n"
    "model.save('churn.bin')"
)


def test_an_in_house_model_library_in_pyproject_makes_its_fit_training(
    linter: Linter, tmp_path: Path
) -> None:
    """`model-libraries` says whose classes are models: an imported class of another library
    is not assumed to train, and a transformer-like name never is."""
    scaler = IN_HOUSE_MODEL.replace("ChurnModel", "FeatureScaler")
    assert split_findings(findings(linter, Config(), IN_HOUSE_MODEL)) == []
    notebook = write_pyproject(
        tmp_path, '[tool.mllens.rules.no-evaluation-split]\nmodel-libraries = ["acme_ml"]'
    )
    config = load_config(notebook)
    assert config.options_of("no-evaluation-split") == {"model-libraries": ("acme_ml",)}
    assert split_findings(findings(linter, config, IN_HOUSE_MODEL))
    assert split_findings(findings(linter, config, scaler)) == []
