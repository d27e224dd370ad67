"""`missing-experiment-tracking`: models trained with nothing recording the run.

A notebook that trains (`training.py`, plus models its own helpers and classes make:
`model_origins.py`) and has no tracker anywhere gets one finding, at its first training
call. Local training is what the rule is about. A SageMaker-managed job (an estimator's or
tuner's `fit`, a `ModelTrainer.train()`) is different: the job record already keeps its
hyperparameters, metrics and artifacts, and only the experiment grouping that lets runs be
compared is missing, so such a notebook is told so at `info` (see docs/severity.md).

What counts as tracking is data, in the tables below.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import libcst as cst

from ..analysis import NotebookContext, Point
from ..findings import Severity
from .base import Checker, Violation
from .model_origins import MANAGED_TRAINERS, helper_training_calls
from .training import TrainingCall, training_calls

#: Calls under these qualified names record a run (a prefix covers everything inside it).
TRACKER_CALLS = (
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
    "sagemaker.debugger.TensorBoardOutputConfig",
    "sagemaker.modules.configs.TensorBoardOutputConfig",
    "sagemaker.train.configs.TensorBoardOutputConfig",
    "sagemaker.core.shapes.TensorBoardOutputConfig",
    "torch.utils.tensorboard",
    "tensorboardX",
    "tensorflow.summary",
    "tensorflow.keras.callbacks.TensorBoard",
    "keras.callbacks.TensorBoard",
    "tf_keras.callbacks.TensorBoard",
    "pytorch_lightning.loggers",
    "lightning.pytorch.loggers",
    "transformers.integrations.MLflowCallback",
    "transformers.integrations.WandbCallback",
    # Vertex AI Experiments
    "google.cloud.aiplatform.start_run",
    "google.cloud.aiplatform.log_metrics",
    "google.cloud.aiplatform.log_params",
    "google.cloud.aiplatform.log_time_series_metrics",
    "google.cloud.aiplatform.log_classification_metrics",
    "google.cloud.aiplatform.autolog",
    "google.cloud.aiplatform.Experiment",
    "google.cloud.aiplatform.ExperimentRun",
    "vertexai.preview.start_run",
    "vertexai.preview.log_metrics",
    "vertexai.preview.log_params",
    # Azure ML runs (`Experiment(...).start_logging()`, `Run.get_context()`, `run.log`)
    "azureml.core.Experiment",
    "azureml.core.experiment.Experiment",
    "azureml.core.Run",
    "azureml.core.run.Run",
    # Accelerate's trackers (`accelerator.init_trackers`, `accelerator.log`)
    "accelerate.Accelerator().init_trackers",
)
#: Methods that log to a tracker whatever object they are called on (Kubeflow's
#: `Output[Metrics]`, MLflow clients, Azure ML and Vertex AI runs).
TRACKER_METHODS = frozenset({"log_metric", "log_metrics", "log_param", "log_params"})
#: (callable prefix, keyword): a call given this keyword hands tracking to a platform or
#: tracker. An empty prefix matches any call.
TRACKER_KEYWORDS = (
    ("", "experiment_config"),
    ("", "tensorboard_output_config"),
    ("google.cloud.aiplatform.init", "experiment"),
    ("vertexai.init", "experiment"),
    ("google.cloud.aiplatform", "tensorboard"),
    ("accelerate.Accelerator", "log_with"),
    ("", "report_to"),
)
#: Imports that mean runs are recorded: Kubeflow components writing `Output[Metrics]`.
TRACKER_IMPORTS = (
    "kfp.dsl.Metrics",
    "kfp.v2.dsl.Metrics",
    "kfp.dsl.ClassificationMetrics",
    "kfp.v2.dsl.ClassificationMetrics",
)
#: Settings that configure a tracker for code the notebook launches: a SageMaker job's
#: hyperparameters or environment, `os.environ`, `%env` (compared lowercased).
TRACKER_SETTINGS = frozenset(
    {
        "mlflow_tracking_uri",
        "mlflow_uri",
        "mlflow_tracking_arn",
        "mlflow_tracking_server_arn",
        "mlflow_arn",
        "mlflow_experiment_name",
        "wandb_api_key",
        "wandb_project",
        "comet_api_key",
        "comet_project_name",
        "neptune_api_token",
        "neptune_project",
    }
)
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
_SELF_TRACKING_JOBS = ("AutoML", "AutoMLV2")


class MissingExperimentTracking(Checker):
    name = "missing-experiment-tracking"

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
    """A job SageMaker runs and records: an estimator, tuner or `ModelTrainer`."""
    return (training.call.qualified or "").startswith(("sagemaker.", *MANAGED_TRAINERS))


def _self_tracking(training: TrainingCall) -> bool:
    qualified = training.call.qualified or ""
    return qualified.startswith("sagemaker.") and any(
        part.removesuffix("()") in _SELF_TRACKING_JOBS for part in qualified.split(".")
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
    if any(qualified.startswith(TRACKER_IMPORTS) for qualified in ctx.imports.values()):
        return True
    for call in ctx.calls:
        if call.is_any(*TRACKER_CALLS) or call.site.method in TRACKER_METHODS:
            return True
        kwargs = call.site.kwargs
        if not kwargs:
            continue
        for prefix, keyword in TRACKER_KEYWORDS:
            given = kwargs.get(keyword)
            if (
                given is not None
                and (not prefix or call.is_any(prefix))
                and _reports(ctx, given.value, call.point)
            ):
                return True
        if any(keyword.lower() in TRACKER_SETTINGS for keyword in kwargs):
            return True
    if any(site.value.lower() in TRACKER_SETTINGS for _, site in ctx.strings()):
        return True
    for analyzed in ctx.cells:
        for shell in analyzed.analysis.shell:
            text = shell.text.lower()
            if any(setting in text for setting in TRACKER_SETTINGS):
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
