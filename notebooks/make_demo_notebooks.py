"""Write the demo notebooks in this folder: `python notebooks/make_demo_notebooks.py`.

The .ipynb files are committed; this script is how they were written, so an edit to a demo
is made here and the notebooks regenerated. Each notebook shows one ML Lens anti-pattern in
an otherwise ordinary workflow, with imports and uses spread over several cells the way people
write notebooks. `05_well_architected.ipynb` does the same work the right way and has no
findings. Every credential below is FAKE: made up for this demo, valid nowhere.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

Cell = tuple[str, str, dict[str, object]]  # (cell type, source, saved state of a code cell)


def md(source: str) -> Cell:
    return ("markdown", source.strip("\n"), {})


def code(source: str) -> Cell:
    return ("code", source.strip("\n"), {})


def ran(count: int, source: str, *outputs: dict[str, object]) -> Cell:
    """A code cell saved after running: its execution count and outputs."""
    return ("code", source.strip("\n"), {"execution_count": count, "outputs": list(outputs)})


def stdout(text: str) -> dict[str, object]:
    return {"name": "stdout", "output_type": "stream", "text": text.splitlines(keepends=True)}


def result(count: int, text: str) -> dict[str, object]:
    return {
        "data": {"text/plain": text.splitlines(keepends=True)},
        "execution_count": count,
        "metadata": {},
        "output_type": "execute_result",
    }


# ---------------------------------------------------------------------------------------------
NOTEBOOKS: dict[str, list[Cell]] = {}

NOTEBOOKS["01_hardcoded_credentials.ipynb"] = [
    md(
        """
# Churn features: pull raw events from the warehouse and S3

Builds the customer feature table for the churn model from three places: the feature
engineering repository, the analytics warehouse (PostgreSQL) and the raw event exports in S3.

> **Demo of `hardcoded-credentials` (MLL101).** Every key, token and password in this notebook
> is typed into a cell. They are fake, but the pattern is the one that leaks real ones: the
> notebook gets committed, shared and exported to HTML with the secrets inside.
> See `05_well_architected.ipynb` for the fix.
"""
    ),
    code(
        """
import io
import os

import boto3
import pandas as pd
from sqlalchemy import create_engine, text
"""
    ),
    md(
        """
## Get the shared feature code

The feature definitions live in a private repository; the clone URL carries a personal access
token so that it works on the shared notebook instance.
"""
    ),
    code(
        """
!git clone --depth 1 https://ghp_8fKq2ZrT5vWx7NcY3mLp9HsD4gJb6QaE1uRo@github.com/acme-analytics/churn-features.git
!pip install -q -e ./churn-features
"""
    ),
    code(
        """
%env OPENAI_API_KEY=sk-proj-Q7mZp3Lx9Vt2Rb8Nc4Hw6Jk1Yd5Fs0Ga7Ue3Io9Pq2Tw
%env AWS_DEFAULT_REGION=eu-west-1
"""
    ),
    md(
        """
## Raw events from S3

The event exports are written nightly by the ingestion job. We read one pinned export by its
object version.
"""
    ),
    code(
        """
session = boto3.Session(
    aws_access_key_id="AKIA4HX7QJ2LMW5PZR3T",
    aws_secret_access_key="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",
    region_name="eu-west-1",
)
s3 = session.client("s3")
"""
    ),
    code(
        """
EVENTS_BUCKET = "acme-churn-raw"
EVENTS_KEY = "exports/events/2024-05-31/events.parquet"
EVENTS_VERSION = "Wq9v3cKzR1p.7HnT2mXbYd8LsJ4fGaE0"
"""
    ),
    code(
        """
obj = s3.get_object(Bucket=EVENTS_BUCKET, Key=EVENTS_KEY, VersionId=EVENTS_VERSION)
events = pd.read_parquet(io.BytesIO(obj["Body"].read()))
events.head()
"""
    ),
    md(
        """
## Customer attributes from the warehouse
"""
    ),
    code(
        """
WAREHOUSE_URL = "postgresql+psycopg2://ds_churn:Gr4nite-Harb0ur-91@analytics-db.internal.acme.io:5432/warehouse"
engine = create_engine(WAREHOUSE_URL, pool_pre_ping=True)
"""
    ),
    code(
        """
with engine.connect() as conn:
    n_customers = conn.execute(text("SELECT count(*) FROM customers")).scalar_one()
print(f"{n_customers:,} customers, {len(events):,} events")
"""
    ),
    code(
        """
features = (
    events.groupby("customer_id")
    .agg(sessions=("session_id", "nunique"), last_seen=("ts", "max"), spend=("amount", "sum"))
    .reset_index()
)
features.to_parquet("churn_features.parquet", index=False)
features.describe()
"""
    ),
]

NOTEBOOKS["02_unversioned_data.ipynb"] = [
    md(
        """
