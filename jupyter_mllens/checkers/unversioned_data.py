"""`unversioned-data`: data read from a place whose content can change under the notebook.

A read is reported when its source is written in the notebook (a literal path or URL,
directly or through a variable) and nothing pins the version: no DVC, no S3 `VersionId`,
no commit SHA in the URL, no `revision=` for a Hugging Face dataset, no checksum check.
Reads from variables whose origin is unknown are left alone: precision first.

What the notebook makes itself is not a source: files it writes (also through its own
helpers, shell redirections and copies), folders its jobs' outputs are downloaded into, files
under where a Python script it runs puts its outputs. A download is reported once, at the
download, not again where its file is read. Models (archives a model is registered or
loaded from, weights), software, and one image, clip or sound fetched as a demo's input are
not data; a remote file named for its release off a moving branch counts as pinned.

Which calls read data (and from which argument) and which methods write it are data: the
`[knowledge]` table of `rules/MLL201-unversioned-data.toml`. A team adds its own readers,
and the storage it versions itself (`own-storage`), in `[tool.mllens.rules.unversioned-data]`.
"""

from __future__ import annotations

import itertools
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

import libcst as cst

from ..analysis import AnalyzedCell, NotebookContext
from ..analysis.cell import Binding
from ..analysis.context import Point, ResolvedCall
from ..analysis.names import string_value
from ..analysis.qualified import CALL, ITEM, QualifiedName
from ..analysis.shell import shell_commands as _shell_commands
from ..findings import Severity
from ..ipython_syntax import ShellText
from .base import Checker, Violation

#: Spark's `spark.read[.format(...).option(...)].csv(...)`: what `.read` is followed by,
#: configuring calls and then one of these loaders.
_SPARK_LOADERS = frozenset({"csv", "parquet", "json", "load", "orc", "text"})
_SHA = re.compile(r"(?<![0-9a-f])[0-9a-f]{40}(?![0-9a-f])")
_VERSION_QUERY = re.compile(r"[?&](?:versionId|version_id|generation)=", re.IGNORECASE)
_URL = re.compile(r"\b(?:https?|ftp)://[^\s'\"<>]+")
_CLOUD = re.compile(r"\b(?:s3a?|gs|az|abfss?)://[^\s'\"<>]+")
_DOWNLOAD_COMMANDS = frozenset({"wget", "curl"})
#: Software, not data: installers and packages fetched by URL are another rule's business.
_NOT_DATA = re.compile(r"\.(?:whl|egg|deb|rpm|jar|exe|msi|dmg|pkg|sh|py)$", re.IGNORECASE)
#: Model weights and checkpoints: pinning models is `unpinned-pretrained-model`'s concern.
_MODEL_FILE = re.compile(r"\.(?:pth|pt|ckpt|safetensors|onnx|tflite|gguf|keras)$", re.IGNORECASE)
#: URLs that name an immutable release: a tagged GitHub release asset or tag archive, or a
#: raw file at a version tag.
_PINNED_URL = re.compile(
    r"/releases/download/(?!latest/)[^/]+/"
    r"|/archive/refs/tags/"
    r"|raw\.githubusercontent\.com/[^/]+/[^/]+/v?\d+(?:\.\d+)+[^/]*/"
    r"|/v?\d+\.\d+\.\d+(?:[-.+][\w.]+)?/",  # a release folder: .../terraform/1.5.7/...
    re.IGNORECASE,
)
#: Images, audio and video: one such file fetched by the notebook is an example input (a
#: picture to classify, a clip to caption), not the data a model is trained or judged on.
#: Documents (`.pdf`, `.txt`) are not media: a RAG index is built on them.
_MEDIA = re.compile(
    r"\.(?:jpe?g|png|gif|bmp|webp|tiff?|svg|heic|mp4|m4v|mov|avi|mkv|webm|ogv|mpe?g|wav|pcm|aiff?|mp3|flac|ogg|oga|opus|m4a)$",
    re.IGNORECASE,
)
#: A file name that names its release (`aclImdb_v1.tar.gz`, `train-v2.0.json`,
#: `dataset.6.21.19.zip`): the publisher ships a new release under a new name.
_RELEASE_NAME = re.compile(
    r"(?:^|[_\-.])v\d+(?:\.\d+)*(?=[_\-.]|$)|(?:^|[_\-.])\d+\.\d+\.\d+(?=[_\-.]|$)",
    re.IGNORECASE,
)
#: Branch names that move: a file under one is not a release whatever its name.
_MOVING_BRANCH = re.compile(r"/(?:main|master|develop|dev|HEAD|latest|nightly)/")
#: Archives: files read after one is downloaded are usually its contents, reported at the
#: download.
_ARCHIVE = re.compile(r"\.(?:zip|tar|tgz|tar\.gz|tar\.bz2|tar\.xz|7z|rar)$", re.IGNORECASE)
#: Where unknown parts of a path come from when the path is the notebook's own storage: a
#: job's or transformer's output location (`estimator.output_path`, `.model_data`); see
#: `_own_storage` for the session bucket and W&B artifacts.
_OUTPUT_LOCATIONS = frozenset(
    {"output_path", "output_uri", "output_location", "output_data_config", "model_data"}
)
#: Hosts of models rather than data (pinning models is `unpinned-pretrained-model`'s job).
_MODEL_HOSTS = re.compile(r"^https?://(?:tfhub\.dev|www\.kaggle\.com/models)/", re.IGNORECASE)
#: curl options that make a request to an API rather than fetch a file.
_API_REQUEST_OPTIONS = frozenset(
    {"-X", "--request", "-d", "--data", "--data-raw", "--data-binary", "--json", "-F", "--form"}
)
_LOCAL_SERVICE = re.compile(
    r"^(?:https?://)?(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?:[:/]|$)"
)
_OUTPUT_OPTIONS = frozenset({"-O", "-o", "--output-document", "--output"})
_CHECKSUM_COMMANDS = re.compile(r"\b(?:sha\d+sum|md5sum|shasum)\b")
_HEX_DIGEST = re.compile(r"^[0-9a-fA-F]{32,128}$")
_FILE_LIKE = re.compile(r"\.[A-Za-z0-9]{1,8}(?:\.(?:gz|bz2|zip|xz|zst))?$|/$")


