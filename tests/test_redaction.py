"""No finding's message shows a secret, whichever rule wrote it and whichever format prints it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from jupyter_mllens.cli import main
from jupyter_mllens.redaction import redact

TOKEN = "ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s12"
AWS = "AKIAZ7VQ3MPLR4TNWJ2D"


def test_redact_masks_every_secret_in_a_text() -> None:
    text = f"reads 'https://{TOKEN}@example.org/d.csv' with key {AWS}"
    assert redact(text) == "reads 'https://ghp_****@example.org/d.csv' with key AKIA****"
    assert redact("reads 'data/train.csv'") == "reads 'data/train.csv'"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_a_token_in_a_data_url_is_masked_in_every_format(
    capsys: pytest.CaptureFixture[str], write_notebook: Callable[..., Path], fmt: str
) -> None:
    path = write_notebook(
        "nb.ipynb",
        f"import pandas as pd\ndf = pd.read_csv('https://{TOKEN}@example.org/exports/d.csv')",
        f"!wget https://example.org/d.csv?access_token={TOKEN}",
    )
    status = main(["check", str(path), "--format", fmt, "--select", "unversioned-data"])
    out, err = capsys.readouterr()
    assert status == 1
    assert out.count("unversioned-data") >= 2
    assert TOKEN not in out + err
    assert "ghp_****" in out