# Telco churn: exploratory data analysis

First look at the churn data before modelling: class balance, tenure, contract types and
the support-ticket text.

> **Demo of `unversioned-data` (MLL201).** Every dataset here is read from a place whose content
> can change without the notebook noticing: a local file, a URL on the `main` branch, a `wget`
> download and a Hugging Face dataset without a `revision`. Re-running this notebook next month
> may silently analyse different data. See `05_well_architected.ipynb` for pinned reads.
"""
    ),
    code(
        """
%matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from datasets import load_dataset
"""
    ),
    code(
        """
DATA_URL = "https://raw.githubusercontent.com/acme-analytics/datasets/main/telco/churn.csv"
TICKETS_DATASET = "acme-analytics/support-tickets"
"""
    ),
    md(
        """
## Data

The churn table is published in the team's datasets repository. Customer attributes come from
last quarter's CRM export, which was copied into `data/` by hand.
"""
    ),
    code(
        """
!mkdir -p data
!wget -q -O data/holidays.csv https://date.nager.at/api/v3/publicholidays/2024/DE.csv
"""
    ),
    code(
        """
churn = pd.read_csv(DATA_URL)
customers = pd.read_csv("data/crm_export_q2.csv", parse_dates=["signup_date"])
churn.shape, customers.shape
"""
    ),
    code(
        """
tickets = load_dataset(TICKETS_DATASET, split="train")
tickets_df = tickets.to_pandas()
tickets_df["text"].str.len().describe()
"""
    ),
    md(
        """
## Class balance and tenure
"""
    ),
    code(
        """
df = churn.merge(customers, on="customer_id", how="left")
df["Churn"].value_counts(normalize=True)
"""
    ),
    code(
        """
fig, axes = plt.subplots(1, 2, figsize=(12, 4))
sns.histplot(data=df, x="tenure", hue="Churn", multiple="stack", ax=axes[0])
sns.countplot(data=df, x="Contract", hue="Churn", ax=axes[1])
plt.tight_layout()
"""
    ),
    code(
        """
tickets_per_customer = tickets_df.groupby("customer_id").size().rename("n_tickets")
df = df.join(tickets_per_customer, on="customer_id").fillna({"n_tickets": 0})
df.groupby("Churn")["n_tickets"].mean()
"""
    ),
]

NOTEBOOKS["03_missing_experiment_tracking.ipynb"] = [
    md(
        """
# Breast cancer classifier: random forest vs. gradient boosting

Compares two tree ensembles on the Wisconsin diagnostic data with a stratified hold-out set.

> **Demo of `missing-experiment-tracking` (MLL301).** The modelling is sound (a held-out test
> set, metrics on unseen data), but no run is recorded anywhere: the hyper-parameters, code
> version, data and scores of each attempt live only in this notebook's current state. Which
> settings produced last week's best AUC? See `05_well_architected.ipynb` for MLflow tracking.
"""
    ),
    code(
        """
!pip install -q scikit-learn==1.5.2 xgboost==2.1.1
"""
    ),
    code(
        """
import numpy as np
import sklearn.model_selection as ms
import xgboost as xgb
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import classification_report, roc_auc_score
"""
    ),
    code(
        """
X, y = load_breast_cancer(return_X_y=True, as_frame=True)
print(X.shape, y.mean().round(3))
"""
    ),
    md(
        """
## Hold out a test set

Stratified, so that both splits keep the class balance.
"""
    ),
    code(
        """
SEED = 42
X_train, X_test, y_train, y_test = ms.train_test_split(
    X, y, test_size=0.2, stratify=y, random_state=SEED
)
"""
    ),
    md(
        """
## Random forest
"""
    ),
    code(
        """
rf = RandomForestClassifier(n_estimators=300, max_depth=8, n_jobs=-1, random_state=SEED)
rf.fit(X_train, y_train)
"""
    ),
    code(
        """
rf_auc = roc_auc_score(y_test, rf.predict_proba(X_test)[:, 1])
print(f"random forest test AUC: {rf_auc:.4f}")
"""
    ),
    md(
        """
## XGBoost

Early stopping on a validation slice carved out of the training data; the test set stays
untouched until the end.
"""
    ),
    code(
        """
X_fit, X_val, y_fit, y_val = ms.train_test_split(
    X_train, y_train, test_size=0.2, stratify=y_train, random_state=SEED
)
booster = xgb.XGBClassifier(
    n_estimators=500, learning_rate=0.05, max_depth=4, early_stopping_rounds=25, eval_metric="auc"
)
booster.fit(X_fit, y_fit, eval_set=[(X_val, y_val)], verbose=False)
"""
    ),
    code(
        """
