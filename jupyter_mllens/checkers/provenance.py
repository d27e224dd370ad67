"""Where a file or byte string that a notebook loads comes from: the web, the notebook, or elsewhere.

Loading a pickle, a checkpoint or a model is only dangerous when what is loaded comes from
someone else. The notebook says so through dataflow: the argument is a URL, or the bytes of
an HTTP response, or a path a download put there (`hf_hub_download(...)`, `urlretrieve(url,
"m.pkl")`, `!wget -O m.pkl ...`); or the notebook wrote the path itself earlier (`joblib.dump`,
`torch.save`, `open(path, "wb")`, `df.to_pickle`: `unversioned-data`'s written paths). A
file the notebook neither downloads nor writes came from somewhere the notebook does not
show (the repository, a colleague, an earlier notebook): `Origin.LOCAL`. An argument whose
value the notebook does not spell out at all (a function's parameter) is `None`: unknown.
"""

from __future__ import annotations

import itertools
import posixpath
import re
from dataclasses import dataclass
from enum import Enum

import libcst as cst

from ..analysis import NotebookContext
from ..analysis.context import Point
from ..analysis.qualified import QualifiedName
from ..analysis.shell import shell_commands
from .unversioned_data import checksummed_names, written_by_notebook, written_paths

_MAX_DEPTH = 6
_WEB = re.compile(r"^(?:https?|ftp)://", re.IGNORECASE)
_CLOUD = re.compile(r"^(?:s3a?|gs|az|abfss?|hf)://", re.IGNORECASE)
#: Calls that open a path for reading: what they read is their first argument.
_OPENERS = (
    "open",
    "io.open",
    "builtins.open",
    "gzip.open",
    "bz2.open",
    "lzma.open",
    "fsspec.open",
    "smart_open.open",
    "gfile.GFile",
    "gfile.Open",
    "pathlib.Path().open",
)
#: Wrappers whose content is their first argument's.
_WRAPPERS = ("io.BytesIO", "io.BufferedReader", "io.StringIO")
#: Calls that fetch from the web and return the response (its `.content`, `.read()`).
_FETCHERS = (
    "requests.get",
    "requests.request",
    "requests.Session().get",
    "httpx.get",
    "urllib.request.urlopen",
    "urllib.urlopen",
)
#: Calls that download a file and return its local path.
_DOWNLOADERS = (
    "huggingface_hub.hf_hub_download",
    "huggingface_hub.snapshot_download",
    "keras.utils.get_file",
    "tensorflow.keras.utils.get_file",
    "tf_keras.utils.get_file",
    "pooch.retrieve",
    "wget.download",
    "gdown.download",
    "torch.hub.download_url_to_file",
)
_OUTPUT_OPTIONS = frozenset({"-O", "-o", "--output-document", "--output"})
#: Methods that read what their receiver holds (`f.read()`, `buffer.getvalue()`).
_READS = frozenset({"read", "getvalue", "read_bytes"})


