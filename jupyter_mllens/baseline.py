"""Baselines: adopt the linter on a legacy repository by reporting only new findings.

`mllens check --write-baseline FILE` records today's findings; `--baseline FILE` leaves those
out of later runs. A finding is recognised by a fingerprint of its rule, its notebook's path
and the offending source line (whitespace-normalised), plus its rank among identical ones.
Never by line or cell number: cells move, lines shift, and a recorded finding must stay
recorded through that. Editing the offending line itself makes it new, which is the point.
The file holds fingerprints and masked messages only, never source text.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .document import Document
from .findings import Finding
from .formats.source import finding_line

BASELINE_VERSION = 1


class BaselineError(ValueError):
    """A baseline file that cannot be used; the message names the file."""


def _offending_line(finding: Finding, document: Document | None) -> str:
    line = finding_line(document, finding) if document is not None else None
    return " ".join(line.split()) if line is not None else ""


def fingerprints(
    findings: Sequence[Finding], lookup: Callable[[str], Document | None]
) -> list[str]:
    """One fingerprint per finding, in the same order.

    Identical findings (same rule, notebook and offending line) are told apart by their
    rank in document order, so recording two and fixing one leaves one recorded.
    """
    result = [""] * len(findings)
    seen: Counter[tuple[str, str, str]] = Counter()
    order = sorted(range(len(findings)), key=lambda i: findings[i].sort_key())
    for index in order:
        finding = findings[index]
        key = (finding.code, finding.path, _offending_line(finding, lookup(finding.path)))
        seen[key] += 1
        text = "\0".join((*key, str(seen[key])))
        result[index] = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return result


def write_baseline(
    path: Path, findings: Sequence[Finding], lookup: Callable[[str], Document | None]
) -> None:
    entries = [
        {"fingerprint": fp, "code": f.code, "name": f.name, "path": f.path, "message": f.message}
        for f, fp in zip(findings, fingerprints(findings, lookup), strict=True)
    ]
    data = {"version": BASELINE_VERSION, "tool": "mllens", "findings": entries}
    path.write_text(json.dumps(data, indent=1) + "\n", "utf-8")


def read_baseline(path: Path) -> Counter[str]:
    """The recorded fingerprints, counted (identical findings are recorded once each)."""
    try:
        data: Any = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc}") from None
    except (ValueError, RecursionError) as exc:
        raise BaselineError(f"{path}: not a baseline (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
        raise BaselineError(f"{path}: not an mllens baseline of version {BASELINE_VERSION}")
    entries = data.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries
    ):
        raise BaselineError(f"{path}: 'findings' must be a list of recorded findings")
    return Counter(e["fingerprint"] for e in entries)


def new_findings(
    findings: Sequence[Finding], known: Counter[str], lookup: Callable[[str], Document | None]
) -> tuple[list[Finding], int]:
    """The findings the baseline does not record, and how many it did."""
    remaining = Counter(known)
    fresh: list[Finding] = []
    matched = 0
    for finding, fp in zip(findings, fingerprints(findings, lookup), strict=True):
        if remaining[fp] > 0:
            remaining[fp] -= 1
            matched += 1
        else:
            fresh.append(finding)
    return fresh, matched
