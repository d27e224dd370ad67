"""Write a synthetic but realistic corpus of notebooks to benchmark the linter on.

    python benchmarks/make_corpus.py OUT N [--seed S] [--cells C]

Shaped after a corpus of 2,893 real public notebooks (see benchmarks/README.md): about 20
code cells per notebook (C, default 20, varied per notebook), a median of 4 lines per cell
with a long tail, imports, pandas, scikit-learn, plotting, line and cell magics, `!pip` and
other shell escapes, Markdown between the code, about half the code cells shared verbatim
with other notebooks (tutorial copies), a few cells that are not valid Python, and the ML
Lens anti-patterns the rules look for. Notebooks are nbformat 4.4 (no cell ids) and 4.5, in
nested project folders. The same arguments always write the same files.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

DATASETS = ("churn", "fraud", "housing", "reviews", "claims", "sensor", "credit", "retail")
FRAMES = ("df", "data", "train_df", "raw", "events", "customers", "sales", "features")
COLUMNS = (
    "age",
    "income",
    "tenure",
    "balance",
    "amount",
    "score",
    "visits",
    "clicks",
    "region",
    "segment",
    "price",
    "quantity",
)
TARGETS = ("target", "label", "churned", "is_fraud", "price", "default")
MODELS = (
    ("sklearn.ensemble", "RandomForestClassifier", "n_estimators={n}, max_depth={d}"),
    ("sklearn.ensemble", "GradientBoostingClassifier", "n_estimators={n}, learning_rate=0.1"),
    ("sklearn.linear_model", "LogisticRegression", "max_iter={n}, C=1.0"),
    ("sklearn.svm", "SVC", "C=1.0, probability=True"),
    ("sklearn.neighbors", "KNeighborsClassifier", "n_neighbors={d}"),
    ("sklearn.tree", "DecisionTreeClassifier", "max_depth={d}"),
)
PACKAGES = ("scikit-learn", "xgboost", "pandas", "seaborn", "lightgbm", "datasets", "boto3")
COMMENTS = (
    "quick look before cleaning",
    "TODO: check this with the data owner",
    "drop obvious outliers",
    "compare with last run",
    "this takes a while on the full data",
)
BAD_CELLS = (
    "print 'training finished'",
    "API_KEY = <YOUR-API-KEY>",
    "df.head()\nOut[3]:\n   age  income\n0   23   51000",
    "pip install -U scikit-learn xgboost\nimport xgboost",
    "for i in range(3)\n    print(i)",
)


class Writer:
    """Generates cells; `shared` cells are drawn from a fixed pool, like copied tutorials."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pool = [self.fresh_code() for _ in range(400)]

    # -- cells ---------------------------------------------------------------------------------
    def pick(self, seq: tuple[str, ...]) -> str:
        return self.rng.choice(seq)

    def cols(self, k: int) -> list[str]:
        return self.rng.sample(COLUMNS, k)

    def imports(self) -> str:
        lines = ["import numpy as np", "import pandas as pd"]
        extra = [
            "import matplotlib.pyplot as plt",
            "import seaborn as sns",
            "import os",
            "import boto3",
            "from pathlib import Path",
            "import sklearn.model_selection as ms",
            "from sklearn.model_selection import train_test_split",
            "from sklearn.metrics import accuracy_score, roc_auc_score, classification_report",
            "from sklearn.preprocessing import StandardScaler, OneHotEncoder",
            "import xgboost as xgb",
            "import mlflow",
            "import warnings\nwarnings.filterwarnings('ignore')",
        ]
        lines += self.rng.sample(extra, self.rng.randint(2, 7))
        module, model, _ = self.rng.choice(MODELS)
        lines.append(f"from {module} import {model}")
        return "\n".join(lines)

    def load(self) -> str:
        frame, name = self.pick(FRAMES), self.pick(DATASETS)
        choice = self.rng.random()
        if choice < 0.4:
            return f'{frame} = pd.read_csv("data/{name}.csv")\n{frame}.shape'
        if choice < 0.55:
            return (
                f'URL = "https://raw.githubusercontent.com/acme/{name}-data/main/{name}.csv"\n'
                f"{frame} = pd.read_csv(URL)"
            )
        if choice < 0.7:
            return (
                f'import dvc.api\nwith dvc.api.open("data/{name}.parquet", rev="v1.{self.rng.randint(0, 9)}")'
                f" as f:\n    {frame} = pd.read_parquet(f)"
            )
        if choice < 0.8:
            return (
                f's3 = boto3.client("s3")\n'
                f's3.download_file("ml-{name}", "raw/{name}.csv", "{name}.csv")\n'
                f'{frame} = pd.read_csv("{name}.csv")'
            )
        if choice < 0.9:
            return "from sklearn.datasets import load_breast_cancer\nX, y = load_breast_cancer(return_X_y=True, as_frame=True)"
        return f'from datasets import load_dataset\nds = load_dataset("{name}", split="train")\n{frame} = ds.to_pandas()'

    def explore(self) -> str:
        frame = self.pick(FRAMES)
        a, b, c = self.cols(3)
        options = [
            f"{frame}.head()",
            f"{frame}.describe()",
            f"{frame}.info()",
            f"{frame}.isna().sum()",
            f"{frame}['{a}'].value_counts()",
            f"{frame}.groupby('{a}')['{b}'].mean().sort_values(ascending=False)",
            f"{frame}[['{a}', '{b}', '{c}']].corr()",
            f"{frame} = {frame}.dropna(subset=['{a}'])\n{frame}['{b}'] = {frame}['{b}'].fillna(0)",
            f"{frame}['{a}_log'] = np.log1p({frame}['{a}'])\n{frame}['{b}_ratio'] = {frame}['{b}'] / ({frame}['{c}'] + 1)",
            f"{frame} = pd.get_dummies({frame}, columns=['{a}'], drop_first=True)",
            f"print({frame}.shape)\nprint({frame}.dtypes)",
        ]
        return self.rng.choice(options)

    def plot(self) -> str:
        frame = self.pick(FRAMES)
        a, b = self.cols(2)
        options = [
            f"fig, ax = plt.subplots(figsize=(8, 4))\nsns.histplot({frame}['{a}'], bins=50, ax=ax)\nax.set_title('{a}')\nplt.show()",
            f"sns.scatterplot(data={frame}, x='{a}', y='{b}')\nplt.show()",
            f"plt.figure(figsize=(10, 6))\nsns.heatmap({frame}.corr(numeric_only=True), annot=True, fmt='.2f', cmap='coolwarm')\nplt.tight_layout()",
            f"{frame}['{a}'].plot(kind='box')",
        ]
        return self.rng.choice(options)

    def split(self) -> str:
        frame, target = self.pick(FRAMES), self.pick(TARGETS)
        if self.rng.random() < 0.5:
            return (
                f"X = {frame}.drop(columns=['{target}'])\ny = {frame}['{target}']\n"
                "X_train, X_test, y_train, y_test = train_test_split(\n"
                f"    X, y, test_size=0.2, random_state={self.rng.randint(0, 100)}, stratify=y\n)"
            )
        return f"X = {frame}.drop(columns=['{target}']).values\ny = {frame}['{target}'].values"

    def train(self) -> str:
        _, model, params = self.rng.choice(MODELS)
        kwargs = params.format(n=self.rng.choice((100, 200, 500)), d=self.rng.randint(3, 12))
        data = self.rng.choice(("X_train, y_train", "X, y"))
        body = f"model = {model}({kwargs})\nmodel.fit({data})"
        if self.rng.random() < 0.3:
            body = (
                f"with mlflow.start_run():\n    mlflow.log_param('model', '{model}')\n    "
                + body.replace("\n", "\n    ")
            )
        return body

    def evaluate(self) -> str:
        options = [
            "y_pred = model.predict(X_test)\nprint(classification_report(y_test, y_pred))",
            "print('accuracy', accuracy_score(y_test, model.predict(X_test)))",
            "print('train accuracy', model.score(X, y))",
            "proba = model.predict_proba(X_test)[:, 1]\nprint(f'AUC: {roc_auc_score(y_test, proba):.3f}')",
            "scores = ms.cross_val_score(model, X, y, cv=5)\nprint(scores.mean(), scores.std())",
        ]
        return self.rng.choice(options)

    def helper(self) -> str:
        """A longer cell: a function or a loop, for the long tail of cell sizes."""
        a, b = self.cols(2)
        n = self.rng.choice((2, 3, 4, 6, 8, 12, 20, 35))
        lines = [
            f"def prepare(frame, cols=('{a}', '{b}')):",
            '    """Clean and scale the numeric columns."""',
            "    frame = frame.copy()",
        ]
        for i in range(n):
            col = self.pick(COLUMNS)
            lines.append(f"    frame['{col}_{i}'] = frame['{col}'].clip(lower=0) * {i + 1}")
        lines += [
            "    for col in cols:",
            "        mean, std = frame[col].mean(), frame[col].std()",
            "        frame[col] = (frame[col] - mean) / std",
            "    return frame",
        ]
        if self.rng.random() < 0.5:
            lines += ["", "results = {}", f"for depth in range(2, {n + 4}):"]
            lines += [
                "    clf = DecisionTreeClassifier(max_depth=depth)",
                "    clf.fit(X_train, y_train)",
                "    results[depth] = clf.score(X_test, y_test)",
                "results",
            ]
        return "\n".join(lines)

    def ipython(self) -> str:
        options = [
            "%matplotlib inline",
            f"!pip install -q {' '.join(self.rng.sample(PACKAGES, 2))}",
            "%load_ext autoreload\n%autoreload 2",
            "!ls -la data/ | head",
            f"!wget -q https://example.org/data/{self.pick(DATASETS)}.zip\n!unzip -o -q {self.pick(DATASETS)}.zip -d data/",
            "%%time\nmodel.fit(X_train, y_train)",
            "%%writefile train.py\nimport argparse\nparser = argparse.ArgumentParser()\nparser.add_argument('--epochs', type=int, default=10)\nargs = parser.parse_args()",
            "%%bash\nset -e\nmkdir -p output\naws s3 sync s3://ml-artifacts/models/ output/",
            "files = !ls data/*.csv\nlen(files)",
            "%env MLFLOW_TRACKING_URI=http://localhost:5000",
            "%%capture\n!pip install xgboost==2.1.1",
            "df.describe?",
        ]
        return self.rng.choice(options)

    def secret(self) -> str:
        key = "".join(self.rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
        secret = "".join(
            self.rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
            for _ in range(40)
        )
        return (
            f's3 = boto3.client(\n    "s3",\n    aws_access_key_id="AKIA{key}",\n'
            f'    aws_secret_access_key="{secret}",\n)'
        )

    def fresh_code(self) -> str:
        makers = (
            (self.imports, 1),
            (self.load, 2),
            (self.explore, 8),
            (self.plot, 3),
            (self.split, 1),
            (self.train, 2),
            (self.evaluate, 2),
            (self.helper, 3),
            (self.ipython, 5),
        )
        maker = self.rng.choices([m for m, _ in makers], weights=[w for _, w in makers])[0]
        if maker in (self.explore, self.plot, self.evaluate):
            # Real cells often do a few things at once, with a comment or two.
            parts = [maker() for _ in range(self.rng.choice((1, 2, 2, 3, 3, 4, 5)))]
            if self.rng.random() < 0.4:
                parts.insert(0, f"# {self.rng.choice(COMMENTS)}")
            return "\n".join(parts)
        return maker()

    def code(self) -> str:
        roll = self.rng.random()
        if roll < 0.35:
            return self.rng.choice(self.pool)
        if roll < 0.355:
            return self.rng.choice(BAD_CELLS)
        if roll < 0.36:
            return self.secret()
        return self.fresh_code()

    def markdown(self) -> str:
        topics = ("Load the data", "Exploration", "Feature engineering", "Model", "Evaluation")
        return f"## {self.rng.choice(topics)}\n\nNotes on the {self.pick(DATASETS)} data."

    # -- notebooks -----------------------------------------------------------------------------
    def notebook(self, code_cells: int) -> dict[str, Any]:
        sources: list[tuple[str, str]] = [("markdown", f"# {self.pick(DATASETS).title()} model")]
        sources.append(("code", self.imports()))
        sources.append(("code", self.load()))
        while sum(kind == "code" for kind, _ in sources) < code_cells:
            if self.rng.random() < 0.3:
                sources.append(("markdown", self.markdown()))
            sources.append(("code", self.code()))
        minor = 5 if self.rng.random() < 0.5 else 4
        cells = []
        for i, (kind, source) in enumerate(sources):
            cell: dict[str, Any] = {"cell_type": kind, "metadata": {}, "source": source}
            if minor >= 5:
                cell["id"] = f"{self.rng.getrandbits(32):08x}-{i}"
            if kind == "code":
                cell["execution_count"] = None
                cell["outputs"] = []
            cells.append(cell)
        metadata: dict[str, Any] = {}
        if self.rng.random() < 0.7:
            metadata["kernelspec"] = {
                "display_name": "Python 3",
                "language": "python",
                "name": "python3",
            }
        return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": minor}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the notebooks into")
    parser.add_argument("count", type=int, help="number of notebooks")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cells", type=int, default=20, help="typical code cells per notebook")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    writer = Writer(rng)
    for i in range(args.count):
        code_cells = max(3, round(rng.gauss(args.cells, args.cells / 4)))
        folder = args.out / f"project_{i // 25:03d}" / ("notebooks" if i % 3 else "")
        folder.mkdir(parents=True, exist_ok=True)
        data = writer.notebook(code_cells)
        path = folder / f"{writer.pick(DATASETS)}_{i:05d}.ipynb"
        path.write_text(json.dumps(data, indent=1) + "\n", "utf-8")
    print(f"wrote {args.count} notebooks to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
