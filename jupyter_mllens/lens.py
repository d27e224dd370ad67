"""The AWS Well-Architected Machine Learning Lens as data: pillars, phases, best practices.

Rules cite best practices by their 2025 ID (`MLSEC03-BP02`); this module turns an ID into
its title, pillar, phase, documentation URL and the 2023 whitepaper alias, so every face
(CLI docs, SARIF help, the JupyterLab panel) explains a finding in the lens's own terms.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Pillar:
    id: str
    title: str
    description: str
    #: A one-word name for tight places (the JupyterLab panel's pillar grid).
    short_title: str = ""


@dataclass(frozen=True)
class Phase:
    id: str
    title: str
    description: str


@dataclass(frozen=True)
class BestPractice:
    id: str
    title: str
    pillar: str
    phase: str
    risk: str
    url: str
    legacy_id: str | None
    legacy_title: str | None

    def citation(self) -> str:
        """`MLSEC03-BP02 Secure data and modeling environment (formerly MLSEC-04)`."""
        alias = f" (formerly {self.legacy_id})" if self.legacy_id else ""
        return f"{self.id} {self.title}{alias}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "pillar": self.pillar,
            "phase": self.phase,
            "risk": self.risk,
            "url": self.url,
            "legacy_id": self.legacy_id,
            "legacy_title": self.legacy_title,
        }


PILLARS: tuple[Pillar, ...] = (
    Pillar(
        "operational-excellence",
        "Operational excellence",
        "Run and monitor ML workloads to deliver business value, and keep improving the "
        "processes that build them: tracked experiments, versioned data and code, automation.",
        "Operations",
    ),
    Pillar(
        "security",
        "Security",
        "Protect data, models, credentials and infrastructure: least privilege, secrets kept "
        "out of code, encryption, isolated environments and trusted artifacts.",
        "Security",
    ),
    Pillar(
        "reliability",
        "Reliability",
        "Make ML results reproducible and models trustworthy: versioned inputs, validation on "
        "held-out data, consistent features, and recoverable deployments.",
        "Reliability",
    ),
    Pillar(
        "performance-efficiency",
        "Performance efficiency",
        "Use computing resources efficiently and measure the right things: relevant metrics, "
        "baselines, drift detection and suitable instance types.",
        "Performance",
    ),
    Pillar(
        "cost-optimization",
        "Cost optimization",
        "Avoid unnecessary spend: right-sized and spot capacity, endpoints stopped when idle, "
        "and resources tagged so cost can be traced to ML activity.",
        "Cost",
    ),
    Pillar(
        "sustainability",
        "Sustainability",
        "Minimise the environmental impact of ML: avoid wasted training runs and idle "
        "resources, and prefer efficient formats, algorithms and hardware.",
        "Sustainability",
    ),
)

PHASES: tuple[Phase, ...] = (
    Phase(
        "business-goal",
        "Business goal identification",
        "Decide what problem is worth solving with ML, its value and its success criteria.",
    ),
    Phase(
        "problem-framing",
        "ML problem framing",
        "Turn the business goal into an ML task: what is predicted, from which data, judged by "
        "which metrics.",
    ),
    Phase(
        "data-processing",
        "Data processing",
        "Collect, prepare and engineer the data that models are trained and evaluated on.",
    ),
    Phase(
        "model-development",
        "Model development",
        "Train, tune and evaluate models, and keep every experiment traceable and reproducible.",
    ),
    Phase(
        "deployment",
        "Deployment",
        "Put a model behind an endpoint or batch job and roll out changes safely.",
    ),
    Phase(
        "monitoring",
        "Monitoring",
        "Watch models in production: data and prediction quality, drift, cost and usage.",
    ),
)

PILLAR_IDS = tuple(p.id for p in PILLARS)
PHASE_IDS = tuple(p.id for p in PHASES)


def pillar(pillar_id: str) -> Pillar:
    for item in PILLARS:
        if item.id == pillar_id:
            return item
    raise KeyError(f"unknown pillar {pillar_id!r}")


def phase(phase_id: str) -> Phase:
    for item in PHASES:
        if item.id == phase_id:
            return item
    raise KeyError(f"unknown lifecycle phase {phase_id!r}")


@cache
def best_practices() -> dict[str, BestPractice]:
    """All 105 best practices of the lens, by 2025 ID."""
    text = resources.files("jupyter_mllens").joinpath("data/lens.json").read_text("utf-8")
    raw = json.loads(text)
    return {
        item["id"]: BestPractice(
            id=item["id"],
            title=item["title"],
            pillar=item["pillar"],
            phase=item["phase"],
            risk=item["risk"],
            url=item["url"],
            legacy_id=item.get("legacy_id"),
            legacy_title=item.get("legacy_title"),
        )
        for item in raw["best_practices"]
    }


def best_practice(bp_id: str) -> BestPractice:
    try:
        return best_practices()[bp_id]
    except KeyError:
        raise KeyError(f"unknown ML Lens best practice {bp_id!r}") from None