#: `os.path.join`, `posixpath.join`, `ntpath.join` (as written).
_PATH_JOINS = frozenset({("path", "join"), ("posixpath", "join"), ("ntpath", "join")})
_OPEN = frozenset(map(QualifiedName.parse, ("open", "io.open", "builtins.open")))
#: Keras' `get_file`: listed among the `readers` in `[knowledge]`; named here too because its
#: source is `origin` (`fname` only names the local copy) and `file_hash=` pins it.
_GET_FILE = (
    "keras.utils.get_file",
    "tensorflow.keras.utils.get_file",
    "tensorflow.compat.v1.keras.utils.get_file",
    "tensorflow.compat.v2.keras.utils.get_file",
    "tf_keras.utils.get_file",
)


@dataclass(frozen=True)
class _Knowledge:
    """The rule's `[knowledge]` entries (with the configured options) in the shape used."""

    readers: tuple[str, ...]
    #: Libraries (`pandas`, `dask.dataframe`) and the names of their reading functions.
    dataframe_libraries: tuple[QualifiedName, ...]
    dataframe_readers: tuple[str, ...]
    array_libraries: tuple[QualifiedName, ...]
    array_readers: tuple[str, ...]
    path_keywords: tuple[str, ...]
    writers: frozenset[str]
    own_storage: tuple[str, ...]

    def owns(self, location: str) -> bool:
        """Whether `location` is in storage the team versions itself or treats as its own."""
        return bool(self.own_storage) and location.startswith(self.own_storage)


def _named(name: str, words: tuple[str, ...]) -> bool:
    """`name` is one of `words`, or starts with one that ends in `*` (`scan_*`)."""
    return any(name.startswith(w[:-1]) if w.endswith("*") else name == w for w in words)


def _library_reader(
    qualified: QualifiedName | None,
    libraries: tuple[QualifiedName, ...],
    readers: tuple[str, ...],
) -> bool:
    """A function or method of one of `libraries` (strictly under it) named as a reader."""
    if qualified is None or qualified.parts[-1] in (CALL, ITEM):
        return False
    owner = qualified.owner
    return owner is not None and owner.is_any(*libraries) and _named(qualified.last, readers)


def _spark_read(written: QualifiedName | None) -> bool:
    """`<x>.read`, then configuring calls (`.format("csv").option(...)`), then a loader."""
    if written is None:
        return False
    parts = written.parts
    for start in range(1, len(parts)):
        if parts[start] != "read":
            continue
        rest = parts[start + 1 :]
        if (
            len(rest) % 2 == 1
            and rest[-1] in _SPARK_LOADERS
            and all(
                rest[i] not in (CALL, ITEM) and rest[i + 1] == CALL
                for i in range(0, len(rest) - 1, 2)
            )
        ):
            return True
    return False


def _own_storage(origin: QualifiedName) -> bool:
    """Whether an unknown part of a path comes from the notebook's own storage: SageMaker's
    session bucket (`<x>.default_bucket()`), a job's or transformer's output location
    (`<x>.output_path`, `.model_data`, anything under `<x>.output_info`), or the folder a
    W&B artifact is downloaded into (`<x>.use_artifact().download()`): pinned."""
    parts = origin.parts
    if len(parts) >= 2 and parts[-1] in _OUTPUT_LOCATIONS:
        return True
    if len(parts) >= 3 and parts[-2:] == ("default_bucket", CALL):
        return True
    if "output_info" in parts[1:]:
        return True
    return (
        len(parts) >= 5
        and parts[-4:-2] == ("use_artifact", CALL)
        and parts[-2] in ("download", "checkout")
        and parts[-1] == CALL
    )


def _through(qualified: QualifiedName | None, maker: str) -> bool:
    """Whether the path goes through a member of what `<x>.maker()` made (`.Bucket().`)."""
    if qualified is None:
        return False
    parts = qualified.parts
    return any(
        parts[i] == maker and parts[i + 1] == CALL and parts[i + 2] not in (CALL, ITEM)
        for i in range(1, len(parts) - 2)
    )


def _knowledge(ctx: NotebookContext) -> _Knowledge:
    return _parse_knowledge(tuple(ctx.knowledge(UnversionedData.name).items()))


@cache
def _parse_knowledge(items: tuple[tuple[str, tuple[str, ...]], ...]) -> _Knowledge:
    table: Mapping[str, tuple[str, ...]] = dict(items)
    return _Knowledge(
        readers=table.get("readers", ()),
        dataframe_libraries=tuple(map(QualifiedName.parse, table.get("dataframe-libraries", ()))),
        dataframe_readers=table.get("dataframe-readers", ()),
        array_libraries=tuple(map(QualifiedName.parse, table.get("array-libraries", ()))),
        array_readers=table.get("array-readers", ()),
        path_keywords=table.get("path-keywords", ()),
        writers=frozenset(table.get("writers", ())),
        own_storage=table.get("own-storage", ()),
    )


@dataclass(frozen=True)
class _Source:
    text: str
    node: cst.CSTNode
    origins: frozenset[QualifiedName] = frozenset()
    #: Every part of the value is known (no `{part}` the notebook does not spell out).
    exact: bool = True


