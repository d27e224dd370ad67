"""Library knowledge of the rules: what the entries of a rule's `[knowledge]` table mean.

A rule's library knowledge (which calls record a run, which functions read data, which
parameters take a credential) is data in the rule's own `rules/<code>-<name>.toml`, under
`[knowledge]`, and a team extends it for its own libraries in
`[tool.mllens.rules.<name>]`. Both are lists of strings; this module says what each string
must look like, so a malformed entry fails when the catalog or the configuration is
loaded, with the file and key named, instead of silently matching nothing.

Entry kinds:

- `name`: a qualified name, matched as itself or anything under it (`mlflow`,
  `acme_ml.log_run`, `accelerate.Accelerator().init_trackers`).
- `word`: an identifier (`log_metric`, `read_csv`); a trailing `*` makes it a prefix
  (`scan_*`).
- `call-keyword`: `callable:keyword`, optionally `@position` (where the value is when not
  named) and `[element]` (an item of a tuple value): `wandb.login:key`,
  `huggingface_hub.login:token@0`, `neo4j:auth[1]`. An empty callable (`:report_to`)
  means any call.
- `prefix`: the start of a location, without spaces (`s3://acme-ml-artifacts/`).
- `threshold`: `setting=integer` (`keras-epochs=50`); a later entry for the same setting
  wins, so a team's option replaces the shipped value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a run served from the cache validates knowledge without loading libcst
    from .analysis.qualified import QualifiedName

_NAME = re.compile(r"^[A-Za-z_]\w*(?:\(\))?(?:\.[A-Za-z_]\w*(?:\(\))?)*$")
_WORD = re.compile(r"^[A-Za-z_]\w*\*?$")
_CALL_KEYWORD = re.compile(
    r"^(?P<callable>[A-Za-z_][\w.()]*)?:(?P<keyword>[A-Za-z_]\w*)"
    r"(?:@(?P<position>\d+))?(?:\[(?P<element>\d+)\])?$"
)
_PREFIX = re.compile(r"^\S+$")
_THRESHOLD = re.compile(r"^[a-z][a-z0-9-]*=\d{1,9}$")

_FORMATS: Mapping[str, tuple[re.Pattern[str], str]] = {
    "name": (_NAME, "a qualified name such as `package.module.function`"),
    "word": (_WORD, "an identifier, optionally ending in `*`"),
    "call-keyword": (_CALL_KEYWORD, "`callable:keyword`, optionally with `@position`"),
    "prefix": (_PREFIX, "a location prefix without spaces"),
    "threshold": (_THRESHOLD, "`setting=integer` such as `keras-epochs=50`"),
}

#: The entry kind of every knowledge key, per rule. A key not listed here is an error in
#: the catalog, so a misspelt table name cannot ship.
KINDS: Mapping[str, Mapping[str, str]] = {
    "missing-experiment-tracking": {
        "trackers": "name",
        "tracker-methods": "word",
        "tracker-keywords": "call-keyword",
        "tracker-imports": "name",
        "tracker-settings": "word",
    },
    "unregistered-model": {
        "save-functions": "name",
        "save-methods": "word",
        "trained-constructors": "name",
        "registries": "name",
        "registry-methods": "word",
        "registry-keywords": "call-keyword",
    },
    "unversioned-data": {
        "readers": "name",
        "dataframe-libraries": "name",
        "dataframe-readers": "word",
        "array-libraries": "name",
        "array-readers": "word",
        "path-keywords": "word",
        "writers": "word",
        "own-storage": "prefix",
    },
    # The SageMaker job rules (`checkers/sagemaker_jobs.py`): the classes each checks, by
    # their own name, and the settings that satisfy it as keyword paths into config objects
    # (`max_run`, `compute.enable_managed_spot_training`).
    "training-without-encryption": {
        "jobs": "word",
        "volume-keys": "name",
        "output-keys": "name",
        "deploy-keys": "name",
        "local-storage-instances": "prefix",
    },
    "training-without-network-isolation": {
        "jobs": "word",
        "isolation": "name",
        "subnets": "name",
        "security-groups": "name",
    },
    "endpoint-without-data-capture": {
        "capture": "name",
        "capture-methods": "word",
    },
    "training-without-spot-instances": {
        "jobs": "word",
        "spot": "name",
        "reserved-capacity": "name",
        "accelerated-instances": "prefix",
    },
    "training-without-max-runtime": {
        "jobs": "word",
        "limits": "name",
    },
    "deploy-from-notebook": {
        "production-words": "word",
    },
    "distributed-training-without-intercontainer-encryption": {
        "jobs": "word",
        "encryption": "name",
        "instance-counts": "name",
    },
    "hardcoded-credentials": {
        "credential-parameters": "call-keyword",
        "not-credential-parameters": "call-keyword",
    },
    "training-without-early-stopping": {
        "thresholds": "threshold",
        "early-stopping": "name",
    },
    "unsafe-deserialization": {"pickle-loaders": "name"},
    "data-leakage": {
        "learners": "name",
        "vocabulary-learners": "name",
        "frequency-keywords": "word",
        "models": "name",
        "splits": "name",
        "splitters": "name",
        "synthetic-data": "name",
    },
    "missing-data-validation": {
        "dataframe-libraries": "name",
        "dataframe-readers": "word",
        "array-libraries": "name",
        "array-readers": "word",
        "check-methods": "word",
        "check-functions": "name",
        "check-attributes": "word",
        "validation-libraries": "name",
        "imputers": "name",
    },
    "unpinned-pretrained-model": {
        "not-hub-loaders": "name",
        "model-keywords": "word",
        "adapter-loaders": "name",
        "tensorflow-hub-loaders": "name",
    },
    # `train-functions` ... `job-wrappers` are read by `checkers/training.py` for every rule
    # that asks where models are trained.
    "no-evaluation-split": {
        "train-functions": "name",
        "model-libraries": "name",
        "trainer-libraries": "name",
        "local-trainers": "name",
        "script-keywords": "word",
        "remote-code-classes": "word",
        "job-wrappers": "word",
        "image-keywords": "word",
        "builtin-images": "name",
        "validation-keywords": "word",
        "cross-validators": "word",
        "library-cv": "name",
        "predict-methods": "word",
        "score-methods": "word",
        "score-data-keywords": "word",
        "metric-modules": "name",
        "metric-functions": "word",
        "lookup-methods": "word",
        "synthetic-data": "name",
        "plotting-modules": "name",
        "samplers": "name",
        "save-methods": "word",
        "load-methods": "word",
        "keep-methods": "word",
        "report-methods": "word",
        "random-draws": "name",
    },
    "missing-random-seed": {
        "seeders": "name",
        "seed-functions": "word",
        "randomized": "word",
    },
}


class KnowledgeError(ValueError):
    """An entry that does not have the shape its key asks for."""


def validate(rule: str, key: str, value: object) -> tuple[str, ...]:
    """`value` as a tuple of entries, or `KnowledgeError` saying what is wrong with it."""
    kinds = KINDS.get(rule, {})
    if key not in kinds:
        known = ", ".join(sorted(kinds)) or "none"
        raise KnowledgeError(f"unknown key (known: {known})")
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise KnowledgeError("must be a list of strings")
    pattern, shape = _FORMATS[kinds[key]]
    bad = [item for item in value if not pattern.match(item)]
    if bad:
        raise KnowledgeError(f"{bad[0]!r} is not {shape}")
    return tuple(value)


@dataclass(frozen=True)
class CallKeyword:
    """A `call-keyword` entry: a parameter of a callable, by keyword or position."""

    #: The callable, matched as itself or anything under it; None (an empty callable in
    #: the entry) for any call.
    callable: QualifiedName | None
    keyword: str
    position: int | None = None
    element: int | None = None


@cache
def call_keywords(entries: tuple[str, ...]) -> tuple[CallKeyword, ...]:
    """Parse `call-keyword` entries (cached: the same tables come back for every notebook)."""
    from .analysis.qualified import QualifiedName  # the engine's: loaded only when rules run

    parsed: list[CallKeyword] = []
    for entry in entries:
        match = _CALL_KEYWORD.match(entry)
        if match is None:
            raise KnowledgeError(f"{entry!r} is not {_FORMATS['call-keyword'][1]}")
        position, element = match["position"], match["element"]
        parsed.append(
            CallKeyword(
                QualifiedName.parse(match["callable"]) if match["callable"] else None,
                match["keyword"],
                int(position) if position is not None else None,
                int(element) if element is not None else None,
            )
        )
    return tuple(parsed)


@cache
def thresholds(entries: tuple[str, ...]) -> Mapping[str, int]:
    """`threshold` entries as setting -> value; the last entry for a setting wins."""
    found: dict[str, int] = {}
    for entry in entries:
        if not _THRESHOLD.match(entry):
            raise KnowledgeError(f"{entry!r} is not {_FORMATS['threshold'][1]}")
        setting, _, value = entry.partition("=")
        found[setting] = int(value)
    return found
