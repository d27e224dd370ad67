"""Extract the precision corpus's notebooks from local git mirrors of public repositories.

    python benchmarks/fetch_corpus.py MIRRORS OUT [--manifest benchmarks/corpus.toml]
    python benchmarks/fetch_corpus.py MIRRORS OUT --record   # rewrite the manifest from HEAD

The precision labels (`benchmarks/labels/`) judge findings on notebooks that nobody working on
this linter wrote. Those notebooks are not ours to commit, so the repository keeps only the
list of public repositories and the exact commit of each (`corpus.toml`); anyone can rebuild
the same files from clones of those repositories.

`MIRRORS` holds one git directory per repository, at `MIRRORS/<owner>+<name>/repo` (a bare
mirror) or `MIRRORS/<owner>+<name>` (a bare repository or a clone's `.git` parent). Make them
with e.g. `git clone --mirror https://github.com/<owner>/<name> MIRRORS/<owner>+<name>/repo`.
This script runs only local `git` commands against those directories: it downloads nothing.

Every `*.ipynb` in the recorded commit's tree is written to `OUT/<owner>+<name>/<path>`, so a
label's path (`<owner>+<name>/<path>`) is the same on every machine. With `--record` the
manifest is rewritten from each mirror's `HEAD` (used once, when the corpus was chosen).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DEFAULT_MANIFEST = Path(__file__).with_name("corpus.toml")


@dataclass(frozen=True)
class Source:
    """One public repository of the corpus, pinned to the commit its notebooks came from."""

    repo: str
    commit: str
    notebooks: int
    sagemaker: bool = False
    skip: tuple[str, ...] = ()

    @property
    def folder(self) -> str:
        """The corpus folder name: `owner+name`, as the mirrors and the label paths use."""
        return self.repo.replace("/", "+")


def read_manifest(path: Path) -> list[Source]:
    """The repositories listed in a `corpus.toml`."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Source(
            repo=str(entry["repo"]),
            commit=str(entry["commit"]),
            notebooks=int(entry["notebooks"]),
            sagemaker=bool(entry.get("sagemaker", False)),
            skip=tuple(str(name) for name in entry.get("skip", ())),
        )
        for entry in data["repository"]
    ]


def write_manifest(path: Path, sources: Sequence[Source]) -> None:
    """Write the manifest, keeping its header comment (tomllib has no writer)."""
    lines = [
        "# Public repositories whose notebooks form the precision corpus (benchmarks/README.md).",
        "# Rebuild the files with benchmarks/fetch_corpus.py from git clones of these repositories.",
        f"# {sum(source.notebooks for source in sources)} notebooks in {len(sources)} repositories.",
        "",
    ]
    for source in sources:
        lines += [
            "[[repository]]",
            f'repo = "{source.repo}"',
            f'commit = "{source.commit}"',
            f"notebooks = {source.notebooks}",
            f"sagemaker = {'true' if source.sagemaker else 'false'}",
        ]
        if source.skip:
            lines.append("skip = [")
            lines += [f"    {json.dumps(name)}," for name in source.skip]
            lines.append("]")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def git_dir(mirrors: Path, source: Source) -> Path:
    """The git directory holding `source`, in either accepted layout."""
    for candidate in (mirrors / source.folder / "repo", mirrors / source.folder):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"no git directory for {source.repo} under {mirrors}")


def git(directory: Path, *args: str) -> bytes:
    """Run a local git command against `directory` and return its standard output."""
    return subprocess.run(
        ["git", f"--git-dir={directory}", *args], check=True, capture_output=True
    ).stdout


def notebook_blobs(directory: Path, commit: str) -> dict[str, str]:
    """Path to blob id of every notebook in the commit's tree (NUL-separated listing)."""
    listing = git(directory, "ls-tree", "-r", "-z", commit)
    blobs: dict[str, str] = {}
    for entry in listing.decode("utf-8", "surrogateescape").split("\0"):
        meta, _, name = entry.partition("\t")
        fields = meta.split()
        if name.endswith(".ipynb") and len(fields) == 3 and fields[1] == "blob":
            blobs[name] = fields[2]
    return blobs


def present(directory: Path, blob: str) -> bool:
    """Whether the mirror holds the blob (partial snapshots leave their largest files out)."""
    probe = subprocess.run(
        ["git", f"--git-dir={directory}", "cat-file", "-e", blob], capture_output=True
    )
    return probe.returncode == 0


def extract(directory: Path, source: Source, out: Path, *, record: bool) -> Source:
    """Write the commit's notebooks under `out`, except the manifest's `skip` list.

    With `record`, notebooks whose blobs the mirror lacks join the skip list instead of
    failing the run, so the manifest names exactly the files the labels were made on.
    """
    skip = set(source.skip)
    written = 0
    for name, blob in sorted(notebook_blobs(directory, source.commit).items()):
        if name in skip:
            continue
        if record and not present(directory, blob):
            skip.add(name)
            continue
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(git(directory, "cat-file", "blob", blob))
        written += 1
    return Source(
        repo=source.repo,
        commit=source.commit,
        notebooks=written,
        sagemaker=source.sagemaker,
        skip=tuple(sorted(skip)),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mirrors", type=Path, help="folder of local git mirrors")
    parser.add_argument("out", type=Path, help="corpus root to write (outside the repository)")
    parser.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    parser.add_argument(
        "--record", action="store_true", help="pin each mirror's HEAD into the manifest first"
    )
    args = parser.parse_args(argv)
    sources = read_manifest(args.manifest)
    if args.record:
        sources = [
            Source(
                repo=source.repo,
                commit=git(git_dir(args.mirrors, source), "rev-parse", "HEAD").decode().strip(),
                notebooks=source.notebooks,
                sagemaker=source.sagemaker,
            )
            for source in sources
        ]
    written: list[Source] = []
    for source in sources:
        directory = git_dir(args.mirrors, source)
        done = extract(directory, source, args.out / source.folder, record=args.record)
        if not args.record and done.notebooks != source.notebooks:
            print(
                f"{source.repo}: {done.notebooks} notebooks, the manifest says {source.notebooks}",
                file=sys.stderr,
            )
        written.append(done)
        print(f"{source.repo}@{source.commit[:12]}: {done.notebooks} notebooks")
    if args.record:
        write_manifest(args.manifest, written)
    print(f"{sum(source.notebooks for source in written)} notebooks in {len(written)} repositories")
    return 0


if __name__ == "__main__":
    sys.exit(main())