class UnversionedData(Checker):
    name = "unversioned-data"
    options: ClassVar[Mapping[str, str]] = {
        "readers": "qualified names of in-house functions that read data "
        '(`"acme_io.read_table"`); the first positional argument or a path-like keyword '
        "is the source, reported like a pandas read",
        "own-storage": "location prefixes the team versions itself or treats as its own "
        '(`"s3://acme-ml-artifacts/"`, `"gs://acme-datasets/"`); reads from them are not '
        "reported",
    }

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        local_is_versioned = bool(ctx.memo("uses-dvc", _uses_dvc))
        verified = ctx.memo("checksummed-names", _checksummed)
        knowledge = _knowledge(ctx)
        for call in ctx.calls:
            violation = self._check_call(ctx, call, local_is_versioned, verified, knowledge)
            if violation is not None:
                yield violation
        for analyzed in ctx.cells:
            for shell in analyzed.analysis.shell:
                yield from _check_shell(ctx, analyzed, shell, verified, knowledge)

    def _check_call(
        self,
        ctx: NotebookContext,
        call: ResolvedCall,
        local_is_versioned: bool,
        verified: frozenset[str],
        knowledge: _Knowledge,
    ) -> Violation | None:
        qualified = call.qualified
        site = call.site
        if qualified is not None and qualified.parts == (
            "datasets",
            "load_dataset",
        ):  # not `.load()` of a step so named
            return _hf_dataset(ctx, call, knowledge)
        if call.is_any("seaborn.load_dataset"):
            return _seaborn_dataset(ctx, call)
        versioned = _versioned_loader(ctx, call, knowledge)
        if versioned is not None:
            return versioned if isinstance(versioned, Violation) else None
        if call.is_any("boto3") and site.method in (
            "download_file",
            "get_object",
            "download_fileobj",
        ):
            return _s3_object(ctx, call, knowledge)
        reader = (
            _library_reader(qualified, knowledge.dataframe_libraries, knowledge.dataframe_readers)
            or _library_reader(qualified, knowledge.array_libraries, knowledge.array_readers)
            or _spark_read(site.func)
            or call.is_any(*knowledge.readers)
        )
        if not reader:
            return None
        if call.is_any(*_GET_FILE) and "file_hash" in site.kwargs:
            return None
        if call.is_any("pooch.retrieve") and _given(site.kwargs.get("known_hash"), site.args, 1):
            return None
        source = _source(ctx, call, knowledge.path_keywords)
        if source is None or knowledge.owns(source.text) or _names_nothing(source.text):
            return None
        if site.scope is not None and not source.exact:
            return None  # a helper's path built from what it is given when it runs
        kind = _unpinned_kind(source.text, local_is_versioned, verified)
        if kind is None:
            return None
        if call.is_any("azure.ai.ml.Input") and kind == "the local file":
            return None  # a job input uploaded from the working tree: a code asset, not a source
        if _written_before(ctx, source):
            return None
        if kind == "the URL" and _fetches_a_model(ctx, call):
            return None  # a model archive: `unpinned-pretrained-model`'s concern, not data
        if any(_own_storage(origin) for origin in source.origins):
            return None  # the notebook's own bucket or a job's output: its own results
        if kind == "the local file":
            if _made_by_script(ctx, source.text):
                return None  # a script the notebook ran wrote it: its download is in there
            downloaded = ctx.memo("downloaded-names", _downloaded_names)
            if _basename(source.text) in downloaded or any(_ARCHIVE.search(n) for n in downloaded):
                return None  # reported where the notebook downloads it (or its archive)
        return Violation(
            call.cell,
            f"{_label(site.func, qualified)} reads {kind} {source.text!r} with no version pin; "
            "the notebook's results can change when that data does",
            node=site.node,
        )


#: Keywords that take a model's location, and methods that load a model from a path.
_MODEL_KEYWORDS = frozenset(
    {
        "model_path",
        "model_dir",
        "model_data",
        "model_uri",
        "model_name_or_path",
        "pretrained_model_name_or_path",
    }
)
_MODEL_LOADERS = frozenset({"load_model", "from_pretrained", "load_weights"})
_EXTRACTORS = ("tarfile.open", "zipfile.ZipFile")


def _fetches_a_model(ctx: NotebookContext, call: ResolvedCall) -> bool:
    """Whether what `urlretrieve(url, saved)` fetches is a model: the saved file, or the
    folder an archive of it is extracted into (`tarfile.open(saved).extractall(folder)`),
    is what a model is registered or loaded from (`Model.register(model_path=folder)`)."""
    if not call.is_any("urllib.request.urlretrieve"):
        return False
    saved = ctx.text_of(call.site.arg(1, "filename"), call.point)
    if saved is None:
        return False
    places = {_normalized(saved.value)}
    for opener in ctx.calls_to(*_EXTRACTORS):
        opened = ctx.text_of(opener.site.arg(0), opener.point)
        binding = opener.cell.binding_of(opener.site)
        if opened is None or _normalized(opened.value) not in places or binding is None:
            continue
        for extract in ctx.calls_named("extractall"):
            receiver = extract.site.receiver
            if receiver is not None and receiver.parts == (binding.name,):
                folder = ctx.text_of(extract.site.arg(0, "path"), extract.point)
                places.add(_normalized(folder.value) if folder is not None else ".")
    for consumer in ctx.calls:
        site = consumer.site
        nodes: list[cst.BaseExpression | None] = [
            site.kwargs[k].value for k in _MODEL_KEYWORDS if k in site.kwargs
        ]
        if site.method in _MODEL_LOADERS:
            nodes.append(site.arg(0))
        for node in nodes:
            given = ctx.text_of(node, consumer.point)
            if given is None:
                continue
            path = _normalized(given.value).rstrip("/")
            if any(path == place or path.startswith(place + "/") for place in places):
                return True
    return False


def _label(written: QualifiedName | None, qualified: QualifiedName | None) -> str:
    """Name the reader as the user wrote it (`pd.read_csv`, `tf.keras.utils.get_file`)."""
    return f"`{written or qualified or ''}`"


def _written_before(ctx: NotebookContext, source: _Source) -> bool:
    """Whether the notebook wrote (or uploaded) what `source` reads.

    Paths match exactly; when either side has a part the notebook does not spell out
    (`os.path.join(out_dir, "train.csv")`), the file names are compared instead.
    """
    written = ctx.memo("written-paths", _written_paths)
    normalized = ctx.memo("written-paths-normalized", _written_normalized)
    if source.text in written or _normalized(source.text) in normalized:
        return True
    target = _normalized(source.text)
    folders = ctx.memo("filled-folders", _filled_folders)
    if any(target.startswith(folder + "/") for folder in folders):
        return True  # under a folder the notebook fills: its job outputs, its copies
    name = _basename(source.text)
    if "{" in name and "://" not in target:
        # a name the notebook does not spell out (`os.listdir`) in a folder it writes into
        parent = posixpath.dirname(target)
        return bool(parent) and any(
            posixpath.dirname(_normalized(path)) == parent for path in written
        )
    if len(target) <= _MAX_MATCHED and any(
        pattern.fullmatch(target) for pattern in ctx.memo("written-templates", _written_templates)
    ):
        return True  # `samsum-dataset/{split}.jsonl` written in a loop, read as `.../train.jsonl`
    if not _FILE_LIKE.search(name):
        return False
    inexact = "{" in source.text
    return any(_basename(path) == name and (inexact or "{" in path) for path in written)