xgb_auc = roc_auc_score(y_test, booster.predict_proba(X_test)[:, 1])
print(f"xgboost test AUC: {xgb_auc:.4f} (best iteration {booster.best_iteration})")
print(classification_report(y_test, booster.predict(X_test)))
"""
    ),
]

NOTEBOOKS["04_no_evaluation_split.ipynb"] = [
    md(
        """
# Loan default model: logistic regression baseline

A quick baseline for the default-risk model on the versioned loan book, tracked in MLflow.

> **Demo of `no-evaluation-split` (MLL302).** The model is fit on all of the data and then
> scored on that same data. The 0.9-something accuracy below says how well the model
> memorised the loan book, not how it will do on next month's applicants. See
> `05_well_architected.ipynb` for a held-out evaluation.
"""
    ),
    code(
        """
import dvc.api
import mlflow
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
"""
    ),
    code(
        """
mlflow.set_experiment("loan-default-baseline")
mlflow.autolog()
"""
    ),
    code(
        """
with dvc.api.open("data/loans.csv", rev="v3.0.1") as f:
    loans = pd.read_csv(f)
assert loans["defaulted"].isin([0, 1]).all(), "labels must be 0 or 1"
"""
    ),
    code(
        """
FEATURES = ["income", "loan_amount", "term_months", "credit_score", "debt_to_income"]
X = loans[FEATURES]
y = loans["defaulted"]
y.value_counts(normalize=True)
"""
    ),
    md(
        """
## Fit the baseline
"""
    ),
    code(
        """
clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, class_weight="balanced"))
clf.fit(X, y)
"""
    ),
    md(
        """
## How good is it?
"""
    ),
    code(
        """
print("accuracy:", clf.score(X, y))
print("AUC:", roc_auc_score(y, clf.predict_proba(X)[:, 1]))
"""
    ),
    code(
        """
predictions = clf.predict(X)
print(f"accuracy again, by hand: {accuracy_score(y, predictions):.3f}")
"""
    ),
]

NOTEBOOKS["05_well_architected.ipynb"] = [
    md(
        """
# Churn model, done right

The same work as the other demos (credentials, data, training, evaluation) written the way
the AWS Well-Architected Machine Learning Lens asks. `mllens check` has nothing to report here.

- **Secrets** come from the environment, `getpass` or AWS Secrets Manager, never from a cell.
- **Data** is read at a pinned version: DVC with `rev=`, an S3 object by `VersionId`.
- **Experiments** are tracked in MLflow: parameters, metrics and the model of every run.
- **Evaluation** happens on a held-out test set the model never saw.
"""
    ),
    code(
        """
%matplotlib inline
import getpass
import io
import json
import os

import boto3
import dvc.api
import mlflow
import pandas as pd
import sklearn.model_selection as ms
from sqlalchemy import create_engine
"""
    ),
    md(
        """
## Credentials

AWS credentials come from the execution role (boto3 finds them by itself). The warehouse
password is stored in Secrets Manager; the Git token, when one is needed, is an environment
variable that the shell expands.
"""
    ),
    code(
        """
!git clone --depth 1 https://${GITHUB_TOKEN}@github.com/acme-analytics/churn-features.git
"""
    ),
    code(
        """
secrets = boto3.client("secretsmanager")
db = json.loads(secrets.get_secret_value(SecretId="prod/analytics/warehouse")["SecretString"])
engine = create_engine(
    f"postgresql+psycopg2://{db['username']}:{db['password']}@{db['host']}:5432/warehouse"
)
openai_api_key = os.environ.get("OPENAI_API_KEY") or getpass.getpass("OpenAI API key: ")
"""
    ),
    md(
        """
## Data at a pinned version

The churn table is tracked with DVC; `rev` names the data release this model is trained on.
The raw events are read from a versioned S3 bucket by object version.
"""
    ),
    code(
        """
DATA_REV = "churn-data-v2.3.0"
with dvc.api.open("data/churn.csv", rev=DATA_REV) as f:
    churn = pd.read_csv(f)
"""
    ),
    code(
        """
s3 = boto3.client("s3")
obj = s3.get_object(
    Bucket="acme-churn-raw",
    Key="exports/events/2024-05-31/events.parquet",
    VersionId="Wq9v3cKzR1p.7HnT2mXbYd8LsJ4fGaE0",
)
events = pd.read_parquet(io.BytesIO(obj["Body"].read()))
"""
    ),
    code(
        """
sessions = events.groupby("customer_id")["session_id"].nunique().rename("sessions")
df = churn.join(sessions, on="customer_id").fillna({"sessions": 0})
assert df["Churn"].isin(["Yes", "No"]).all(), "unexpected churn labels"
X = df.drop(columns=["customer_id", "Churn"])
y = df["Churn"].eq("Yes").astype(int)
"""
    ),
    md(
        """
