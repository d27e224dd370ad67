"""missing-experiment-tracking: severity by where training runs, trackers, helper-made models."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jupyter_mllens.findings import Finding, Severity

Lint = Callable[..., list[Finding]]
RULE = "missing-experiment-tracking"

ESTIMATOR = (
    "from sagemaker.pytorch import PyTorch\n"
    "estimator = PyTorch(entry_point='train.py', role=role, instance_count=1,\n"
    "                    instance_type='ml.g5.xlarge', framework_version='2.1')\n"
    "estimator.fit({'train': train_s3})"
)
LOCAL = (
    "from sklearn.linear_model import LogisticRegression\n"
    "clf = LogisticRegression()\n"
    "clf.fit(X_train, y_train)"
)


def tracking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.name == RULE]


def test_sagemaker_job_alone_is_info_and_names_the_missing_grouping(lint: Lint) -> None:
    (finding,) = tracking(lint(ESTIMATOR))
    assert finding.severity is Severity.INFO
    assert (finding.line, finding.column) == (4, 1)
    assert "SageMaker training job (PyTorch.fit)" in finding.message
    assert "experiment_config=" in finding.message


def test_local_training_keeps_the_rule_severity_even_after_a_sagemaker_job(lint: Lint) -> None:
    (finding,) = tracking(lint(ESTIMATOR, LOCAL))
    assert finding.severity is Severity.MEDIUM
    assert finding.cell_index == 1
    assert "(LogisticRegression.fit)" in finding.message


@pytest.mark.parametrize(
    "tracker",
    [
        "estimator.fit({'train': train_s3}, experiment_config={'ExperimentName': 'churn'})",
        "from sagemaker.experiments.run import Run\nwith Run(experiment_name='churn') as run:\n"
        "    estimator.fit({'train': train_s3})",
        "from google.cloud import aiplatform\naiplatform.init(project='p', experiment='churn')",
        "import vertexai\nvertexai.init(project='p', experiment='churn')",
        "from google.cloud import aiplatform\naiplatform.log_metrics({'accuracy': 0.9})",
        "from azureml.core import Run\nrun = Run.get_context()",
        "from kfp.dsl import Metrics, Output",
        "metrics.log_metric('accuracy', 0.9)",
        "from accelerate import Accelerator\naccelerator = Accelerator(log_with='wandb')",
        "env = {'MLFLOW_TRACKING_URI': tracking_arn}",
        "hyperparameters = dict(mlflow_tracking_uri=tracking_arn, epochs=3)",
        "%env WANDB_PROJECT=churn",
        "import mlflow\nmlflow.autolog()",
    ],
)
def test_any_tracker_in_the_notebook_silences_the_rule(lint: Lint, tracker: str) -> None:
    assert tracking(lint(LOCAL, tracker)) == []
    assert tracking(lint(ESTIMATOR, tracker)) == []


@pytest.mark.parametrize(
    "off",
    [
        "from accelerate import Accelerator\naccelerator = Accelerator(log_with=None)",
        "from google.cloud import aiplatform\naiplatform.init(project='p', location='us-central1')",
        "from transformers import TrainingArguments\nargs = TrainingArguments('out', report_to='none')",
    ],
)
def test_tracking_turned_off_or_not_configured_is_not_tracking(lint: Lint, off: str) -> None:
    assert len(tracking(lint(LOCAL, off))) == 1


def test_pytorch_mode_switch_is_not_training(lint: Lint) -> None:
    source = (
        "from transformers import AutoModelForSequenceClassification\n"
        "model = AutoModelForSequenceClassification.from_pretrained('bert-base-uncased')\n"
        "model.train()\n"
        "model.train(False)\n"
        "model.train(mode=True)"
    )
    assert tracking(lint(source)) == []


@pytest.mark.parametrize(
    ("source", "label"),
    [
        (
            "from transformers import Trainer\n"
            "trainer = Trainer(model=model, args=args, train_dataset=train_ds)\n"
            "trainer.train()",
            "(Trainer.train)",
        ),
        (
            "from sagemaker.train import ModelTrainer\n"
            "trainer = ModelTrainer.from_jumpstart_config(jumpstart_config=config)\n"
            "trainer.train()",
            "(from_jumpstart_config.train)",
        ),
    ],
)
def test_a_trainer_still_trains_without_arguments(lint: Lint, source: str, label: str) -> None:
    (finding,) = tracking(lint(source))
    assert label in finding.message


def test_a_helper_several_steps_away_is_followed(lint: Lint) -> None:
    helpers = (
        "import tensorflow as tf\n"
        "def build():\n"
        "    model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "    return model\n"
        "def compiled():\n"
        "    return build()"
    )
    (finding,) = tracking(lint(helpers, "ae = compiled()\nae.fit(x, y, epochs=3)"))
    assert (finding.cell_index, finding.line) == (1, 2)
    assert "(Sequential.fit)" in finding.message


def test_a_notebook_class_is_a_model_only_through_a_model_base(lint: Lint) -> None:
    plain = (
        "class Scaler:\n"
        "    def fit(self, X):\n"
        "        self.mean = X.mean()\n"
        "scaler = Scaler()\n"
        "scaler.fit(X)"
    )
    assert tracking(lint(plain)) == []
    own = "class Regression:\n    def fit(self, X, y):\n        pass\nr = Regression()\nr.fit(X, y)"
    (finding,) = tracking(lint(own))
    assert "(Regression.fit)" in finding.message
    derived = (
        "import keras\n"
        "class Base(keras.Model):\n"
        "    pass\n"
        "class GAN(Base):\n"
        "    pass\n"
        "gan = GAN()\n"
        "gan.fit(dataset, epochs=5)"
    )
    (finding,) = tracking(lint(derived))
    assert "(GAN.fit)" in finding.message


def test_sagemaker_autopilot_is_not_reported(lint: Lint) -> None:
    source = (
        "from sagemaker import AutoML\n"
        "automl = AutoML(role=role, target_attribute_name='y')\n"
        "automl.fit(train_s3, wait=False)"
    )
    assert tracking(lint(source)) == []


def test_an_optimizer_over_an_image_is_not_training_but_over_weights_is(lint: Lint) -> None:
    loop = "for step in range(100):\n    loss.backward()\n    optimizer.step()"
    image = "import torch\noptimizer = torch.optim.Adam([target_image], lr=0.01)\n" + loop
    assert tracking(lint(image)) == []
    weights = "import torch\noptimizer = torch.optim.SGD([w, b], lr=0.01)\n" + loop
    (finding,) = tracking(lint(weights))
    assert "(optimizer.step)" in finding.message
