"""`missing-experiment-tracking`: models trained with nothing recording the run."""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst

from ..analysis import NotebookContext, Point
from .base import Checker, Violation
from .training import training_calls

#: Libraries whose use records parameters, metrics or artifacts of a run.
TRACKERS = (
    "mlflow",
    "wandb",
    "comet_ml",
    "neptune",
    "clearml",
    "aim",
    "dvclive",
    "sacred",
    "sagemaker.experiments",
    "sagemaker.core.experiments",
    "torch.utils.tensorboard",
    "tensorboardX",
    "tensorflow.summary",
    "tensorflow.keras.callbacks.TensorBoard",
    "keras.callbacks.TensorBoard",
    "tf_keras.callbacks.TensorBoard",
    "pytorch_lightning.loggers",
    "lightning.pytorch.loggers",
    "sagemaker.debugger.TensorBoardOutputConfig",
    "transformers.integrations.MLflowCallback",
    "transformers.integrations.WandbCallback",
)
#: Keyword arguments that hand tracking to a platform.
TRACKING_KEYWORDS = ("experiment_config", "tensorboard_output_config")
_NO_REPORTING = ("none", "")


class MissingExperimentTracking(Checker):
    name = "missing-experiment-tracking"

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        trainings = training_calls(ctx)
        if not trainings or _tracks(ctx):
            return
        first = trainings[0]
        yield Violation(
            first.call.cell,
            f"model is trained ({first.label}) but nothing in the notebook records the run: "
            "log parameters, metrics and artifacts with MLflow, Weights & Biases, SageMaker "
            "Experiments or another tracker",
            node=first.call.site.node,
        )


def _tracks(ctx: NotebookContext) -> bool:
    for call in ctx.calls:
        if call.is_any(*TRACKERS):
            return True
        site = call.site
        if any(k in site.kwargs for k in TRACKING_KEYWORDS):
            return True
        report_to = site.kwargs.get("report_to")
        if report_to is not None and _reports(ctx, report_to.value, call.point):
            return True
    return False


def _reports(ctx: NotebookContext, value: cst.BaseExpression, at: Point) -> bool:
    """`report_to="none"` and `report_to=[]` turn Hugging Face reporting off."""
    if isinstance(value, (cst.List, cst.Tuple)):
        return any(_reports(ctx, element.value, at) for element in value.elements)
    text = ctx.string_of(value, at)
    return text is None or text.strip().lower() not in _NO_REPORTING
