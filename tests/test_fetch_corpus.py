"""benchmarks/fetch_corpus.py against a real local git repository.

The precision labels name notebooks by `<owner>+<name>/<path>`; this checks that the script
pins a mirror's commit and re-extracts exactly that commit's notebooks, whatever happened on
the branch since.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def load_script() -> ModuleType:
    """Import benchmarks/fetch_corpus.py, which lives in a script folder, not a package."""
    spec = importlib.util.spec_from_file_location(
        "mllens_fetch_corpus", BENCHMARKS / "fetch_corpus.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


fetch_corpus = load_script()


def git(work: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def test_record_then_re_extract_the_pinned_commit(tmp_path: Path) -> None:
    work = tmp_path / "work"
    (work / "nested dir").mkdir(parents=True)
    (work / "a.ipynb").write_text('{"cells": []}', encoding="utf-8")
    (work / "nested dir" / "b.ipynb").write_text('{"cells": [1]}', encoding="utf-8")
    (work / "script.py").write_text("print()", encoding="utf-8")
    git(work, "init", "-q")
    git(work, "add", ".")
    git(work, "commit", "-qm", "first")
    pinned = git(work, "rev-parse", "HEAD")
    mirrors = tmp_path / "mirrors"
    subprocess.run(
        ["git", "clone", "-q", "--mirror", str(work), str(mirrors / "acme+demo" / "repo")],
        check=True,
        capture_output=True,
    )

    manifest = tmp_path / "corpus.toml"
    fetch_corpus.write_manifest(
        manifest, [fetch_corpus.Source(repo="acme/demo", commit="HEAD", notebooks=0)]
    )
    assert (
        fetch_corpus.main(
            [str(mirrors), str(tmp_path / "out1"), "--manifest", str(manifest), "--record"]
        )
        == 0
    )
    (source,) = fetch_corpus.read_manifest(manifest)
    assert (source.repo, source.commit, source.notebooks, source.skip) == (
        "acme/demo",
        pinned,
        2,
        (),
    )

    # The branch moves on; the mirror follows, the manifest does not.
    (work / "c.ipynb").write_text("{}", encoding="utf-8")
    git(work, "add", ".")
    git(work, "commit", "-qm", "second")
    mirror = mirrors / "acme+demo" / "repo"
    git(mirror, "fetch", "-q", str(work), f"+HEAD:{git(mirror, 'symbolic-ref', 'HEAD')}")
    assert git(mirror, "rev-parse", "HEAD") != pinned

    out = tmp_path / "out2"
    assert fetch_corpus.main([str(mirrors), str(out), "--manifest", str(manifest)]) == 0
    written = sorted(path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file())
    assert written == ["acme+demo/a.ipynb", "acme+demo/nested dir/b.ipynb"]
    assert (out / "acme+demo" / "nested dir" / "b.ipynb").read_text(
        encoding="utf-8"
    ) == '{"cells": [1]}'


def test_the_committed_manifest_is_well_formed() -> None:
    sources = fetch_corpus.read_manifest(fetch_corpus.DEFAULT_MANIFEST)
    assert sum(source.notebooks for source in sources) >= 2000
    assert len(sources) >= 6
    assert sum(source.sagemaker for source in sources) >= 2
    assert all(len(source.commit) == 40 for source in sources)
    reserved = {
        "aws/amazon-sagemaker-examples",
        "GoogleCloudPlatform/vertex-ai-samples",
        "huggingface/notebooks",
        "ageron/handson-ml3",
    }
    assert not reserved & {source.repo for source in sources}