## Hold out a test set
"""
    ),
    code(
        """
X_train, X_test, y_train, y_test = ms.train_test_split(
    X, y, test_size=0.2, stratify=y, random_state=7
)
"""
    ),
    md(
        """
## Train, tracked in MLflow
"""
    ),
    code(
        """
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder
"""
    ),
    code(
        """
mlflow.set_experiment("churn")
mlflow.autolog(log_models=True)
params = {"learning_rate": 0.05, "max_iter": 400, "max_leaf_nodes": 31}
categorical = X.select_dtypes("object").columns.tolist()
model = make_pipeline(
    make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), categorical), remainder="passthrough"
    ),
    HistGradientBoostingClassifier(**params, random_state=7),
)
"""
    ),
    code(
        """
with mlflow.start_run(run_name="hgb-baseline"):
    mlflow.log_params({**params, "data_rev": DATA_REV})
    model.fit(X_train, y_train)
    test_auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
    test_f1 = f1_score(y_test, model.predict(X_test))
    mlflow.log_metrics({"test_auc": test_auc, "test_f1": test_f1})
print(f"held-out AUC {test_auc:.3f}, F1 {test_f1:.3f}")
"""
    ),
]

NOTEBOOKS["06_in_notebook_panel.ipynb"] = [
    md(
        """
# ML Lens inside the notebook: `%mllens` and the cell guard

For frontends without the JupyterLab sidebar (VS Code, Notebook 7, SageMaker notebook
instances, Colab-like hosts), the lens runs in the kernel and shows its findings as an
ipywidgets panel in the cell output. Where widgets cannot render (nbconvert, GitHub, a
terminal) the same panel appears as HTML or text.

> **Demo of the in-notebook panel.** Run the cells in order. The token in the guarded cell
> is fake, made up for this demo, so `mllens check` reports it (`hardcoded-credentials`).
"""
    ),
    code(
        """
%load_ext jupyter_mllens
"""
    ),
    md(
        """
## The findings of this notebook

`%mllens` lints the notebook the kernel is running: JupyterLab and Notebook 7 tell the
kernel its file (`JPY_SESSION_NAME`), VS Code too (`__vsc_ipynb_file__`). Elsewhere it lints
the cells run so far and says so. Findings are grouped by pillar, all six shown; expand one
for its pillar, lifecycle phase, ML Lens best practice, why it matters and how to fix it.
"""
    ),
    code(
        """
%mllens
"""
    ),
    md(
        """
## Another notebook, with the `check` filters

A path lints another notebook; `--select` and `--ignore` take rule names, codes, pillars and
lifecycle phases, as `mllens check` does.
"""
    ),
    code(
        """
%mllens 01_hardcoded_credentials.ipynb --select security
"""
    ),
    md(
        """
## The cell guard

With the guard on, every cell is checked before it runs, in the context of the cells run
so far. A hard-coded credential, or another high-severity finding, gets a warning with the
secret masked; `%mllens guard strict` refuses to run the cell instead.
"""
    ),
    code(
        """
%mllens guard on
"""
    ),
    code(
        """
hub_token = "hf_Xk3Lm9Qp2Rt7Vw4Yz8Bc1Dn6Fg5Hj0KsAe"
"""
    ),
    code(
        """
%mllens guard off
"""
    ),
    md(
        """
## From Python

