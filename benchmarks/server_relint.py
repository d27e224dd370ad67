"""Server-side re-lint latency after a one-cell edit of a 100-cell notebook.

What the JupyterLab panel costs per keystroke burst: the server keeps one `Linter` whose
cache is keyed by cell content, so after an edit only the edited cell is parsed again and
the notebook-wide checks run over cached facts. This measures exactly the path of
`POST /mllens/lint` minus HTTP: `LintService.lint` (config discovery + `lint_notebook`).

    python benchmarks/server_relint.py [--cells 100] [--repeat 50]

The issue's target is well under 50 ms for 100 cells.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from jupyter_mllens.reader import code_notebook
from jupyter_mllens.server.service import LintRequest, LintService

#: A realistic mix: imports, data loading, feature work, training, evaluation, a secret.
CELL_TEMPLATES = (
    "import numpy as np\nimport pandas as pd\nfrom sklearn.model_selection import train_test_split\n",
    'df{i} = pd.read_csv("s3://ml-data/raw/part-{i}.csv")\ndf{i} = df{i}.dropna()\n',
    "features{i} = df{i}[[c for c in df{i}.columns if c != 'label']]\n"
    "labels{i} = df{i}['label']\n"
    "features{i} = (features{i} - features{i}.mean()) / features{i}.std()\n",
    "from sklearn.ensemble import RandomForestClassifier\n"
    "model{i} = RandomForestClassifier(n_estimators=100, random_state={i})\n"
    "X_tr, X_te, y_tr, y_te = train_test_split(features{i}, labels{i}, test_size=0.2)\n"
    "model{i}.fit(X_tr, y_tr)\n",
    "def summarize{i}(frame):\n"
    '    """Column statistics for a quick look."""\n'
    "    out = {{}}\n"
    "    for name in frame.columns:\n"
    "        out[name] = (frame[name].min(), frame[name].max(), frame[name].mean())\n"
    "    return out\n\nsummary{i} = summarize{i}(df{i})\n",
    'api_token_{i} = "ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s{i:02d}"\n',
    "%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot(np.arange({i}))\n",
    "# Notes for step {i}\nresult{i} = model{i}.score(X_te, y_te)\nprint(result{i})\n",
)


def notebook(cells: int) -> dict[str, Any]:
    return code_notebook(
        [CELL_TEMPLATES[i % len(CELL_TEMPLATES)].format(i=i) for i in range(cells)]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as root:
        service = LintService(Path(root))
        nb = notebook(args.cells)
        start = time.perf_counter()
        first = service.lint(LintRequest("bench/notebook.ipynb", nb))
        cold = time.perf_counter() - start

        timings = []
        edited = args.cells // 2
        for n in range(args.repeat):
            nb = copy.deepcopy(nb)
            nb["cells"][edited]["source"] += f"\nx_{n} = {n}  # an edit\n"
            start = time.perf_counter()
            result = service.lint(LintRequest("bench/notebook.ipynb", nb))
            timings.append(time.perf_counter() - start)

    ms = sorted(t * 1000 for t in timings)
    print(f"{args.cells}-cell notebook, {len(first['findings'])} findings")
    print(f"cold lint (empty cache):       {cold * 1000:8.1f} ms")
    print(
        f"re-lint after a one-cell edit: {statistics.median(ms):8.1f} ms median, "
        f"{ms[int(len(ms) * 0.95) - 1]:.1f} ms p95, {ms[0]:.1f} ms min  ({args.repeat} runs)"
    )
    assert len(result["findings"]) == len(first["findings"])


if __name__ == "__main__":
    main()
