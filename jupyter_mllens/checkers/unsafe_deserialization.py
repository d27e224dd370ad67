"""`unsafe-deserialization`: pickles, checkpoints and YAML loaded in a way that runs code.

Unpickling calls whatever the file says to call, so loading a pickle (`pickle.load`,
`joblib.load`, `pd.read_pickle`, `np.load(allow_pickle=True)`, `torch.load(weights_only=False)`,
`keras` `load_model(safe_mode=False)`, `yaml.load` with an unsafe Loader, `shelve`) is running
the author's code. That matters for files from someone else, and only dataflow can say
whose a file is (`provenance.py`): one the notebook downloads is reported at the rule's
severity; one it wrote itself earlier is left alone; one whose making it does not show (a
file in the repository, from an earlier notebook) is reported at `info`, as a note; an
argument the notebook does not spell out at all is left alone.

`torch.load` without `weights_only` is only reported when the notebook installs a torch
release older than 2.6, where the default was still `weights_only=False`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import ClassVar

import libcst as cst

from ..analysis import NotebookContext
from ..analysis.context import ResolvedCall
from ..analysis.qualified import QualifiedName
from ..analysis.shell import shell_commands
from ..findings import Severity
from .base import Checker, Violation
from .provenance import Kind, Origin, origin_of

_SOURCE_KEYWORDS = ("file", "filename", "f", "fp", "path", "filepath_or_buffer", "filepath")
_TORCH_PIN = re.compile(r"\btorch(?:\[[^\]]*\])?==(\d+)\.(\d+)")
_SAFE_YAML_LOADERS = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader"})
_KERAS_LOADERS = (
    "keras.models.load_model",
    "keras.saving.load_model",
    "tensorflow.keras.models.load_model",
    "tensorflow.keras.saving.load_model",
    "tf_keras.models.load_model",
)
#: Every callee `_unsafe` looks at, so only their calls are visited.
_LOADERS = (
    "shelve.open",
    "numpy.load",
    "torch.load",
    *_KERAS_LOADERS,
    "yaml.unsafe_load",
    "yaml.unsafe_load_all",
    "yaml.load",
    "yaml.load_all",
)
_PICKLE_FIX = (
    "load only files you made or checked against a known SHA-256, or keep models in a format "
    "that holds no code (safetensors, ONNX, skops with `trusted=`)"
)


class UnsafeDeserialization(Checker):
    name = "unsafe-deserialization"
    options: ClassVar[Mapping[str, str]] = {
        "pickle-loaders": "qualified names of in-house functions that unpickle their first "
        'argument (`"acme_ml.load_artifact"`)',
    }

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        loaders = ctx.knowledge(self.name).get("pickle-loaders", ())
        for call in ctx.calls_to(*_LOADERS, *loaders):
            found = _unsafe(ctx, call, loaders)
            if found is None:
                continue
            verb, fix = found
            origin = origin_of(ctx, _source(call), call.point)
            if origin is None or origin.kind is Kind.WRITTEN:
                continue
            yield Violation(
                call.cell,
                _message(call, verb, origin, fix),
                node=call.site.node,
                severity=Severity.INFO if origin.kind is Kind.LOCAL else None,
            )


def _unsafe(
    ctx: NotebookContext, call: ResolvedCall, loaders: tuple[str, ...]
) -> tuple[str, str] | None:
    """What the call does that runs code and how to avoid it, or None when it is safe."""
    site = call.site
    if call.is_any("shelve.open"):
        return "opens the shelf", _PICKLE_FIX
    if call.is_any(*loaders):
        return "unpickles", _PICKLE_FIX
    if call.is_any("numpy.load"):
        if _literal(site.kwargs.get("allow_pickle")) is True:
            return "unpickles object arrays from", "drop `allow_pickle=True` and save plain arrays"
        return None
    if call.is_any("torch.load"):
        weights_only = _literal(site.kwargs.get("weights_only"))
        if weights_only is False or (
            "weights_only" not in site.kwargs and ctx.memo("torch-before-2.6", _old_torch)
        ):
            return "unpickles", "pass `weights_only=True` (the default from torch 2.6)"
        return None
    if call.is_any(*_KERAS_LOADERS):
        if _literal(site.kwargs.get("safe_mode")) is False:
            return "runs the Python code of Lambda layers in", "drop `safe_mode=False`"
        return None
    if call.is_any("yaml.unsafe_load", "yaml.unsafe_load_all"):
        return "builds arbitrary Python objects from", "use `yaml.safe_load`"
    if call.is_any("yaml.load", "yaml.load_all"):
        loader = site.arg(1, "Loader")
        name = ctx.resolve(QualifiedName.of(loader), call.point)
        if name is not None and name.parts[-1] in _SAFE_YAML_LOADERS:
            return None
        return "builds arbitrary Python objects from", "use `yaml.safe_load`"
    return None


def _literal(arg: cst.Arg | None) -> bool | None:
    if arg is None or not isinstance(arg.value, cst.Name):
        return None
    return {"True": True, "False": False}.get(arg.value.value)


def _source(call: ResolvedCall) -> cst.BaseExpression | None:
    site = call.site
    for keyword in _SOURCE_KEYWORDS:
        if keyword in site.kwargs:
            return site.kwargs[keyword].value
    return site.arg(0)


def _message(call: ResolvedCall, verb: str, origin: Origin, fix: str) -> str:
    callee = f"`{call.site.func or call.qualified}`"
    what = _shown(origin.what)
    if origin.kind is Kind.WEB:
        where = f"{what}, downloaded from outside the notebook"
        if what.strip("'").startswith(("http://", "https://", "ftp://")):
            where = f"{what} from the web"
        risk = "a crafted file runs any code it holds with the notebook's rights"
    else:
        where = f"{what}, which the notebook did not write"
        risk = "if the file comes from someone else, it can run any code with the notebook's rights"
    return f"{callee} {verb} {where}: {risk}; {fix}"


def _shown(text: str) -> str:
    return repr(text if len(text) <= 80 else text[:77] + "...")


def _old_torch(ctx: NotebookContext) -> bool:
    """Whether the notebook installs a torch release before 2.6 (`torch==2.1.0`)."""
    for analyzed in ctx.cells:
        for shell in analyzed.analysis.shell:
            for _, command in shell_commands(shell):
                if "install" not in command:
                    continue
                for major, minor in _TORCH_PIN.findall(command):
                    if (int(major), int(minor)) < (2, 6):
                        return True
    return False