The same findings as a `LintResult` (the CLI's JSON schema), and the panel as a widget.
"""
    ),
    code(
        """
from jupyter_mllens import lint_notebook
from jupyter_mllens.widget import LensPanel

result = lint_notebook("04_no_evaluation_split.ipynb")
print([finding.name for finding in result.findings])
LensPanel(result)
"""
    ),
]


NOTEBOOKS["07_sagemaker_job_settings.ipynb"] = [
    md(
        """
# Fine-tuning on SageMaker: the job settings that matter

A SageMaker training job, a processing job and an endpoint, first with the SDK's defaults and
then configured the way the AWS Well-Architected Machine Learning Lens asks: spot capacity and
a time limit for cost, a customer-managed KMS key and a private network for security, data
capture for monitoring, and production endpoints left to a pipeline.
"""
    ),
    code(
        """
import sagemaker
from sagemaker.model_monitor import DataCaptureConfig
from sagemaker.network import NetworkConfig
from sagemaker.pytorch import PyTorch
from sagemaker.sklearn.processing import SKLearnProcessor
from sagemaker.train import ModelTrainer
from sagemaker.train.configs import Compute, Networking, OutputDataConfig, StoppingCondition

session = sagemaker.Session()
role = sagemaker.get_execution_role()
bucket = session.default_bucket()
key_arn = "arn:aws:kms:eu-west-1:{account}:key/churn-ml"  # the project's KMS key
private_subnets = ["subnet-private-a", "subnet-private-b"]
training_sg = "sg-churn-training"
"""
    ),
    md(
        """
## Before: every default

A GPU fine-tuning job with no spot capacity, the 24-hour default time limit, AWS-managed keys
only and outbound internet access; a preprocessing job the same way.
"""
    ),
    code(
        """
estimator = PyTorch(entry_point="train.py", source_dir="src", role=role,
                    instance_type="ml.g5.2xlarge", instance_count=1,
                    framework_version="2.1", py_version="py310")
processor = SKLearnProcessor(framework_version="1.2-1", role=role,
                             instance_type="ml.m5.xlarge", instance_count=1)
"""
    ),
    md(
        """
A data-parallel job on two instances: it has every setting of the fixed job below but one,
so the gradients it exchanges between instances still cross the network in the clear.
"""
    ),
    code(
        """
data_parallel = PyTorch(entry_point="train.py", source_dir="src", role=role,
                        instance_type="ml.g5.12xlarge", instance_count=2,
                        framework_version="2.1", py_version="py310",
                        distribution={"torch_distributed": {"enabled": True}},
                        use_spot_instances=True, max_run=4 * 3600, max_wait=8 * 3600,
                        checkpoint_s3_uri=f"s3://{bucket}/churn/checkpoints",
                        output_kms_key=key_arn, enable_network_isolation=True)
"""
    ),
    md(
        """
## After: spot, a limit, a key and a private network

The settings shared by every job of the project live in one dict; the v3 `ModelTrainer` takes
the same settings as config objects.
"""
    ),
    code(
        """
secured = {
    "volume_kms_key": key_arn,
    "output_kms_key": key_arn,
    "subnets": private_subnets,
    "security_group_ids": [training_sg],
}
tuned = PyTorch(entry_point="train.py", source_dir="src", role=role,
                instance_type="ml.g5.2xlarge", instance_count=1,
                framework_version="2.1", py_version="py310",
                use_spot_instances=True, max_run=4 * 3600, max_wait=8 * 3600,
                checkpoint_s3_uri=f"s3://{bucket}/churn/checkpoints",
                encrypt_inter_container_traffic=True, **secured)
prepare = SKLearnProcessor(framework_version="1.2-1", role=role,
                           instance_type="ml.m5.xlarge", instance_count=1,
                           volume_kms_key=key_arn, output_kms_key=key_arn,
                           max_runtime_in_seconds=3600,
                           network_config=NetworkConfig(subnets=private_subnets,
                                                        security_group_ids=[training_sg]))
trainer = ModelTrainer(
    training_image=image_uri,
    role=role,
    compute=Compute(instance_type="ml.g5.2xlarge", enable_managed_spot_training=True),
    networking=Networking(enable_network_isolation=True),
    stopping_condition=StoppingCondition(max_runtime_in_seconds=4 * 3600,
                                         max_wait_time_in_seconds=8 * 3600),
    output_data_config=OutputDataConfig(s3_output_path=f"s3://{bucket}/churn/models",
                                        kms_key_id=key_arn),
)
"""
    ),
    md(
        """
## Before: a production endpoint deployed by hand

Two instances behind a `-prod` name, created from a notebook cell, recording none of its
traffic, its storage under an AWS-managed key, and never deleted.
"""
    ),
    code(
        """
predictor = tuned.deploy(initial_instance_count=2, instance_type="ml.m5.xlarge",
                         endpoint_name="churn-scoring-prod")
"""
    ),
    md(
        """
## After: a trial endpoint, recorded, encrypted and deleted

The notebook deploys only a trial endpoint, with data capture and a KMS key, and deletes it
when done; the production endpoint is created by the deployment pipeline once the model
version is approved in the registry.
"""
    ),
    code(
        """
capture = DataCaptureConfig(enable_capture=True, sampling_percentage=20,
                            destination_s3_uri=f"s3://{bucket}/churn/capture",
                            kms_key_id=key_arn)
trial = tuned.deploy(initial_instance_count=1, instance_type="ml.m5.large",
                     endpoint_name="churn-scoring-trial", kms_key=key_arn,
                     data_capture_config=capture)
trial.predict(sample)
trial.delete_endpoint()
"""
    ),
]


NOTEBOOKS["10_notebook_hygiene.ipynb"] = [
    md(
        """
# Churn features: what the saved file gives away

This notebook was saved with its outputs, the way most notebooks are committed. The outputs
and execution counts are part of the file, so `mllens` reads them too. The token below is
FAKE (made up for this demo, valid nowhere).
"""
    ),
    ran(
        1,
        """
import os
import pandas as pd
""",
    ),
    md(
        """
## A secret printed into an output

The code reads the token from the environment, which is right, but prints it: the saved
output now holds the token for anyone who opens the file (`secret-in-output`).
"""
    ),
    ran(
        2,
        """
print("Hub token:", os.environ["HF_TOKEN"])
""",
        stdout("Hub token: hf_DemoOnlyNotARealTokenQx7Vb2Kp9Wz4\n"),
    ),
    md(
        """
The fix: print a masked value, never the secret.
"""
    ),
    ran(
        3,
        """
print("Hub token:", os.environ["HF_TOKEN"][:3] + "****")
""",
        stdout("Hub token: hf_****\n"),
    ),
    md(
        """
## A path that exists on one laptop

`/Users/ana/Downloads/...` runs on Ana's machine only (`hardcoded-local-path`). The next cell
takes the folder from the environment, with a path relative to the project as the default.
"""
    ),
    ran(
        4,
        """
df = pd.read_csv("/Users/ana/Downloads/churn.csv")
""",
    ),
    ran(
        5,
        """
DATA_DIR = os.environ.get("DATA_DIR", "data")
df = pd.read_csv(os.path.join(DATA_DIR, "churn.csv"))
df.shape
""",
        result(5, "(7043, 21)"),
    ),
    md(
        """
## Outputs not produced top to bottom

The cleaning cell was run again after the summaries below it (`In [9]` above `In [6]` and
`In [7]`), so the saved summaries describe data that running the notebook from the top does
not produce (`out-of-order-execution`). Restart the kernel and run all cells before saving.
"""
    ),
    ran(
        9,
        """
df = df.dropna(subset=["TotalCharges"])
""",
    ),
    ran(
        6,
        """
df["Churn"].value_counts()
""",
        result(6, "Churn\nNo     5174\nYes    1869\nName: count, dtype: int64"),
    ),
    ran(
        7,
        """
df["tenure"].describe()
""",
        result(7, "count    7043.000000\nmean       32.371149\nmax        72.000000"),
    ),
]


#: Extra notebook metadata: the hygiene demo leaves `unversioned-data` (02's subject) aside,
#: the way a team silences a rule for one notebook.
METADATA: dict[str, dict[str, object]] = {
    "10_notebook_hygiene.ipynb": {"mllens": {"ignore": ["unversioned-data"]}},
}


# ---------------------------------------------------------------------------------------------
NOTEBOOKS["09_training_hygiene.ipynb"] = [
    md(
        """
# Churn model: features and a Keras classifier

> **Demo of `row-wise-dataframe-loop` (MLL203) and `training-without-early-stopping`
> (MLL306).** Each anti-pattern is followed by its fix: the loop over rows next to the same
> feature computed over columns, the 200-epoch fit next to one that stops early.
"""
    ),
    code(
        """
import dvc.api
import mlflow
import numpy as np
import pandas as pd
import tensorflow as tf
"""
    ),
    code(
        """
mlflow.set_experiment("churn-keras")
mlflow.autolog()
with dvc.api.open("data/customers.csv", rev="v2.1.0") as f:
    customers = pd.read_csv(f)
assert customers["visits"].ge(0).all(), "visit counts cannot be negative"
tf.keras.utils.set_random_seed(42)
EPOCHS = 200
"""
    ),
    md(
        """
## A feature, row by row (MLL203) and over columns (the fix)
"""
    ),
    code(
        """
for i, row in customers.iterrows():
    customers.loc[i, "spend_per_visit"] = row["spend"] / max(row["visits"], 1)
"""
    ),
    code(
        """
customers["spend_per_visit"] = customers["spend"] / np.maximum(customers["visits"], 1)
"""
    ),
    md(
        """
## Training for a fixed 200 epochs (MLL306) and with early stopping (the fix)
"""
    ),
    code(
        """
features = customers[["spend_per_visit", "tenure"]].to_numpy()
labels = customers["churned"].to_numpy()
model = tf.keras.Sequential([tf.keras.layers.Dense(16, activation="relu"), tf.keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["AUC"])
model.fit(features, labels, validation_split=0.2, epochs=EPOCHS)
"""
    ),
    code(
        """
stop = tf.keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
model.fit(features, labels, validation_split=0.2, epochs=EPOCHS, callbacks=[stop])
"""
    ),
]


# ---------------------------------------------------------------------------------------------
NOTEBOOKS["08_data_leakage.ipynb"] = [
    md(
        """
# Loan default: does the score hold on unseen applicants?

> **Demo of `data-leakage` (MLL304) and `missing-random-seed` (MLL305).** Three ways the test
> rows leak into training (a scaler fit before the split, SMOTE before cross-validation, a
> scaler refit on the test set), a split with no seed, then the fixes: a seeded split, and the
> steps in one pipeline, fit on the training part and cross-validated as a whole.
"""
    ),
    code(
        """
import dvc.api
import mlflow
import pandas as pd
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline as make_sampling_pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
"""
    ),
    code(
        """
mlflow.set_experiment("loan-default")
mlflow.autolog()
with dvc.api.open("data/loans.csv", rev="v1.4.0") as f:
    loans = pd.read_csv(f)
assert loans.notna().all().all(), "the loan table has gaps"
X = loans.drop(columns="defaulted")
y = loans["defaulted"]
"""
    ),
    md(
        """
## Scaled before the split (MLL304)

The scaler learns means and spreads from every row, the future test rows included.
"""
    ),
    code(
        """
X_scaled = StandardScaler().fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, test_size=0.2, random_state=0)
"""
    ),
    md(
        """
## Oversampled before cross-validation (MLL304)

SMOTE makes synthetic rows from neighbours across the whole data set, so every validation
fold has near-copies of itself in the training folds.
"""
    ),
    code(
        """
X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
scores = cross_val_score(LogisticRegression(max_iter=1000), X_res, y_res, cv=5)
"""
    ),
    md(
        """
## Refit on the test set (MLL304)

The split comes first here, but the test part is scaled by a scaler fit on the test part.
"""
    ),
    code(
        """
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
scaler = StandardScaler()
X_train_s = scaler.fit_transform(X_train)
X_test_s = scaler.fit_transform(X_test)
"""
    ),
    md(
        """
## A split with no seed (MLL305), then a seeded one

Without `random_state`, every run holds out other rows, so scores move between runs for no
reason in the model and nobody can reproduce the reported one.
"""
    ),
    code(
        """
X_dev, X_holdout, y_dev, y_holdout = train_test_split(X, y, test_size=0.2)
"""
    ),
    code(
        """
X_dev, X_holdout, y_dev, y_holdout = train_test_split(X, y, test_size=0.2, random_state=0)
"""
    ),
    md(
        """
## The fix: split first, keep every step in a pipeline

Each fold of the cross-validation fits the scaler and SMOTE on its own training rows; the test
part is only ever transformed.
"""
    ),
    code(
        """
model = make_sampling_pipeline(StandardScaler(), SMOTE(random_state=0), LogisticRegression(max_iter=1000))
cv_scores = cross_val_score(model, X_train, y_train, cv=5)
model.fit(X_train, y_train)
test_score = model.score(X_test, y_test)
plain = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X_train, y_train)
"""
    ),
]


# ---------------------------------------------------------------------------------------------
NOTEBOOKS["11_artifacts_and_access.ipynb"] = [
    md(
        """
