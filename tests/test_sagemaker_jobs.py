"""The shared reading of SageMaker jobs: which settings a construction received, and how.

The six SageMaker job rules ask one question of a job, "was it given this setting?", so the
ways a keyword reaches a constructor (a `**dict`, a store into that dict, an attribute set
afterwards, a config object bound to a name) are tested once here, through the rules.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jupyter_mllens.analysis import CellCache, NotebookContext
from jupyter_mllens.analysis.context import AnalyzedCell
from jupyter_mllens.checkers.sagemaker_jobs import (
    UNKNOWN,
    constructions,
    is_local,
    literal,
    lookup,
    uses_sdk_defaults,
)
from jupyter_mllens.config import config_from_settings
from jupyter_mllens.engine import Linter
from jupyter_mllens.findings import Finding
from jupyter_mllens.reader import code_notebook, parse_notebook
from tests.conftest import notebook_json

Lint = Callable[..., list[Finding]]

_MAX_RUNTIME = "training-without-max-runtime"
_PYTORCH = "from sagemaker.pytorch import PyTorch\n"


def _context(*cells: str) -> NotebookContext:
    document = parse_notebook(code_notebook(cells), "nb.ipynb")
    cache = CellCache()
    return NotebookContext(
        document, [AnalyzedCell(cell, cache.get(cell.source)) for cell in document.cells]
    )


def _rules(found: list[Finding]) -> list[str]:
    return [f.name for f in found]


@pytest.mark.parametrize(
    "cells",
    [
        # a dict literal bound to a name, unpacked
        (_PYTORCH + 'limits = {"max_run": 3600}\nest = PyTorch(entry_point="t.py", **limits)',),
        # `dict(...)`, in another cell
        ("limits = dict(max_run=3600)", _PYTORCH + 'est = PyTorch(entry_point="t.py", **limits)'),
        # a key stored into the dict before the call
        (
            _PYTORCH
            + 'args = {}\nargs["max_run"] = 3600\nest = PyTorch(entry_point="t.py", **args)',
        ),
        # an attribute set on the estimator after it was made, in a later cell
        (_PYTORCH + 'est = PyTorch(entry_point="t.py")', "est.max_run = 3600\nest.fit()"),
        # a `**value` that cannot be read: any keyword may be in it
        (_PYTORCH + 'est = PyTorch(entry_point="t.py", **load_settings())',),
    ],
)
def test_a_setting_reaches_the_job_in_every_way_a_notebook_writes_it(
    lint: Lint, cells: tuple[str, ...]
) -> None:
    assert _MAX_RUNTIME not in _rules(lint(*cells))


@pytest.mark.parametrize(
    "cells",
    [
        # stored into the dict only after the call: the job did not get it
        (_PYTORCH + 'args = {}\nest = PyTorch(entry_point="t.py", **args)\nargs["max_run"] = 1',),
        # an attribute set on another object bound to the same name later
        (
            _PYTORCH + 'est = PyTorch(entry_point="t.py")',
            'est = PyTorch(entry_point="u.py")\nest.max_run = 3600',
        ),
        # `max_run=None` is the default
        (_PYTORCH + 'est = PyTorch(entry_point="t.py", max_run=None)',),
    ],
)
def test_a_setting_given_too_late_or_to_another_object_does_not_count(
    lint: Lint, cells: tuple[str, ...]
) -> None:
    assert _MAX_RUNTIME in _rules(lint(*cells))


def test_the_job_given_the_attribute_is_the_one_kept_quiet(lint: Lint) -> None:
    found = [
        f
        for f in lint(
            _PYTORCH + 'first = PyTorch(entry_point="t.py")\nsecond = PyTorch(entry_point="u.py")',
            "second.max_run = 60",
        )
        if f.name == _MAX_RUNTIME
    ]
    assert [(f.cell_index, f.line) for f in found] == [(0, 2)]


def test_nested_config_objects_are_read_through_names() -> None:
    ctx = _context(
        "from sagemaker.train import ModelTrainer\n"
        "from sagemaker.train.configs import Compute\n"
        'compute = Compute(instance_type="ml.g5.xlarge", enable_managed_spot_training=True)',
        "trainer = ModelTrainer(training_image=image, compute=compute)\n"
        "other = ModelTrainer(training_image=image, compute=platform_compute())",
    )
    trainer, other = [m for m in constructions(ctx) if m.cls == "ModelTrainer"]
    spot = lookup(ctx, trainer, "compute.enable_managed_spot_training")
    assert spot is not None
    assert literal(ctx, spot) is True
    assert lookup(ctx, trainer, "compute.volume_kms_key_id") is None
    assert lookup(ctx, trainer, "networking.enable_network_isolation") is None
    # A config object made by something the linter cannot read may hold anything.
    assert lookup(ctx, other, "compute.enable_managed_spot_training") is UNKNOWN


@pytest.mark.parametrize(
    ("source", "local"),
    [
        ('PyTorch(entry_point="t.py", instance_type="local")', True),
        ('PyTorch(entry_point="t.py", instance_type="local_gpu")', True),
        ('kind = "local"\nPyTorch(entry_point="t.py", instance_type=kind)', True),
        ('PyTorch(entry_point="t.py", instance_type="local" if dev else "ml.g5.xlarge")', True),
        (
            "from sagemaker.local import LocalSession\nPyTorch(sagemaker_session=LocalSession())",
            True,
        ),
        ('PyTorch(entry_point="t.py", instance_type="ml.g5.xlarge")', False),
        ('Estimator(image, role, 1, "local")', True),
    ],
)
def test_local_mode(source: str, local: bool) -> None:
    ctx = _context(
        "from sagemaker.pytorch import PyTorch\nfrom sagemaker.estimator import Estimator\n"
        + source
    )
    (made,) = [m for m in constructions(ctx) if m.cls in ("PyTorch", "Estimator")]
    assert is_local(ctx, made) is local


@pytest.mark.parametrize(
    ("source", "defaults"),
    [
        ('import os\nos.environ["SAGEMAKER_USER_CONFIG_OVERRIDE"] = "config.yaml"', True),
        ("from sagemaker.config import load_sagemaker_config\ncfg = load_sagemaker_config()", True),
        ("%env SAGEMAKER_ADMIN_CONFIG_OVERRIDE=/opt/config.yaml", True),
        ("import sagemaker\nsession = sagemaker.Session(sagemaker_config=cfg)", True),
        ('import os\nos.environ["AWS_DEFAULT_REGION"] = "eu-west-1"', False),
    ],
)
def test_sdk_defaults_are_noticed(source: str, defaults: bool) -> None:
    assert uses_sdk_defaults(_context(source)) is defaults


def test_constructions_are_only_classes_under_sagemaker() -> None:
    ctx = _context(
        "import sagemaker\nfrom sklearn.cluster import KMeans\nfrom sagemaker import KMeans as SMKMeans\n"
        "KMeans(n_clusters=3)\nSMKMeans(role=role, k=3)\nsagemaker.get_execution_role()\n"
        'sagemaker.estimator.Estimator.attach("job")'
    )
    assert [str(m.qualified) for m in constructions(ctx)] == ["sagemaker.KMeans"]


def test_sdk_v1_keywords_are_read_under_their_v2_names() -> None:
    ctx = _context(
        "from sagemaker.pytorch import PyTorch\n"
        'est = PyTorch(entry_point="t.py", train_instance_type="ml.p2.xlarge", train_max_run=60)'
    )
    (made,) = constructions(ctx)
    assert literal(ctx, lookup(ctx, made, "instance_type")) == "ml.p2.xlarge"
    assert lookup(ctx, made, "max_run") is not None


def test_a_team_adds_its_own_estimator_class_through_the_rule_options(linter: Linter) -> None:
    """`jobs` options extend the classes a rule checks (an in-house subclass of `Estimator`)."""
    cells = (
        "from sagemaker.acme import AcmeEstimator\n"
        'est = AcmeEstimator(entry_point="t.py", instance_type="ml.m5.xlarge")',
    )
    shipped = linter.lint_notebook(notebook_json(*cells), "nb.ipynb").findings
    assert _MAX_RUNTIME not in _rules(list(shipped))
    config = config_from_settings({"rules": {_MAX_RUNTIME: {"jobs": ["AcmeEstimator"]}}})
    extended = linter.lint_notebook(notebook_json(*cells), "nb.ipynb", config).findings
    assert _MAX_RUNTIME in _rules(list(extended))