_MAX_MATCHED = 256


def _written_templates(ctx: NotebookContext) -> tuple[re.Pattern[str], ...]:
    """Written paths with one or two unknown parts, as patterns over the paths they can be.

    Only when the known parts name a place beyond an extension (`samsum-dataset/{split}.jsonl`,
    `{out}/train_{i}.csv`): `{folder}/{name}.csv` could be any CSV and matches nothing.
    """
    patterns = []
    for written in ctx.memo("written-paths", _written_paths):
        path = _normalized(written)
        parts = _PLACEHOLDER.split(path)
        if not 1 < len(parts) <= 3 or len(path) > _MAX_MATCHED or "://" in path:
            continue
        known = re.sub(r"\.[A-Za-z0-9]{1,8}$", "", "".join(parts))
        if len(re.sub(r"[^A-Za-z0-9]", "", known)) < 3:
            continue
        patterns.append(re.compile("[^/\n]+?".join(re.escape(p) for p in parts)))
    return tuple(patterns)


def written_by_notebook(ctx: NotebookContext, path: str) -> bool:
    """Whether the notebook writes `path` itself (shared with the rules on loading artifacts)."""
    return _written_before(ctx, _Source(path, cst.Name("path")))


def written_paths(ctx: NotebookContext) -> frozenset[str]:
    """Every path the notebook writes, as far as it spells it out (`{part}` for unknown parts)."""
    return ctx.memo("written-paths", _written_paths)


def checksummed_names(ctx: NotebookContext) -> frozenset[str]:
    """File names the notebook verifies against a known digest (shared)."""
    return ctx.memo("checksummed-names", _checksummed)


#: Calls that fill a local folder with the notebook's own results or copies: Azure ML's
#: `jobs.download(name, download_path=)` of a job the notebook ran, SageMaker's
#: `S3Downloader.download(uri, local_path)` (its read is judged at the download), and
#: `shutil` copies and moves (the destination).
_FOLDER_FILLERS: tuple[tuple[str, int, str], ...] = (
    ("sagemaker.s3.S3Downloader.download", 1, "local_path"),
    ("sagemaker.core.s3.S3Downloader.download", 1, "local_path"),
    ("shutil.copy", 1, "dst"),
    ("shutil.copy2", 1, "dst"),
    ("shutil.copyfile", 1, "dst"),
    ("shutil.copytree", 1, "dst"),
    ("shutil.move", 1, "dst"),
)


def _filled_folders(ctx: NotebookContext) -> frozenset[str]:
    """Local folders the notebook fills itself; files read under them are its own."""
    folders: set[str] = set()
    for call in ctx.calls:
        node: cst.BaseExpression | None = None
        if call.site.method == "download" and "download_path" in call.site.kwargs:
            # Azure ML `jobs.download` puts a job's outputs under `named-outputs/`
            node = call.site.kwargs["download_path"].value
            for value in _written_values(ctx, node, call):
                folders.add(_normalized(posixpath.join(value, "named-outputs")))
        else:
            for qualified, position, keyword in _FOLDER_FILLERS:
                if call.is_any(qualified):
                    node = call.site.arg(position, keyword)
                    break
        for value in _written_values(ctx, node, call) if node is not None else ():
            folder = _normalized(value).rstrip("/")
            known = _PLACEHOLDER.sub("", folder).strip("/. ")
            if known and "://" not in folder:  # `{os.getcwd()}/output/hts` matches as written
                folders.add(folder)
    return frozenset(folders)


def _written_normalized(ctx: NotebookContext) -> frozenset[str]:
    return frozenset(map(_normalized, ctx.memo("written-paths", _written_paths)))


def _normalized(path: str) -> str:
    """`./data//x.csv` and `data/x.csv` are one local file (URLs are left as written)."""
    if "://" in path:
        return path
    return posixpath.normpath(path)


def _written_paths(ctx: NotebookContext) -> frozenset[str]:
    """Paths the notebook writes itself; reading them back is a round trip, not input data.

    Writers are DataFrame/array `to_*`/`save*` methods, `torch.save`/`joblib.dump` (path
    second), `open(path, "w")` (so `json.dump` and `pickle.dump` through a handle count),
    and `%%writefile`. `np.save` adds `.npy` to a name without it, so both are recorded.
    """
    writers = _knowledge(ctx).writers
    paths: set[str] = set()
    for call in ctx.calls:
        site = call.site
        nodes: list[cst.BaseExpression | None] = []
        if call.is_any("torch.save", "joblib.dump", "pickle.dump"):
            nodes.append(site.arg(1, "f" if call.is_any("torch.save") else "filename"))
        elif call.qualified in _OPEN:
            mode = ctx.string_of(site.arg(1, "mode"), call.point) or "r"
            if any(flag in mode for flag in "wax"):
                nodes.append(site.arg(0, "file"))
        elif site.method == "download_file" and not call.is_any("boto3"):
            # a run's own output copied down (Azure ML `run.download_file(name, path)`)
            nodes.append(site.arg(1, "output_file_path"))
        elif "output_file_name" in site.kwargs:
            nodes.append(site.kwargs["output_file_name"].value)  # a batch job's output file
        elif site.method in writers:
            nodes.append(site.arg(0))
            nodes.extend(
                site.kwargs[k].value for k in ("path_or_buf", "file", "path") if k in site.kwargs
            )
        for node in nodes:
            for text in _written_values(ctx, node, call):
                paths.add(text)
                if site.method == "save" and not text.endswith(".npy"):
                    paths.add(text + ".npy")
    for analyzed in ctx.cells:
        for shell in analyzed.analysis.shell:
            if shell.kind == "line-magic" and shell.magic == "writefile":
                words = [w for w in shell.text.split()[1:] if not w.startswith("-")]
                if words:
                    paths.add(words[0].strip("'\""))
            for _, command in _shell_commands(shell):
                destination = _upload_destination(command.split())
                if destination is not None:
                    paths.add(_expand(ctx, destination))
                for redirected in _REDIRECT.findall(command):
                    paths.add(_expand(ctx, redirected.strip("'\"")))
    return frozenset(paths)


