"""`unpinned-pretrained-model`: a pretrained model loaded from a hub at whatever version is newest.

`AutoModel.from_pretrained("org/name")` downloads the repository's `main` branch on the day the
notebook runs; so do `pipeline(model=...)`, `hf_hub_download`, `SentenceTransformer("org/name")`
and timm's `pretrained=True`. `torch.hub.load("owner/repo", ...)` takes the head of a GitHub
branch, a TensorFlow Hub or Kaggle handle without its trailing `/<version>` the latest version,
and a SageMaker JumpStart model without `model_version=` resolves to `"*"`. A pin is a
`revision=` other than `main`/`master`, a ref after the repository (`owner/repo:v0.6.0`), a
versioned handle, or a `model_version`.

What is loaded must be a hub id the notebook spells out: a local directory (one the notebook
saves a model, trainer output or download to, or any path written as one: `./model`,
`/opt/ml/model`) and a value the notebook does not show are left alone. Datasets are
`unversioned-data`'s (`snapshot_download(repo_type="dataset")`, `load_dataset`).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

import libcst as cst

from ..analysis import NotebookContext
from ..analysis.cell import CallSite
from ..analysis.context import ResolvedCall
from ..analysis.names import string_value
from ..analysis.qualified import QualifiedName
from ..analysis.shell import shell_commands
from ..findings import Severity
from .base import Checker, Violation
from .unversioned_data import written_paths

_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*$")
#: Hub ids without an owner, as the oldest models have them (`gpt2`, `bert-base-uncased`,
#: `t5-small`): lower-case words joined by hyphens, or a word with a digit. Bare words such as
#: `model` or `output` are more often local folders than models.
_LEGACY_ID = re.compile(r"^(?:[a-z][a-z0-9]*(?:-[a-z0-9.]+)+|[a-z]+\d[a-z0-9]*)$")
_FILE = re.compile(r"\.(?:json|bin|pt|pth|ckpt|safetensors|gguf|onnx|h5|pkl|zip|gz|txt|model)$")
_LOCAL_WORDS = re.compile(r"^(?:checkpoint|output|outputs|result|results|model|models|tmp)\b")
_MOVING = frozenset({"main", "master"})
_VERSIONED_HANDLE = re.compile(r"/\d+/?$")
_GIT_CLONE_HF = re.compile(r"https?://huggingface\.co/(?:[^/\s]+/)?([^/\s]+?)(?:\.git)?/?$")


_JUMPSTART = frozenset(
    map(
        QualifiedName.parse,
        (
            "sagemaker.jumpstart.model.JumpStartModel",
            "sagemaker.jumpstart.estimator.JumpStartEstimator",
            "sagemaker.jumpstart.JumpStartModel",
            "sagemaker.jumpstart.JumpStartEstimator",
        ),
    )
)


@dataclass(frozen=True)
class _Knowledge:
    not_hub: tuple[str, ...]
    model_keywords: tuple[str, ...]
    second_argument: tuple[str, ...]
    tensorflow_hub: tuple[str, ...]


def _knowledge(ctx: NotebookContext) -> _Knowledge:
    return _parse(tuple(ctx.knowledge(UnpinnedPretrainedModel.name).items()))


@cache
def _parse(items: tuple[tuple[str, tuple[str, ...]], ...]) -> _Knowledge:
    table: Mapping[str, tuple[str, ...]] = dict(items)
    return _Knowledge(
        not_hub=table.get("not-hub-loaders", ()),
        model_keywords=table.get("model-keywords", ()),
        second_argument=table.get("adapter-loaders", ()),
        tensorflow_hub=table.get("tensorflow-hub-loaders", ()),
    )


class UnpinnedPretrainedModel(Checker):
    name = "unpinned-pretrained-model"
    options: ClassVar[Mapping[str, str]] = {
        "not-hub-loaders": "qualified names whose `from_pretrained` does not load from the "
        'Hugging Face Hub (`"acme_models.Registry"`); their calls are not reported',
    }

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        knowledge = _knowledge(ctx)
        for call in ctx.calls:
            found = self._check(ctx, call, knowledge)
            if found is not None:
                yield found

    def _check(
        self, ctx: NotebookContext, call: ResolvedCall, knowledge: _Knowledge
    ) -> Violation | None:
        site = call.site
        if site.method == "from_pretrained":
            if call.is_any(*knowledge.not_hub):
                return None
            position = 1 if call.is_any(*knowledge.second_argument) else 0
            return _hub(ctx, call, _model_argument(site, position, knowledge), "from_pretrained")
        if call.is_any("transformers.pipeline"):
            model = site.arg(1, "model")
            return _hub(ctx, call, model, "pipeline") if model is not None else None
        if call.is_any(
            "sentence_transformers.SentenceTransformer", "sentence_transformers.CrossEncoder"
        ):
            return _hub(ctx, call, site.arg(0, "model_name_or_path"), "model")
        if call.is_any("huggingface_hub.hf_hub_download", "huggingface_hub.snapshot_download"):
            repo_type = ctx.string_of(
                site.kwargs["repo_type"].value if "repo_type" in site.kwargs else None, call.point
            )
            if repo_type in ("dataset", "space"):
                return None  # datasets are `unversioned-data`'s
            return _hub(ctx, call, site.arg(0, "repo_id"), "download")
        if call.is_any("timm.create_model"):
            return _timm(ctx, call)
        if call.is_any("torch.hub.load"):
            return _torch_hub(ctx, call)
        if call.is_any(*knowledge.tensorflow_hub):
            return _tensorflow_hub(ctx, call)
        if call.qualified in _JUMPSTART:
            return _jumpstart(ctx, call)
        return None


def _callee(call: ResolvedCall) -> str:
    return f"`{call.site.func or call.qualified}`"


def _model_argument(
    site: CallSite, position: int, knowledge: _Knowledge
) -> cst.BaseExpression | None:
    for keyword in knowledge.model_keywords:
        if keyword in site.kwargs:
            return site.kwargs[keyword].value
    return site.arg(position)


def _pinned_revision(ctx: NotebookContext, call: ResolvedCall) -> bool:
    revision = call.site.kwargs.get("revision")
    if revision is None:
        return False
    value = ctx.string_of(revision.value, call.point)
    return value is None or value not in _MOVING


def _hub(
    ctx: NotebookContext, call: ResolvedCall, node: cst.BaseExpression | None, kind: str
) -> Violation | None:
    if node is None or _pinned_revision(ctx, call):
        return None
    site = call.site
    local = site.kwargs.get("local_files_only")
    if local is not None and isinstance(local.value, cst.Name) and local.value.value == "True":
        return None
    repo = _hub_id(ctx, node, call)
    if repo is None:
        return None
    return Violation(
        call.cell,
        f"{_callee(call)} loads {repo!r} from the Hugging Face Hub without a pinned "
        "`revision=`: a rerun can get other weights than the notebook was built with; pass "
        '`revision="<commit sha>"`',
        node=site.node,
    )


def _hub_id(ctx: NotebookContext, node: cst.BaseExpression, call: ResolvedCall) -> str | None:
    """The hub id `node` names, or None for a local folder or a value the notebook hides."""
    text = ctx.text_of(node, call.point)
    if text is None or not text.exact:
        return None
    value = text.value.strip()
    if not (_HUB_ID.match(value) or _LEGACY_ID.match(value)) or _FILE.search(value):
        return None
    if _LOCAL_WORDS.match(value) or _is_local(ctx, value):
        return None
    return value


def _is_local(ctx: NotebookContext, value: str) -> bool:
    folders = ctx.memo("local-model-folders", _local_folders)
    normal = posixpath.normpath(value)
    if normal in folders:
        return True
    if "/" not in normal:
        return False
    if normal.split("/", 1)[0] in ctx.memo("local-folder-heads", _folder_heads):
        return True
    # `user/name` after training into `name` with `push_to_hub`: the notebook's own model.
    return normal.rsplit("/", 1)[1] in ctx.memo("pushed-folder-names", _pushed_names)


def _pushed_names(ctx: NotebookContext) -> frozenset[str]:
    """Names of the folders the notebook trains or saves into, when it pushes to the Hub."""
    pushes = any(True for _ in ctx.calls_named("push_to_hub")) or any(
        _true(call.site.kwargs.get("push_to_hub")) for call in ctx.calls
    )
    if not pushes:
        return frozenset()
    folders = ctx.memo("local-model-folders", _local_folders)
    return frozenset(folder.rsplit("/", 1)[-1] for folder in folders)


def _true(arg: cst.Arg | None) -> bool:
    return arg is not None and isinstance(arg.value, cst.Name) and arg.value.value == "True"


def _folder_heads(ctx: NotebookContext) -> frozenset[str]:
    """First parts of the local folders and written paths: `outputs/` for `outputs/final`."""
    paths = set(ctx.memo("local-model-folders", _local_folders))
    paths.update(posixpath.normpath(p) for p in written_paths(ctx) if "://" not in p)
    return frozenset(p.split("/", 1)[0] for p in paths if "/" in p and "{" not in p)


#: Calls that write a model, a trainer's output or a download into the folder they are given.
_SAVERS = frozenset({"save_pretrained", "save_model", "save", "save_adapter", "save_to_disk"})
_FOLDER_KEYWORDS = ("output_dir", "local_dir", "save_directory", "cache_dir", "target_dir")


def _local_folders(ctx: NotebookContext) -> frozenset[str]:
    """Folders the notebook fills itself: `save_pretrained(d)`, `output_dir=d`, `local_dir=d`,
    `os.makedirs(d)`, `!huggingface-cli download ... --local-dir d`, `!git clone <hub url> d`."""
    folders: set[str] = set()
    for call in ctx.calls:
        site = call.site
        nodes: list[cst.BaseExpression | None] = [
            site.kwargs[k].value for k in _FOLDER_KEYWORDS if k in site.kwargs
        ]
        if site.method in _SAVERS:
            nodes.append(site.arg(0))
        if call.is_any("os.makedirs", "os.mkdir", "pathlib.Path().mkdir"):
            nodes.append(site.arg(0))
        if site.method == "push_to_hub":
            nodes.append(site.arg(0, "repo_id"))  # the notebook's own repository
        for node in nodes:
            text = ctx.text_of(node, call.point)
            if text is not None and text.exact:
                folders.add(posixpath.normpath(text.value.strip()))
    for analyzed in ctx.cells:
        for shell in analyzed.analysis.shell:
            for _, command in shell_commands(shell):
                folders.update(_shell_folders(command.split()))
    folders.discard(".")
    return frozenset(folders)


def _shell_folders(words: list[str]) -> set[str]:
    found: set[str] = set()
    for index, word in enumerate(words[:-1]):
        if word in ("--local-dir", "--output-dir", "-d", "-o"):
            found.add(posixpath.normpath(words[index + 1].strip("'\"")))
    if words[:2] == ["git", "clone"]:
        positional = [w.strip("'\"") for w in words[2:] if not w.startswith("-")]
        if positional:
            match = _GIT_CLONE_HF.match(positional[0])
            if len(positional) > 1:
                found.add(posixpath.normpath(positional[1]))
            elif match is not None:
                found.add(match.group(1))
    if words[:1] == ["mkdir"]:
        found.update(posixpath.normpath(w) for w in words[1:] if not w.startswith("-"))
    return found


def _timm(ctx: NotebookContext, call: ResolvedCall) -> Violation | None:
    site = call.site
    pretrained = site.kwargs.get("pretrained")
    if pretrained is None or not (
        isinstance(pretrained.value, cst.Name) and pretrained.value.value == "True"
    ):
        return None
    if "pretrained_cfg_overlay" in site.kwargs or "checkpoint_path" in site.kwargs:
        return None
    name = ctx.string_of(site.arg(0, "model_name"), call.point)
    if name is None:
        return None
    return Violation(
        call.cell,
        f"{_callee(call)} downloads the pretrained weights of {name!r} from the latest Hub "
        "revision: a rerun can get other weights than the notebook was built with; download "
        "them with `hf_hub_download(..., revision=...)` and pass "
        "`pretrained_cfg_overlay=dict(file=path)`",
        node=site.node,
    )


def _torch_hub(ctx: NotebookContext, call: ResolvedCall) -> Violation | None:
    site = call.site
    source = ctx.string_of(site.kwargs["source"].value if "source" in site.kwargs else None)
    if source == "local":
        return None
    repo = ctx.string_of(site.arg(0, "repo_or_dir"), call.point)
    if repo is None or not _HUB_ID.match(repo.split(":", 1)[0]) or ":" in repo:
        return None
    if _is_local(ctx, repo):
        return None
    return Violation(
        call.cell,
        f"{_callee(call)} loads {repo!r} from the head of its GitHub default branch: a rerun "
        "can get other code and weights than the notebook was built with; pin a tag or "
        f"commit (`'{repo}:<tag>'`)",
        node=site.node,
        severity=Severity.MEDIUM,
    )


def _tensorflow_hub(ctx: NotebookContext, call: ResolvedCall) -> Violation | None:
    site = call.site
    handle = ctx.string_of(site.arg(0, "handle"), call.point)
    if handle is None:
        return None
    if not handle.startswith(("https://tfhub.dev/", "https://www.kaggle.com/models/")):
        return None
    if _VERSIONED_HANDLE.search(handle.split("?", 1)[0]):
        return None
    return Violation(
        call.cell,
        f"{_callee(call)} loads {handle!r} without a version: the handle resolves to the "
        "newest version, so a rerun can get another model; end the handle with the version "
        "the notebook was built with (`.../<n>`)",
        node=site.node,
    )


def _jumpstart(ctx: NotebookContext, call: ResolvedCall) -> Violation | None:
    site = call.site
    version = site.kwargs.get("model_version")
    if version is not None and string_value(version.value) not in ("*", None):
        return None
    if version is not None and not isinstance(version.value, cst.SimpleString):
        return None  # a variable: its value is the notebook's choice
    if "**" in {arg.star for arg in site.args}:
        return None
    model = ctx.string_of(site.arg(0, "model_id"), call.point)
    what = repr(model) if model is not None and re.fullmatch(r"[\w.-]+", model) else "the model"
    kind = "" if call.qualified is None else call.qualified.last
    return Violation(
        call.cell,
        f"`{kind}` uses the latest version of {what} (no `model_version=`): a rerun can "
        'deploy or fine-tune another model; pass `model_version="x.y.z"`',
        node=site.node,
    )
