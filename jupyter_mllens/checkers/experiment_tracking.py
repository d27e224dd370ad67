"""`missing-experiment-tracking`: models trained with nothing recording the run.

A notebook that trains (`training.py`, plus models its own helpers and classes make:
`model_origins.py`) and has no tracker anywhere gets one finding, at its first training
call. Local training is what the rule is about. A SageMaker-managed job (an estimator's or
tuner's `fit`, a `ModelTrainer.train()`) is different: the job record already keeps its
hyperparameters, metrics and artifacts, and only the experiment grouping that lets runs be
compared is missing, so such a notebook is told so at `info` (see docs/severity.md).

What counts as tracking is data: the `[knowledge]` table of
`rules/MLL301-missing-experiment-tracking.toml`, which a team extends with its in-house
tracker in `[tool.mllens.rules.missing-experiment-tracking]`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import ClassVar

import libcst as cst

from ..analysis import NotebookContext, Point
from ..analysis.qualified import QualifiedName
from ..findings import Severity
from ..knowledge import call_keywords
from .base import Checker, Violation
from .model_origins import MANAGED_TRAINERS, helper_training_calls
from .training import TrainingCall, training_calls

#: Values of `report_to=` / `log_with=` that turn reporting off.
_NO_REPORTING = ("none", "")

_LOCAL_MESSAGE = (
    "model is trained ({label}) but nothing in the notebook records the run: log parameters, "
    "metrics and artifacts with MLflow, Weights & Biases, SageMaker Experiments or another "
    "tracker"
)
_MANAGED_MESSAGE = (
    "SageMaker training job ({label}) is not grouped into an experiment: the job record keeps "
    "its hyperparameters, metrics and artifacts, but runs cannot be compared across jobs; pass "
    "`experiment_config=` or run it inside a SageMaker Experiments `Run`"
)
_IMAGE_NAME = re.compile(r"image|img|target|canvas|generated|pixels", re.IGNORECASE)
#: SageMaker jobs that record their candidates as trials themselves.
_SELF_TRACKING_JOBS = frozenset({"AutoML", "AutoMLV2"})
_MANAGED_TRAINERS = tuple(map(QualifiedName.parse, MANAGED_TRAINERS))


class MissingExperimentTracking(Checker):
    name = "missing-experiment-tracking"
    options: ClassVar[Mapping[str, str]] = {
        "trackers": "qualified names of in-house tracking calls or modules "
        '(`"acme_ml.log_run"`, `"acme_ml.tracking"`); a call to one counts as tracking',
    }

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        trainings = _trainings(ctx)
        if not trainings or _tracks(ctx):
            return
        local = [t for t in trainings if not _managed(t)]
        if local:
            first = local[0]
            yield Violation(
                first.call.cell, _LOCAL_MESSAGE.format(label=first.label), node=first.call.site.node
            )
            return
        first = trainings[0]
        yield Violation(
            first.call.cell,
            _MANAGED_MESSAGE.format(label=first.label),
            node=first.call.site.node,
            severity=Severity.INFO,
        )


def _trainings(ctx: NotebookContext) -> list[TrainingCall]:
    """Every training call, in document order, but SageMaker jobs that track themselves."""
    order = {id(call.site): index for index, call in enumerate(ctx.calls)}
    found = [*training_calls(ctx), *helper_training_calls(ctx)]
    found.sort(key=lambda training: order[id(training.call.site)])
    return [t for t in found if not _self_tracking(t) and not _optimises_an_input(ctx, t)]


def _managed(training: TrainingCall) -> bool:
    """A job SageMaker runs and records: an estimator, tuner or `ModelTrainer`, or a
    managed trainer's job (`NovaModelCustomizer(...).train()`)."""
    qualified = training.call.qualified
    if qualified is None:
        return False
    return qualified.is_any("sagemaker") or any(
        qualified.begins_with(trainer) for trainer in _MANAGED_TRAINERS
    )


def _self_tracking(training: TrainingCall) -> bool:
    qualified = training.call.qualified
    return (
        qualified is not None
        and qualified.is_any("sagemaker")
        and not _SELF_TRACKING_JOBS.isdisjoint(qualified.names)
    )


def _optimises_an_input(ctx: NotebookContext, training: TrainingCall) -> bool:
    """An optimizer over an image (`optim.Adam([target])`: style transfer, deep dream,
    adversarial inputs) changes the input, not a model: there is no model run to record."""
    if training.label != "optimizer.step" or training.model is None:
        return False
    bound = ctx.binding_at(training.model, training.call.point)
    if bound is None or not isinstance(bound[1].value, cst.Call) or not bound[1].value.args:
        return False
    params = bound[1].value.args[0].value
    return (
        isinstance(params, cst.List)
        and bool(params.elements)
        and all(
            isinstance(element.value, cst.Name) and _IMAGE_NAME.search(element.value.value)
            for element in params.elements
        )
    )


def _tracks(ctx: NotebookContext) -> bool:
    """Whether anything in the notebook records runs (memoized: one answer per notebook)."""
    return ctx.memo("tracks-experiments", _find_tracking)


def _find_tracking(ctx: NotebookContext) -> bool:
    knowledge = ctx.knowledge(MissingExperimentTracking.name)
    trackers = knowledge.get("trackers", ())
    methods = frozenset(knowledge.get("tracker-methods", ()))
    keywords = call_keywords(knowledge.get("tracker-keywords", ()))
    imports = knowledge.get("tracker-imports", ())
    settings = frozenset(knowledge.get("tracker-settings", ()))
    if imports and ctx.imports_module(*imports):
        return True
    for call in ctx.calls:
        if call.is_any(*trackers) or call.site.method in methods:
            return True
        kwargs = call.site.kwargs
        if not kwargs:
            continue
        for entry in keywords:
            given = kwargs.get(entry.keyword)
            if (
                given is not None
                and (not entry.callable or call.is_any(entry.callable))
                and _reports(ctx, given.value, call.point)
            ):
                return True
        if any(keyword.lower() in settings for keyword in kwargs):
            return True
    if any(site.value.lower() in settings for _, site in ctx.strings()):
        return True
    for analyzed in ctx.cells:
        for shell in analyzed.analysis.shell:
            text = shell.text.lower()
            if any(setting in text for setting in settings):
                return True
    return False


def _reports(ctx: NotebookContext, value: cst.BaseExpression, at: Point) -> bool:
    """`report_to="none"`, `report_to=[]` and `log_with=None` turn reporting off."""
    if isinstance(value, (cst.List, cst.Tuple)):
        return any(_reports(ctx, element.value, at) for element in value.elements)
    if isinstance(value, cst.Name) and value.value == "None":
        return False
    text = ctx.string_of(value, at)
    return text is None or text.strip().lower() not in _NO_REPORTING
