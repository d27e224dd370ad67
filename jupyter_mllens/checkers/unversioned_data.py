"""`unversioned-data`: data read from a place whose content can change under the notebook.

A read is reported when its source is written in the notebook (a literal path or URL,
directly or through a variable) and nothing pins the version: no DVC, no S3 `VersionId`,
no commit SHA in the URL, no `revision=` for a Hugging Face dataset, no checksum check.
Reads from variables whose origin is unknown are left alone: precision first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import libcst as cst

from ..analysis import AnalyzedCell, NotebookContext
from ..analysis.context import ResolvedCall
from ..analysis.names import dotted_name, string_value
from ..ipython_syntax import ShellText
from .base import Checker, Violation

_PANDAS_READERS = frozenset(
    {
        "read_csv",
        "read_table",
        "read_parquet",
        "read_json",
        "read_excel",
        "read_feather",
        "read_orc",
        "read_hdf",
        "read_pickle",
        "read_fwf",
        "read_xml",
        "read_sas",
        "read_stata",
        "read_spss",
    }
)
_NUMPY_READERS = frozenset({"load", "loadtxt", "genfromtxt", "fromfile"})
_SPARK_READ = re.compile(r"\.read(?:\.\w+\(\))*\.(?:csv|parquet|json|load|orc|text)$")
_PATH_KEYWORDS = (
    "filepath_or_buffer",
    "path",
    "io",
    "source",
    "file",
    "fname",
    "path_or_buf",
    "paths",
)
_SHA = re.compile(r"(?<![0-9a-f])[0-9a-f]{40}(?![0-9a-f])")
_VERSION_QUERY = re.compile(r"[?&](?:versionId|version_id|generation)=", re.IGNORECASE)
_URL = re.compile(r"\b(?:https?|ftp)://[^\s'\"<>]+")
_CLOUD = re.compile(r"\b(?:s3a?|gs|az|abfss?)://[^\s'\"<>]+")
_DOWNLOAD_COMMANDS = frozenset({"wget", "curl"})
_CHECKSUM_COMMANDS = re.compile(r"\b(?:sha\d+sum|md5sum|shasum)\b")
_HEX_DIGEST = re.compile(r"^[0-9a-fA-F]{32,128}$")
_FILE_LIKE = re.compile(r"\.[A-Za-z0-9]{1,8}(?:\.(?:gz|bz2|zip|xz|zst))?$|/$")


_PATH_BUILDERS = ("path.join", "Path", "PurePath", "PosixPath")


@dataclass(frozen=True)
class _Source:
    text: str
    node: cst.CSTNode


class UnversionedData(Checker):
    name = "unversioned-data"

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        local_is_versioned = bool(ctx.memo("uses-dvc", _uses_dvc))
        verified = ctx.memo("checksummed-names", _checksummed)
        for call in ctx.calls:
            violation = self._check_call(ctx, call, local_is_versioned, verified)
            if violation is not None:
                yield violation
        for analyzed in ctx.cells:
            for shell in analyzed.analysis.shell:
                yield from _check_shell(analyzed, shell, verified)

    def _check_call(
        self,
        ctx: NotebookContext,
        call: ResolvedCall,
        local_is_versioned: bool,
        verified: frozenset[str],
    ) -> Violation | None:
        qualified = call.qualified or ""
        site = call.site
        last = qualified.rsplit(".", 1)[-1]
        if call.is_any("datasets.load_dataset"):
            return _hf_dataset(ctx, call)
        if call.is_any("boto3") and site.method in (
            "download_file",
            "get_object",
            "download_fileobj",
        ):
            return _s3_object(ctx, call)
        reader = (
            (
                qualified.startswith(("pandas.", "polars.", "modin.pandas.", "dask.dataframe."))
                and (last in _PANDAS_READERS or last.startswith("scan_"))
            )
            or (qualified.startswith("numpy.") and last in _NUMPY_READERS)
            or (site.func is not None and _SPARK_READ.search(site.func) is not None)
            or call.is_any(
                "urllib.request.urlretrieve",
                "keras.utils.get_file",
                "tensorflow.keras.utils.get_file",
                "pooch.retrieve",
            )
        )
        if not reader:
            return None
        if (
            call.is_any("keras.utils.get_file", "tensorflow.keras.utils.get_file")
            and "file_hash" in site.kwargs
        ):
            return None
        if call.is_any("pooch.retrieve") and _given(site.kwargs.get("known_hash"), site.args, 1):
            return None
        source = _source(ctx, call)
        if source is None:
            return None
        kind = _unpinned_kind(source.text, local_is_versioned, verified)
        if kind is None:
            return None
        if source.text in ctx.memo("written-paths", _written_paths):
            return None
        return Violation(
            call.cell,
            f"{_label(site.func, qualified)} reads {kind} {source.text!r} with no version pin; "
            "the notebook's results can change when that data does",
            node=site.node,
        )


def _label(written: str | None, qualified: str) -> str:
    """Name the reader as the user wrote it (`pd.read_csv`, `tf.keras.utils.get_file`)."""
    return f"`{written or qualified}`"


_WRITERS = frozenset(
    {
        "to_csv",
        "to_parquet",
        "to_json",
        "to_pickle",
        "to_feather",
        "to_excel",
        "to_orc",
        "to_hdf",
        "save",
        "savez",
        "savez_compressed",
        "savetxt",
        "tofile",
        "write_csv",
        "write_parquet",
    }
)


def _written_paths(ctx: NotebookContext) -> frozenset[str]:
    """Paths the notebook writes itself; reading them back is a round trip, not input data."""
    paths: set[str] = set()
    for call in ctx.calls:
        site = call.site
        if site.method in _WRITERS:
            keywords = [
                site.kwargs[k].value for k in ("path_or_buf", "file", "path") if k in site.kwargs
            ]
            for node in (site.arg(0), *keywords):
                text = ctx.text_of(node, call.point)
                if text is not None:
                    paths.add(text.value)
    return frozenset(paths)


def _given(arg: cst.Arg | None, args: tuple[cst.Arg, ...], position: int) -> bool:
    node = (
        arg.value if arg is not None else (args[position].value if len(args) > position else None)
    )
    return node is not None and not (isinstance(node, cst.Name) and node.value == "None")


def _source(ctx: NotebookContext, call: ResolvedCall) -> _Source | None:
    site = call.site
    node: cst.BaseExpression | None = None
    for keyword in _PATH_KEYWORDS:
        if keyword in site.kwargs:
            node = site.kwargs[keyword].value
            break
    if node is None and call.is_any("urllib.request.urlretrieve"):
        node = site.arg(0, "url")
    if node is None and call.is_any("keras.utils.get_file", "tensorflow.keras.utils.get_file"):
        node = site.arg(1, "origin")
    if node is None and call.is_any("pooch.retrieve"):
        node = site.arg(0, "url")
    if node is None:
        node = site.arg(0)
    if node is None:
        return None
    value = ctx.text_of(node, call.point)
    text = value.value if value is not None else _literal_fragment(node)
    return _Source(text, node) if text else None


def _literal_fragment(node: cst.BaseExpression) -> str | None:
    """A path built from literals: `f"data/{name}.csv"`, `os.path.join(root, "train.csv")`."""
    if isinstance(node, cst.FormattedString):
        return string_value(node, holes=True)
    if isinstance(node, cst.Call) and (dotted_name(node.func) or "").endswith(_PATH_BUILDERS):
        parts = [string_value(arg.value) for arg in node.args]
        literal = [p for p in parts if p]
        return "/".join(literal) if literal and _FILE_LIKE.search(literal[-1]) else None
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
        right = string_value(node.right)
        return right if right and _FILE_LIKE.search(right) else None
    return None


def _unpinned_kind(text: str, local_is_versioned: bool, verified: frozenset[str]) -> str | None:
    """What kind of unpinned source `text` is, or None when it is pinned or not a source."""
    value = text.strip()
    if not value or "\n" in value or len(value) > 2048:
        return None
    if _SHA.search(value) or _VERSION_QUERY.search(value) or value in verified:
        return None
    if value.rsplit("/", 1)[-1] in verified:
        return None
    if value.startswith(("dvc://", "lakefs://", "models:/", "runs:/")):
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


def _hf_dataset(ctx: NotebookContext, call: ResolvedCall) -> Violation | None:
    site = call.site
    revision = site.kwargs.get("revision")
    if revision is not None:
        value = ctx.string_of(revision.value, call.point)
        if value is None or value not in ("main", "master"):
            return None
    name = ctx.string_of(site.arg(0, "path"), call.point)
    if name in _LOCAL_BUILDERS:
        if ctx.memo("uses-dvc", _uses_dvc):
            return None
        message = (
            f"`datasets.load_dataset` loads local {name} files with no version pin; "
            "the notebook's results can change when those files do"
        )
    else:
        what = repr(name) if name else "a dataset"
        message = (
            f"`datasets.load_dataset` loads {what} from the Hub without a pinned `revision=`; "
            "the dataset can change under the notebook"
        )
    return Violation(
        call.cell,
        message,
        node=site.node,
    )


def _s3_object(ctx: NotebookContext, call: ResolvedCall) -> Violation | None:
    site = call.site
    if "VersionId" in site.kwargs:
        return None
    extra = site.kwargs.get("ExtraArgs")
    if extra is not None and isinstance(extra.value, cst.Dict):
        keys = {string_value(e.key) for e in extra.value.elements if isinstance(e, cst.DictElement)}
        if "VersionId" in keys:
            return None
    found = ctx.text_of(site.arg(1, "Key"), call.point)
    key = found.value if found is not None else "object"
    return Violation(
        call.cell,
        f"S3 `{site.method}` reads {key!r} without a `VersionId`; "
        "enable bucket versioning and pin the version the notebook was built on",
        node=site.node,
    )


def _check_shell(
    analyzed: AnalyzedCell, shell: ShellText, verified: frozenset[str]
) -> Iterable[Violation]:
    commands = _shell_commands(shell)
    for offset, command in commands:
        words = command.split()
        if not words:
            continue
        program = words[0]
        target: str | None = None
        if program in _DOWNLOAD_COMMANDS:
            target = next(
                (
                    w
                    for w in words[1:]
                    if _URL.match(w.strip("'\"")) or _CLOUD.match(w.strip("'\""))
                ),
                None,
            )
        elif program == "aws" and words[1:3] in (["s3", "cp"], ["s3", "sync"]):
            target = next((w for w in words[3:] if w.startswith("s3://")), None)
        elif program in ("gsutil", "gcloud") and ("cp" in words or "rsync" in words):
            target = next((w for w in words if w.startswith("gs://")), None)
        if target is None:
            continue
        target = target.strip("'\"")
        if (
            _SHA.search(target)
            or _VERSION_QUERY.search(target)
            or target.rsplit("/", 1)[-1] in verified
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


def _shell_commands(shell: ShellText) -> list[tuple[int, str]]:
    """Commands in shell text, split at newlines and `&&`/`;`/`|` (continuations joined)."""
    text = shell.text.replace("\\\n", "  ")
    if shell.kind == "line-magic" and shell.magic not in ("sx", "system"):
        return []
    if shell.kind == "cell-magic" and shell.magic not in (
        "bash",
        "sh",
        "script",
        "system",
        "sx",
        "zsh",
    ):
        return []
    commands: list[tuple[int, str]] = []
    for match in re.finditer(r"[^\n;&|]+", text):
        command = match.group().strip()
        if command:
            commands.append((match.start(), command))
    return commands


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
        hashes = any(imp.qualified.startswith("hashlib") for imp in facts.imports) or any(
            (c.func or "").startswith("hashlib.") for c in facts.calls
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