# Sentiment model: what the notebook installs, loads and shares

> **Demo of `unpinned-install` (MLL303), `unpinned-pretrained-model` (MLL202),
> `remote-code-on-load` (MLL110), `tls-verification-disabled` (MLL102),
> `unsafe-deserialization` (MLL109), `hardcoded-aws-identifiers` (MLL104) and
> `public-data-access` (MLL103).** Each anti-pattern
> is followed by its fix.
"""
    ),
    md(
        """
## Installs: newest releases (MLL303), then pinned
"""
    ),
    code(
        """
%pip install -q transformers datasets
"""
    ),
    code(
        """
%pip install -q transformers==4.46.3 datasets==3.1.0
"""
    ),
    code(
        """
import pickle

import boto3
import requests
import safetensors.torch
import sagemaker
import yaml
from transformers import AutoModel, AutoModelForSequenceClassification, AutoTokenizer
"""
    ),
    md(
        """
## A Hub model at whatever its main branch holds (MLL202), then at a pinned commit
"""
    ),
    code(
        """
model = AutoModelForSequenceClassification.from_pretrained("distilbert/distilbert-base-uncased-finetuned-sst-2-english")
"""
    ),
    code(
        """
MODEL_ID = "distilbert/distilbert-base-uncased-finetuned-sst-2-english"
REVISION = "714eb0fa89d2f80546fda750413ed43d93601a13"
tokenizer = AutoTokenizer.from_pretrained(MODEL_ID, revision=REVISION)
model = AutoModelForSequenceClassification.from_pretrained(MODEL_ID, revision=REVISION)
"""
    ),
    md(
        """