def _paths(names: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(QualifiedName.parse(name).parts for name in names)


_OPENERS_PATHS = _paths(_OPENERS)
_WRAPPERS_PATHS = _paths(_WRAPPERS)
_FETCHERS_PATHS = _paths(_FETCHERS)
_DOWNLOADERS_PATHS = _paths(_DOWNLOADERS)


class Kind(Enum):
    WEB = "web"  # fetched from a URL or a model hub by the notebook
    WRITTEN = "written"  # the notebook wrote it itself
    LOCAL = "local"  # a file whose making the notebook does not show


@dataclass(frozen=True)
class Origin:
    kind: Kind
    #: What the notebook names: the URL, the repository id or the local path.
    what: str


def origin_of(ctx: NotebookContext, node: cst.BaseExpression | None, at: Point) -> Origin | None:
    """Where the file, handle or bytes `node` stands for come from; None when unknown."""
    return _origin(ctx, node, at, 0)


def _origin(
    ctx: NotebookContext, node: cst.BaseExpression | None, at: Point, depth: int
) -> Origin | None:
    if node is None or depth > _MAX_DEPTH:
        return None
    if isinstance(node, cst.Call):
        found = _call_origin(ctx, node, at, depth)
        if found is not None:
            return found
    if isinstance(node, cst.Attribute) and node.attr.value in (
        "content",
        "text",
        "raw",
        "body",
        "data",
    ):
        return _origin(ctx, node.value, at, depth + 1)
    if isinstance(node, cst.Name):
        bound = ctx.binding_at(node.value, at)
        if bound is not None and not bound[1].parameter and bound[1].unpacked is None:
            analyzed, binding = bound
            if isinstance(binding.value, (cst.Call, cst.Attribute)):
                found = _origin(ctx, binding.value, Point.of(analyzed, binding), depth + 1)
                if found is not None:
                    return found
    text = ctx.text_of(node, at)
    if text is None:
        return None
    return _path_origin(ctx, text.value)


def _call_origin(ctx: NotebookContext, node: cst.Call, at: Point, depth: int) -> Origin | None:
    written = QualifiedName.of(node.func)
    qualified = ctx.resolve(written, at) or written
    if qualified is None:
        return None
    if qualified.maker is not None:  # a callee that is a call's result: what was called
        qualified = qualified.maker
    first = next((arg.value for arg in node.args if arg.keyword is None), None)
    if (
        not qualified.is_name
        and qualified.parts[-1] in _READS
        and isinstance(node.func, cst.Attribute)
    ):
        return _origin(ctx, node.func.value, at, depth + 1)  # `f.read()`, `resp.read()`
    if _is(qualified, _OPENERS_PATHS) or _is(qualified, _WRAPPERS_PATHS):
        return _origin(ctx, first, at, depth + 1)
    if _is(qualified, _FETCHERS_PATHS):
        url = ctx.text_of(first, at)
        return Origin(Kind.WEB, url.value if url is not None else "a URL")
    if _is(qualified, _DOWNLOADERS_PATHS):
        keyword = {arg.keyword.value: arg.value for arg in node.args if arg.keyword is not None}
        source = keyword.get("repo_id") or keyword.get("origin") or keyword.get("url") or first
        if "origin" in keyword or qualified.parts[-1] == "get_file":
            source = keyword.get("origin") or (node.args[1].value if len(node.args) > 1 else None)
        text = ctx.text_of(source, at)
        return Origin(Kind.WEB, text.value if text is not None else "the web")
    return None


def _is(qualified: QualifiedName, names: tuple[tuple[str, ...], ...]) -> bool:
    """Whether the path ends with one of `names`' paths (`tensorflow.io.gfile.GFile` ends
    with `gfile.GFile`; any `<x>.open` with `open`)."""
    parts = qualified.parts
    return any(parts[-len(name) :] == name for name in names)


def _path_origin(ctx: NotebookContext, path: str) -> Origin | None:
    value = path.strip()
    if not value or "\n" in value or len(value) > 2048:
        return None
    if _WEB.match(value):
        return Origin(Kind.WEB, value)
    name = value.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    if name and name in checksummed_names(ctx):
        return Origin(Kind.WRITTEN, value)  # verified against a known digest: trusted
    if written_by_notebook(ctx, value) or _matches_written(ctx, value):
        return Origin(Kind.WRITTEN, value)
    if name and _in_unparsed_cell(ctx, name):
        return None  # a cell the parser could not read names it: it may write the file
    if name and name in ctx.memo("web-downloaded-names", _web_downloads):
        return Origin(Kind.WEB, value)
    if _CLOUD.match(value):
        return Origin(Kind.LOCAL, value)  # a bucket: whose, the notebook does not say
    return Origin(Kind.LOCAL, value)


def _matches_written(ctx: NotebookContext, path: str) -> bool:
    """Whether a written path with unknown parts (`{index_filename}.mapping`, written inside a
    helper) can be `path` (`index.mapping`): its known parts match in order. Also the notebook's
    own run outputs fetched by name (Azure ML `run.download_file(name, output_file_path=)`)."""
    if posixpath.normpath(path) in ctx.memo("own-run-downloads", _own_run_downloads):
        return True
    if len(path) > _MAX_MATCHED:
        return False
    patterns = ctx.memo("written-path-patterns", _written_patterns)
    return any(pattern.fullmatch(path) for pattern in patterns)


_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
#: At most two unknown parts, matched against paths of bounded length: the lazy wildcards
#: can backtrack, and these bounds keep a match cheap whatever a notebook contains.
_MAX_PLACEHOLDERS = 2
_MAX_MATCHED = 256


def _written_patterns(ctx: NotebookContext) -> tuple[re.Pattern[str], ...]:
    patterns = []
    for written in written_paths(ctx):
        parts = _PLACEHOLDER.split(written)
        if not 1 < len(parts) <= _MAX_PLACEHOLDERS + 1 or len(written) > _MAX_MATCHED:
            continue
        if not "".join(parts).strip("/. "):
            continue  # nothing known but separators: it could be any file
        patterns.append(re.compile("[^\\n]+?".join(re.escape(p) for p in parts)))
    return tuple(patterns)


def _own_run_downloads(ctx: NotebookContext) -> frozenset[str]:
    paths = set()
    for call in ctx.calls_named("download_file"):
        if "output_file_path" in call.site.kwargs:
            saved = ctx.text_of(call.site.kwargs["output_file_path"].value, call.point)
            if saved is not None:
                paths.add(posixpath.normpath(saved.value))
    return frozenset(paths)


def _in_unparsed_cell(ctx: NotebookContext, name: str) -> bool:
    quoted = (f"'{name}'", f'"{name}"', f"/{name}'", f'/{name}"')
    return any(
        analyzed.analysis.module is None and any(q in analyzed.cell.source for q in quoted)
        for analyzed in ctx.cells
    )


def _web_downloads(ctx: NotebookContext) -> frozenset[str]:
    """File names the notebook downloads from the web: `!wget URL`, `!curl -o name URL`,
    `urlretrieve(url, name)`."""
    names: set[str] = set()
    for analyzed in ctx.cells:
        for shell in analyzed.analysis.shell:
            for _, command in shell_commands(shell):
                words = [w.strip("'\"") for w in command.split()]
                if not words or words[0] not in ("wget", "curl"):
                    continue
                urls = [w for w in words[1:] if _WEB.match(w)]
                if not urls:
                    continue
                for option, value in itertools.pairwise(words):
                    if option in _OUTPUT_OPTIONS:
                        names.add(value.rsplit("/", 1)[-1])
                names.update(u.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] for u in urls)
    for call in ctx.calls_to("urllib.request.urlretrieve"):
        saved = ctx.text_of(call.site.arg(1, "filename"), call.point)
        if saved is not None:
            names.add(saved.value.rsplit("/", 1)[-1])
    names.discard("")
    return frozenset(names)
