"""unpinned-install: which install lines pin what they install, read the way pip and conda do."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jupyter_mllens.findings import Finding

Lint = Callable[..., list[Finding]]


def installs(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.name == "unpinned-install"]


@pytest.mark.parametrize(
    ("source", "named"),
    [
        ("!pip install pandas", ["pandas"]),
        ("%pip install -q -U pandas", ["pandas"]),
        ("!pip3 install 'numpy>=1.26' scipy==1.13.0", ["numpy>=1.26"]),
        ("!pip install transformers~=4.40", ["transformers~=4.40"]),
        ("!pip install torch==2.*", ["torch==2.*"]),
        ("!pip install 'ray[tune]' --no-deps", ["ray[tune]"]),
        ("!python -m pip install sagemaker", ["sagemaker"]),
        ("!{sys.executable} -m pip install boto3", ["boto3"]),
        ("!uv pip install polars", ["polars"]),
        (
            "!uv pip install --python {sys.executable} --index-strategy unsafe-best-match "
            "'sagemaker>=3,<4' mlflow==3.1.0",
            ["sagemaker>=3,<4"],
        ),
        ("!sudo pip install lightgbm", ["lightgbm"]),
        ("!conda install -y -c conda-forge xgboost", ["xgboost"]),
        ("%conda install pytorch::pytorch", ["pytorch::pytorch"]),
        ("!pip install -r requirements.txt mlflow", ["mlflow"]),
        (
            "!pip install git+https://github.com/org/repo.git@main",
            ["git+https://github.com/org/repo.git@main"],
        ),
        ("!pip install a b c d e", ["a", "b", "c"]),
        ("!pip install -qU tensorflow-docs 2>&1", ["tensorflow-docs"]),
    ],
)
def test_unpinned_packages_are_named(lint: Lint, source: str, named: list[str]) -> None:
    (finding,) = installs(lint(source))
    assert "unsafe-best-match" not in finding.message  # an option's value, not a package
    assert "2>&1" not in finding.message  # a redirection
    for name in named:
        assert f"`{name}`" in finding.message
    if source.endswith("a b c d e"):
        assert "and 2 more" in finding.message


@pytest.mark.parametrize(
    "source",
    [
        "!pip install pandas==2.2.2",
        "!pip install 'scikit-learn===1.5.1'",
        "!pip install torch[cuda]==2.3.1 --no-deps -q",
        "!pip install 'numpy==1.26.4; python_version < \"3.12\"'",
        "!pip install -r requirements.txt",
        "!pip install --requirement=requirements.txt",
        "!pip install -c constraints.txt pandas",
        "!pip install --require-hashes -r requirements.lock",
        "!pip install -e .",
        "!pip install ./dist/featurelib-0.3.1-py3-none-any.whl",
        "!pip install https://example.org/pkgs/featurelib-0.3.1.tar.gz",
        "!pip install git+https://github.com/org/repo.git@3f2c1a9",
        "!pip install git+https://github.com/org/repo.git@v1.2.0",
        "!pip install --upgrade pip",
        "!pip install -U pip setuptools wheel",
        "%pip install -q uv",
        "%pip install -qr requirements.txt",
        "!pip install -Uc constraints.txt pandas",
        "%pip install deps.txt",
        "!pip install -r requirements.txt > /dev/null 2>&1",
        "!pip install pandas==2.2.2 >install.log",
        "!pip install $PACKAGES",
        "!pip install {requirement}",
        "!conda install -y -c conda-forge lightgbm=4.3.0 xgboost==2.0.3",
        "!pip download pandas",
        "!pip uninstall -y pandas",
        "!echo pip install pandas",
        "!pip install --index-url https://pypi.example.org/simple pandas==2.2.2",
        "%pip install 'unbalanced",
    ],
)
def test_pinned_or_unknown_installs_are_not_reported(lint: Lint, source: str) -> None:
    assert installs(lint(source)) == []


def test_one_finding_per_command_with_its_span(lint: Lint) -> None:
    source = "import os\n!pip install pandas && pip install numpy==1.26.4 && pip install scipy"
    found = installs(lint(source))
    assert [(f.line, f.column) for f in found] == [
        (2, 2),
        (2, source.splitlines()[1].index("pip install scipy") + 1),
    ]
    assert found[0].location.end_column == found[0].column + len("pip install pandas")


def test_bash_cell_lines_are_read(lint: Lint) -> None:
    found = installs(lint("%%bash\nset -e\npip install pandas\nconda install -y mamba=1.5.8\n"))
    assert [(f.line, f.column) for f in found] == [(3, 1)]
    assert "pin it (`name==X.Y.Z`)" in found[0].message


def test_conda_message_names_the_conda_pin(lint: Lint) -> None:
    (finding,) = installs(lint("%conda install -y lightgbm"))
    assert finding.message.startswith("`%conda install` installs `lightgbm`")
    assert "`name=X.Y.Z`" in finding.message


def test_colab_shell_cell_is_read_like_bash(lint: Lint) -> None:
    (finding,) = installs(
        lint("%%shell\ngit clone https://example.org/x.git\npip install gdown -q\n")
    )
    assert (finding.line, finding.column) == (3, 1)
    assert "`gdown`" in finding.message