## Code from elsewhere run as it arrives (MLL110), then checked or pinned first

A script piped from `curl` into `bash` runs before anyone can read it; `trust_remote_code=True`
runs a Hub repository's Python files at whatever its main branch holds, unless the revision
is pinned to the commit that was read.
"""
    ),
    code(
        """
!curl -fsSL https://tools.example.org/install-tokenizer-cli.sh | bash
"""
    ),
    code(
        """
!curl -fsSL -o install-tokenizer-cli.sh https://tools.example.org/install-tokenizer-cli.sh
!echo "9f2c4e1a7b3d8f6e0c5a2b9d4e7f1a3c6b8d0e2f4a6c8e0b2d4f6a8c0e2b4d6f  install-tokenizer-cli.sh" | sha256sum -c - && bash install-tokenizer-cli.sh
embedder = AutoModel.from_pretrained("nomic-ai/nomic-embed-text-v1.5", trust_remote_code=True, revision="e5cf08aadaa33385f5990def41f7a23405aec398")
"""
    ),
    md(
        """
## Loading from the web: certificates off (MLL102) and code-running formats (MLL109)

A file fetched with `verify=False` can come from anyone on the network path, and a pickle
or `yaml.load` with a full loader runs whatever code the file holds.
"""
    ),
    code(
        """