def _written_values(
    ctx: NotebookContext, node: cst.BaseExpression | None, call: ResolvedCall
) -> list[str]:
    """What a writer's path argument is: its value, or, when it is a parameter of the
    notebook's own helper (`def to_csv(df, filename): ... df.to_csv(filename)`), the value
    every call of that helper passes for it."""
    text = ctx.text_of(node, call.point)
    if text is not None:
        return [text.value]
    if not isinstance(node, cst.Name):
        return []
    bound = ctx.binding_at(node.value, call.point)
    if bound is None or not bound[1].parameter or bound[1].scope is None:
        return []
    values = []
    for caller, position in _helper_calls(ctx, bound[0], bound[1]):
        passed = ctx.text_of(caller.site.arg(position, node.value), caller.point)
        if passed is not None:
            values.append(passed.value)
    return values


def _helper_calls(
    ctx: NotebookContext, analyzed: AnalyzedCell, parameter: Binding
) -> Iterable[tuple[ResolvedCall, int]]:
    """The calls of the function `parameter` belongs to, with the parameter's position."""
    scope = parameter.scope or ""
    names = [b.name for b in analyzed.analysis.facts.bindings if b.parameter and b.scope == scope]
    position = names.index(parameter.name)
    if names[:1] == ["self"]:
        return  # a method: its callers are not found by name
    function = scope.rsplit(".", 1)[-1]
    for call in ctx.calls_named(function):
        func = call.site.func
        if func is not None and func.parts == (function,) and call.site.scope != scope:
            yield call, position


def _upload_destination(words: list[str]) -> str | None:
    """Where a copy command puts a local file: `gsutil cp train.csv gs://b/x/` → `gs://b/x/`."""
    ends = _copy_ends(words)
    return ends[1] if ends is not None and not _CLOUD.match(ends[0]) else None


#: A shell redirection into a file (`> out.jsonl`, `>> log.txt`), not a descriptor (`2>&1`).
_REDIRECT = re.compile(r"(?<![0-9&])>>?\s*([^\s&|;<>]+)")
_SHELL_VARIABLE = re.compile(r"\{(\w+)\}|\$\{?(\w+)\}?")


def _expand(ctx: NotebookContext, text: str) -> str:
    """IPython expands `{name}` and `$name` in shell escapes with the notebook's variables."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if not name.isidentifier():
            return match.group(0)  # `$1`, `{0}`: the shell's, not a notebook variable
        found = ctx.text_of(cst.Name(name), None)
        return found.value if found is not None else "{" + name + "}"

    return _SHELL_VARIABLE.sub(value, text)


def _given(arg: cst.Arg | None, args: tuple[cst.Arg, ...], position: int) -> bool:
    node = (
        arg.value if arg is not None else (args[position].value if len(args) > position else None)
    )
    return node is not None and not (isinstance(node, cst.Name) and node.value == "None")


def _source(
    ctx: NotebookContext, call: ResolvedCall, path_keywords: tuple[str, ...]
) -> _Source | None:
    site = call.site
    node: cst.BaseExpression | None = None
    if call.is_any(*_GET_FILE):
        node = site.arg(1, "origin")  # `fname` only names the local copy
    for keyword in path_keywords:
        if node is None and keyword in site.kwargs:
            node = site.kwargs[keyword].value
    if node is None and call.is_any("urllib.request.urlretrieve"):
        node = site.arg(0, "url")
    if node is None and call.is_any("pooch.retrieve"):
        node = site.arg(0, "url")
    if node is None:
        node = site.arg(0)
    if node is None:
        return None
    value = ctx.text_of(node, call.point)
    if value is not None:
        return _Source(value.value, node, value.origins, value.exact)
    text = _literal_fragment(node)
    return _Source(text, node, exact=False) if text else None


_SCHEME = re.compile(r"^\w+://")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _names_nothing(text: str) -> bool:
    """A location whose only known part is its scheme (`f"gs://{path}"`): which object it
    reads, the notebook does not say, like a variable of unknown origin."""
    rest = _PLACEHOLDER.sub("", _SCHEME.sub("", text)) if _SCHEME.match(text) else text
    return not rest.strip("/. ")


def _builds_a_path(func: QualifiedName | None) -> bool:
    """`os.path.join(...)`, or a callee whose last name ends in `Path` (`Path`, `PurePath`,
    `PosixPath`, `UPath`): a test of that one identifier, not of the qualified name."""
    if func is None:
        return False
    parts = func.parts
    return parts[-2:] in _PATH_JOINS or parts[-1].endswith("Path")


def _literal_fragment(node: cst.BaseExpression) -> str | None:
    """A file name from a path built with parts the notebook does not spell out:
    `os.path.join(root, "train.csv")`, `data_dir / "train.csv"`. (An f-string of unknown
    parts only, `f"{data_dir}/{name}"`, names nothing: it is left alone.)"""
    if isinstance(node, cst.Call) and _builds_a_path(QualifiedName.of(node.func)):
        parts = [string_value(arg.value) for arg in node.args]
        literal = [p for p in parts if p]
        return "/".join(literal) if literal and _FILE_LIKE.search(literal[-1]) else None
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
        right = string_value(node.right)
        return right if right and _FILE_LIKE.search(right) else None
    return None


def _example_or_release(location: str) -> bool:
    """Whether a remote `location` is one media file (an example input), a model's weights,
    or names a release.

    Only remote locations: a local file is whatever is on disk now, whatever its name.
    """
    if not (_URL.match(location) or _CLOUD.match(location)):
        return False
    name = _basename(location)
    if _MEDIA.search(name) or _MODEL_FILE.search(name):
        return True  # an example input, or a model's weights
    return bool(_RELEASE_NAME.search(name)) and not _MOVING_BRANCH.search(location)


def _unpinned_kind(text: str, local_is_versioned: bool, verified: frozenset[str]) -> str | None:
    """What kind of unpinned source `text` is, or None when it is pinned or not a source."""
    value = text.strip()
    if not value or "\n" in value or len(value) > 2048:
        return None
    if _SHA.search(value) or _VERSION_QUERY.search(value) or value in verified:
        return None
    if _PINNED_URL.search(value) or _MODEL_HOSTS.match(value) or _example_or_release(value):
        return None
    if value.rsplit("/", 1)[-1] in verified:
        return None
    if value.startswith(("dvc://", "lakefs://", "models:/", "runs:/")) or _LOCAL_SERVICE.match(
        value
    ):
        return None
    if _URL.match(value):
        return "the URL"
    if _CLOUD.match(value):
        return "the object store path"
    if local_is_versioned or value.startswith(("/opt/ml/", "/dev/", "<")) or "://" in value:
        return None
    if _FILE_LIKE.search(value) or "/" in value:
        return "the local file"
    return None


_LOCAL_BUILDERS = frozenset(
    {"csv", "json", "parquet", "text", "imagefolder", "audiofolder", "arrow"}
)


def _hf_dataset(
    ctx: NotebookContext, call: ResolvedCall, knowledge: _Knowledge
) -> Violation | None:
    site = call.site
    revision = site.kwargs.get("revision")
    if revision is not None:
        value = ctx.string_of(revision.value, call.point)
        if value is None or value not in ("main", "master"):
            return None
    name = ctx.string_of(site.arg(0, "path"), call.point)
    if name in _LOCAL_BUILDERS:
        return _hf_data_files(ctx, call, name, knowledge)
    what = repr(name) if name else "a dataset"
    return Violation(
        call.cell,
        f"`datasets.load_dataset` loads {what} from the Hub without a pinned `revision=`; "
        "the dataset can change under the notebook",
        node=site.node,
        severity=Severity.LOW,
    )


def _seaborn_dataset(ctx: NotebookContext, call: ResolvedCall) -> Violation | None:
    """`sns.load_dataset("planets")` downloads a CSV from the `master` branch of the
    seaborn-data repository (cached afterwards): a moving branch, like a raw URL on one."""
    name = ctx.string_of(call.site.arg(0, "name"), call.point)
    if name is None:
        return None
    return Violation(
        call.cell,
        f"`{_short(call)}` loads {name!r} from the `master` branch of seaborn-data with no "
        "version pin; the notebook's results can change when that data does",
        node=call.site.node,
    )


def _hf_data_files(
    ctx: NotebookContext, call: ResolvedCall, builder: str, knowledge: _Knowledge
) -> Violation | None:
    """`load_dataset("csv", data_files=...)`: judged by what the files are."""
    site = call.site
    data = site.kwargs.get("data_files")
    values: list[cst.BaseExpression] = []
    if data is not None:
        node = data.value
        if isinstance(node, (cst.List, cst.Tuple)):
            values = [element.value for element in node.elements]
        elif isinstance(node, cst.Dict):
            values = [e.value for e in node.elements if isinstance(e, cst.DictElement)]
        else:
            values = [node]
    texts = [ctx.text_of(value, call.point) for value in values]
    known = [text.value for text in texts if text is not None]
    written = ctx.memo("written-paths", _written_paths)
    if known and all(text in written for text in known):
        return None  # the notebook wrote these files itself
    remote = next((text for text in known if _URL.match(text) or _CLOUD.match(text)), None)
    if remote is not None:
        if _SHA.search(remote) or _PINNED_URL.search(remote) or knowledge.owns(remote):
            return None
        kind = "the URL" if _URL.match(remote) else "the object store path"
        return Violation(
            call.cell,
            f"`datasets.load_dataset` loads {builder} data from {kind} {remote!r} with no "
            "version pin; the notebook's results can change when that data does",
            node=site.node,
        )
    if ctx.memo("uses-dvc", _uses_dvc) or (known and all(_made_by_script(ctx, t) for t in known)):
        return None
    return Violation(
        call.cell,
        f"`datasets.load_dataset` loads local {builder} files with no version pin; "
        "the notebook's results can change when those files do",
        node=site.node,
    )


def _versioned_loader(
    ctx: NotebookContext, call: ResolvedCall, knowledge: _Knowledge
) -> Violation | bool | None:
    """Dataset loaders with a version argument of their own: a Violation when it is missing,
    True when it is given, None when `call` is no such loader."""
    site = call.site
    if call.is_any("huggingface_hub.snapshot_download", "huggingface_hub.hf_hub_download"):
        if (
            ctx.string_of(
                site.kwargs["repo_type"].value if "repo_type" in site.kwargs else None, call.point
            )
            != "dataset"
        ):
            return None  # models are `unpinned-pretrained-model`'s
        if "revision" in site.kwargs:
            return True
        filename = ctx.string_of(site.arg(1, "filename"), call.point)
        if filename is not None and _NOT_DATA.search(filename):
            return True  # a script kept in a dataset repository is code, not data
        repo = ctx.string_of(site.arg(0, "repo_id"), call.point)
        what = repr(repo) if repo else "a dataset"
        return Violation(
            call.cell,
            f"`{_short(call)}` downloads {what} from the Hub without a pinned `revision=`; "
            "the dataset can change under the notebook",
            node=site.node,
            severity=Severity.LOW,
        )
    if call.is_any("tensorflow_datasets.load", "tensorflow_datasets.builder"):
        name = ctx.string_of(site.arg(0, "name"), call.point)
        if name is None or ":" in name:
            return True  # `mnist:3.0.1` pins the version; an unknown name is left alone
        return Violation(
            call.cell,
            f"`{_short(call)}` loads {name!r} without a version (`{name}:X.Y.Z`); "
            "the dataset can change under the notebook",
            node=site.node,
            severity=Severity.LOW,
        )
    if call.is_any("sklearn.datasets.fetch_openml"):
        if "version" in site.kwargs or "data_id" in site.kwargs or len(site.args) >= 2:
            return True
        name = ctx.string_of(site.arg(0, "name"), call.point)
        what = repr(name) if name else "a dataset"
        return Violation(
            call.cell,
            f"`{_short(call)}` fetches {what} from OpenML without `version=` or `data_id=`; "
            "the active version can change under the notebook",
            node=site.node,
        )
    if call.is_any("sagemaker.s3.S3Downloader") and site.method in ("download", "read_file"):
        found = ctx.text_of(site.arg(0, "s3_uri"), call.point)
        if found is None or _SHA.search(found.value) or knowledge.owns(found.value):
            return True
        return Violation(
            call.cell,
            f"`S3Downloader.{site.method}` reads {found.value!r} without a version; "
            "enable bucket versioning and pin the version the notebook was built on",
            node=site.node,
        )
    return None


def _short(call: ResolvedCall) -> str:
    """The callee as the user wrote it."""
    if call.site.func is not None:
        return str(call.site.func)
    return call.qualified.last if call.qualified is not None else ""


def _s3_object(ctx: NotebookContext, call: ResolvedCall, knowledge: _Knowledge) -> Violation | None:
    site = call.site
    if "VersionId" in site.kwargs:
        return None
    extra = site.kwargs.get("ExtraArgs")
    if extra is not None and isinstance(extra.value, cst.Dict):
        keys = {string_value(e.key) for e in extra.value.elements if isinstance(e, cst.DictElement)}
        if "VersionId" in keys:
            return None
    bucket_node, key_node, at = _s3_bucket_and_key(ctx, call)
    found = ctx.text_of(key_node, at)
    if found is None:
        return None  # a key the notebook does not spell out (a helper's parameter): left alone
    key = found.value
    if _MEDIA.search(_basename(key)):
        return None  # one picture or clip: an example input, not a data set
    bucket_text = ctx.text_of(bucket_node, at)
    if bucket_text is not None:
        origins = found.origins | bucket_text.origins
    else:  # a bucket given as a call or a name of a call: `s3.Bucket(sess.default_bucket())`
        made = ctx.resolve(QualifiedName.of(bucket_node), at)
        origins = found.origins | ({made} if made is not None else set())
    if any(_own_storage(origin) for origin in origins):
        return None  # the notebook's session bucket or a job's output: its own results
    bucket = ctx.string_of(bucket_node, at)
    if bucket is not None and knowledge.owns(f"s3://{bucket}/{key.lstrip('/')}"):
        return None
    return Violation(
        call.cell,
        f"S3 `{site.method}` reads {key!r} without a `VersionId`; "
        "enable bucket versioning and pin the version the notebook was built on",
        node=site.node,
    )


def _s3_bucket_and_key(
    ctx: NotebookContext, call: ResolvedCall
) -> tuple[cst.BaseExpression | None, cst.BaseExpression | None, Point]:
    """Which argument names the bucket and which the key, and where to read them.

    The client takes both (`client.download_file(Bucket, Key, Filename)`); a `Bucket`
    resource was given its bucket when made and takes the key first (`bucket.download_file(
    Key, Filename)`); an `Object` resource was given both (`s3.Object(b, k).download_file(
    Filename)`), so its first argument is only the local copy.
    """
    site = call.site
    for resource, key_position in (("Bucket", None), ("Object", 1)):
        if not _through(call.qualified, resource):
            continue
        made = _receiver_call(ctx, call)
        if made is None:
            return None, None, call.point
        maker, at = made
        bucket = maker.args[0].value if maker.args else None
        if key_position is None:
            return bucket, site.arg(0, "Key"), call.point
        key = maker.args[key_position].value if len(maker.args) > key_position else None
        return bucket, key, at
    return site.arg(0, "Bucket"), site.arg(1, "Key"), call.point


def _receiver_call(ctx: NotebookContext, call: ResolvedCall) -> tuple[cst.Call, Point] | None:
    """The call that made the object a method is called on: inline or bound to a name."""
    func = call.site.node.func
    if not isinstance(func, cst.Attribute):
        return None
    if isinstance(func.value, cst.Call):
        return func.value, call.point
    if isinstance(func.value, cst.Name):
        return ctx.call_bound(func.value.value, call.point)
    return None


def _check_shell(
    ctx: NotebookContext,
    analyzed: AnalyzedCell,
    shell: ShellText,
    verified: frozenset[str],
    knowledge: _Knowledge,
) -> Iterable[Violation]:
    commands = _shell_commands(shell)
    for offset, command in commands:
        words = _expanded_words(ctx, command)
        if not words:
            continue
        program = words[0]
        target = _download_source(words)
        if target is None:
            continue
        if (
            _SHA.search(target)
            or _VERSION_QUERY.search(target)
            or _PINNED_URL.search(target)
            or _MODEL_HOSTS.match(target)
            or _NOT_DATA.search(target.split("?", 1)[0])
            or _example_or_release(target)
            or _basename(target) in verified
            or knowledge.owns(target)
        ):
            continue
        start = shell.text.find(command, offset)
        line, column = shell.position(max(start, 0))
        yield Violation(
            analyzed,
            f"`{program}` downloads {target!r} with no version pin or checksum check; "
            "the notebook's results can change when that data does",
            span=(line, column, line, column + len(command)),
        )


def _expanded_words(ctx: NotebookContext, command: str) -> list[str]:
    """A command's words, with a download's source given as a whole variable (`!curl -SL
    $src_url > $src_zip`) replaced by the value IPython substitutes for it."""
    words = command.split()
    if not words or words[0] not in _DOWNLOAD_COMMANDS:
        return words
    return [
        _expand(ctx, word) if word.strip("'\"").startswith(("$", "{")) else word for word in words
    ]


def _download_source(words: list[str]) -> str | None:
    """The remote source a shell command copies data from, if it downloads at all.

    Copy commands name their destination last: `aws s3 cp model.tar.gz s3://bucket/`
    uploads, and only a remote *source* is a download.
    """
    program = words[0]
    if program == "curl" and any(
        w in _API_REQUEST_OPTIONS or w.startswith(("-X", "--request=", "--data")) for w in words
    ):
        return None  # a REST call (`curl -X POST ... -d @request.json`), not a download
    if program in _DOWNLOAD_COMMANDS:
        if any(_LOCAL_SERVICE.match(w.strip("'\"")) for w in words[1:]):
            return None  # a request to a service the notebook runs itself
        return next(
            (
                w.strip("'\"")
                for w in words[1:]
                if _URL.match(w.strip("'\"")) or _CLOUD.match(w.strip("'\""))
            ),
            None,
        )
    ends = _copy_ends(words)
    return ends[0] if ends is not None and _CLOUD.match(ends[0]) else None


def _copy_ends(words: list[str]) -> tuple[str, str] | None:
    """Source and destination of an object-store copy (`aws s3 cp|sync`, `gsutil cp|rsync`,
    `gcloud storage cp|rsync`): the last two arguments that are not options."""
    copy = None
    if words[:1] == ["aws"] and words[1:3] in (["s3", "cp"], ["s3", "sync"]):
        copy = words[3:]
    elif words[:1] == ["gsutil"] or (words[:1] == ["gcloud"] and "storage" in words):
        verb = next((i for i, w in enumerate(words) if w in ("cp", "rsync")), None)
        copy = words[verb + 1 :] if verb is not None else None
    if copy is None:
        return None
    positional = [w.strip("'\"") for w in copy if not w.startswith("-")]
    return (positional[-2], positional[-1]) if len(positional) >= 2 else None


def _basename(target: str) -> str:
    return target.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


def _downloaded_names(ctx: NotebookContext) -> frozenset[str]:
    """File names the notebook downloads itself; reading them back is reported at the download."""
    names: set[str] = set()
    for analyzed in ctx.cells:
        for shell in analyzed.analysis.shell:
            for _, command in _shell_commands(shell):
                words = _expanded_words(ctx, command)
                source = _download_source(words) if words else None
                if source is None:
                    continue
                for option, value in itertools.pairwise(words):
                    if option in _OUTPUT_OPTIONS:
                        names.add(_basename(value.strip("'\"")))
                names.add(_basename(source))
                ends = _copy_ends(words)
                if ends is not None and not ends[1].endswith("/"):
                    # `aws s3 cp s3://b/iris.data ./data/iris.csv`, `gsutil cp gs://... {LOCAL}`
                    names.add(_basename(_expand(ctx, ends[1])))
    for call in ctx.calls_to("urllib.request.urlretrieve"):
        saved = ctx.text_of(call.site.arg(1, "filename"), call.point)
        if saved is not None:
            names.add(_basename(saved.value))
    for call in ctx.calls_named("download_file"):
        if call.is_any("boto3"):
            saved = ctx.text_of(_s3_local_copy(call), call.point)
            if saved is not None:
                names.add(_basename(saved.value))
    names.discard("")
    return frozenset(names)


def _s3_local_copy(call: ResolvedCall) -> cst.BaseExpression | None:
    """Where a boto3 `download_file` puts its copy: the argument after the key (a client
    takes bucket and key, a `Bucket` the key, an `Object` nothing before it)."""
    qualified = call.qualified
    position = 0 if _through(qualified, "Object") else 1 if _through(qualified, "Bucket") else 2
    return call.site.arg(position, "Filename")


_PYTHON = re.compile(r"^(?:\S*/)?python(?:\d(?:\.\d+)?)?$")
_RUNNERS = (
    "os.system",
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
)


def _made_by_script(ctx: NotebookContext, path: str) -> bool:
    """Whether a local `path` lies where a Python script the notebook runs puts its files.

    `%run ./news/download-dataset.py --download_dir ./news` or `!python download.py --out
    data`: the script's folder and the paths on its command line are where its outputs go.
    Reading them back reads what the notebook made by running the script (whose own
    download the notebook cannot show), not a source the notebook reads as found.
    """
    if "://" in path:
        return False
    target = posixpath.normpath(path)
    return any(
        target == root or target.startswith(root + "/")
        for root in ctx.memo("script-output-roots", _script_output_roots)
    )


def _script_output_roots(ctx: NotebookContext) -> frozenset[str]:
    commands: list[list[str]] = []
    for analyzed in ctx.cells:
        for shell in analyzed.analysis.shell:
            if shell.kind == "line-magic" and shell.magic == "run":
                words = shell.text.split()
                commands.append(words[1:] if words[:1] == ["run"] else words)
            for _, command in _shell_commands(shell):
                words = command.split()
                if words and _PYTHON.match(words[0]):
                    commands.append(words[1:])
    for call in ctx.calls_to(*_RUNNERS):
        argument = call.site.arg(0, "args")
        if isinstance(argument, (cst.List, cst.Tuple)):
            words = [ctx.string_of(e.value, call.point) or "" for e in argument.elements]
        else:
            text = ctx.string_of(argument, call.point)
            words = text.split() if text is not None else []
        if words and _PYTHON.match(words[0]):
            commands.append(words[1:])
    roots: set[str] = set()
    for words in commands:
        words = [w.strip("'\"") for w in words]
        if not words or not words[0].endswith(".py"):
            continue
        folder = posixpath.dirname(posixpath.normpath(words[0]))
        if folder not in ("", ".", "..", "/"):
            roots.add(folder)
        for word in words[1:]:
            value = word.split("=", 1)[1] if word.startswith("-") and "=" in word else word
            if value.startswith("-") or "://" in value or "{" in value or "$" in value:
                continue
            root = posixpath.normpath(value)
            if root not in (".", "..", "/") and not root.replace(".", "").isdigit():
                roots.add(root)
    return frozenset(roots)


def _uses_dvc(ctx: NotebookContext) -> bool:
    if ctx.imports_module("dvc"):
        return True
    return any(
        shell.command == "dvc" or shell.text.lstrip().startswith("dvc ")
        for analyzed in ctx.cells
        for shell in analyzed.analysis.shell
    )


def _checksummed(ctx: NotebookContext) -> frozenset[str]:
    """File names the notebook verifies against a known digest (hashlib compare, sha256sum -c)."""
    names: set[str] = set()
    for analyzed in ctx.cells:
        facts = analyzed.analysis.facts
        hashes = any(imp.qualified.is_any("hashlib") for imp in facts.imports) or any(
            c.func is not None and not c.func.is_name and c.func.is_any("hashlib")
            for c in facts.calls
        )
        digests = any(_HEX_DIGEST.match(s.value) for s in facts.strings)
        if hashes and digests:
            names.update(
                s.value.rsplit("/", 1)[-1] for s in facts.strings if _FILE_LIKE.search(s.value)
            )
            names.update(s.value for s in facts.strings if _FILE_LIKE.search(s.value))
        for shell in analyzed.analysis.shell:
            if _CHECKSUM_COMMANDS.search(shell.text):
                names.update(
                    word.rsplit("/", 1)[-1]
                    for word in shell.text.split()
                    if _FILE_LIKE.search(word)
                )
    return frozenset(names)