resp = requests.get("https://models.example.org/sentiment/head.pkl", verify=False)
head = pickle.loads(resp.content)
labels = yaml.load(requests.get("https://models.example.org/sentiment/labels.yaml").text, Loader=yaml.FullLoader)
"""
    ),
    code(
        """
resp = requests.get("https://models.example.org/sentiment/head.safetensors", timeout=30)
head = safetensors.torch.load(resp.content)
labels = yaml.safe_load(requests.get("https://models.example.org/sentiment/labels.yaml", timeout=30).text)
"""
    ),
    md(
        """
## Sharing results: an account's role pasted in (MLL104) and a public object (MLL103)
"""
    ),
    code(
        """
role = "arn:aws:iam::482915736041:role/service-role/AmazonSageMaker-ExecutionRole"
s3 = boto3.client("s3")
s3.upload_file("predictions.csv", "acme-ml-results", "sentiment/predictions.csv")
s3.put_object_acl(Bucket="acme-ml-results", Key="sentiment/predictions.csv", ACL="public-read")
"""
    ),
    code(
        """
role = sagemaker.get_execution_role()
s3.upload_file("predictions.csv", "acme-ml-results", "sentiment/predictions.csv")
url = s3.generate_presigned_url("get_object", Params={"Bucket": "acme-ml-results", "Key": "sentiment/predictions.csv"}, ExpiresIn=3600)
"""
    ),
]


# ---------------------------------------------------------------------------------------------
NOTEBOOKS["12_unchecked_data_unregistered_model.ipynb"] = [
    md(
        """
# Claims triage: a model trained on unchecked data and left in a file

> **Demo of `missing-data-validation` (MLL204) and `unregistered-model` (MLL402).** Both
> rules judge the whole notebook (is the data checked anywhere? is a model logged or
> registered anywhere?), so their fix cannot sit in the same notebook:
> `05_well_architected.ipynb` is the fix, checking its data with assertions and logging its
> model with MLflow.
"""
    ),
    code(
        """
import dvc.api
import joblib
import mlflow
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
"""
    ),
    code(
        """
mlflow.set_experiment("claims-triage")
mlflow.autolog(log_models=False)
with dvc.api.open("data/claims.csv", rev="v0.9.2") as f:
    claims = pd.read_csv(f)
X = claims.drop(columns="urgent")
y = claims["urgent"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=7, stratify=y)
"""
    ),
    md(
        """
## Trained on data nothing checks (MLL204)

No null, range, type or schema check runs on `claims` before the fit: a broken export trains
a broken model without an error.
"""
    ),
    code(
        """
model = GradientBoostingClassifier(random_state=7)
model.fit(X_train, y_train)
auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
"""
    ),
    md(
        """
## Saved to a local file only (MLL402)

Autologging records the parameters and metrics but, with `log_models=False`, not the model:
the file below is the only copy, with no version, lineage or approval status.
"""
    ),
    code(
        """
joblib.dump(model, "claims_triage.joblib")
"""
    ),
]


def notebook(name: str, cells: list[Cell]) -> dict[str, object]:
    entries = []
    for index, (kind, source, saved) in enumerate(cells):
        cell_id = hashlib.sha1(f"{name}:{index}".encode()).hexdigest()[:8]
        lines = source.splitlines(keepends=True)
        entry: dict[str, object] = {"cell_type": kind, "id": cell_id, "metadata": {}}
        if kind == "code":
            entry.update(execution_count=None, outputs=[])
            entry.update(saved)
        entry["source"] = lines
        entries.append(entry)
    return {
        "cells": entries,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python", "version": "3.11.7"},
            **METADATA.get(name, {}),
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def render(name: str) -> str:
    """The notebook's file content, formatted the way Jupyter saves notebooks."""
    data = notebook(name, NOTEBOOKS[name])
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    for name in NOTEBOOKS:
        (HERE / name).write_text(render(name), "utf-8")
        print(f"wrote {HERE / name}")
    try:
        import nbformat
    except ImportError:
        return 0
    for name in NOTEBOOKS:
        nbformat.validate(nbformat.read(HERE / name, as_version=4))
    return 0


if __name__ == "__main__":
    sys.exit(main())
