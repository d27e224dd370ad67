"""`mllens`: the command line face of the engine.

    mllens check PATH...      lint notebooks (the default command: `mllens PATH` works too,
                              which is how `nbqa jupyter_mllens` and `python -m` call it)
    mllens rules              list the rule catalog
    mllens explain RULE       print one rule's documentation
    mllens report PATH... -o FILE
                              lint, then write one self-contained HTML report

Exit status: 0 no findings, 1 findings, 2 usage error or an input that could not be read
(reported after everything else was linted). A crash is exit 2 with one line, never 1,
which CI would read as "findings".
"""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__

# The engine (libcst, the catalog) is imported only by the commands that use it, so
# `mllens --help` and `mllens --version` start in a few tens of milliseconds: pre-commit
# and nbqa start the linter often.
if TYPE_CHECKING:
    from .cache import ResultCache
    from .catalog import Catalog
    from .config import Config
    from .discovery import Target
    from .document import Document
    from .findings import LintError, LintResult
    from .formats.text import FileCounts

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
COMMANDS = ("check", "rules", "explain", "report")
TRACEBACK_VARIABLE = "MLLENS_TRACEBACK"
FORMAT_NAMES = ("text", "json", "json-lines", "sarif", "github", "junit")
STDIN = "-"
#: `mllens report --max-notebooks`'s default (kept here: the report package loads lazily).
MAX_REPORT_NOTEBOOKS = 1000


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "--version")):
        args.insert(0, "check")
    parser, subparsers = _parser()
    try:
        options, extras = parser.parse_known_args(args)
        if extras:  # reported by the command's own parser, so its usage is the one shown
            subparsers[options.command].error(f"unrecognized arguments: {' '.join(extras)}")
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    from .config import ConfigError

    try:
        return int(options.run(options))
    except (ConfigError, UsageError) as exc:
        print(f"mllens: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # `mllens check | head`
        return EXIT_CLEAN
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # Exit 1 means "findings" to CI, so a crash must never look like one: it is one
        # clear line and exit 2. MLLENS_TRACEBACK=1 asks for the traceback, to report it.
        if os.environ.get(TRACEBACK_VARIABLE):
            traceback.print_exc()
        print(
            f"mllens: error: internal error ({type(exc).__name__}: {exc}); please report it"
            f" (set {TRACEBACK_VARIABLE}=1 for the traceback)",
            file=sys.stderr,
        )
        return EXIT_ERROR


class UsageError(Exception):
    """A command line that cannot be carried out; reported as one line, exit 2."""


def _parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = argparse.ArgumentParser(
        prog="mllens",
        description="Lint Jupyter notebooks against the AWS Well-Architected Machine Learning Lens.",
    )
    parser.add_argument("--version", action="version", version=f"mllens {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="lint notebooks and scripts (the default command)")
    check.add_argument(
        "paths",
        nargs="*",
        default=["."],
        metavar="PATH",
        help="files, directories or fsspec URLs such as s3://bucket/prefix/ (default: .);"
        " `-` reads one notebook from stdin",
    )
    check.add_argument(
        "--format",
        "--output-format",
        dest="format",
        choices=FORMAT_NAMES,
        default="text",
        help="output format (default: text)",
    )
    _add_selection_options(check)
    check.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="the name of the notebook read from stdin (for configuration and the report)",
    )
    _add_execution_options(check)
    check.add_argument(
        "--output", "-o", type=Path, help="write the report to this file instead of stdout"
    )
    check.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when there are findings"
    )
    check.add_argument(
        "--write-baseline",
        metavar="FILE",
        type=Path,
        help="record today's findings in FILE (later runs with --baseline report only new ones)",
    )
    check.add_argument(
        "--baseline",
        metavar="FILE",
        type=Path,
        help="leave out the findings recorded in FILE by --write-baseline",
    )
    check.add_argument(
        "--statistics", action="store_true", help="count findings per rule instead of listing them"
    )
    check.add_argument(
        "--show-source",
        action="store_true",
        help="show the offending line under each finding (secrets masked)",
    )
    _add_cache_options(check)
    check.add_argument(
        "--fix", action="store_true", help="apply safe fixes to notebooks, then report the rest"
    )
    check.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix or --diff, also apply fixes that change behaviour",
    )
    check.add_argument(
        "--diff",
        action="store_true",
        help="print the fixes as a unified diff per cell and write nothing",
    )
    check.add_argument(
        "--show-fixes", action="store_true", help="list the fixes applied (or applicable)"
    )
    check.add_argument("--quiet", "-q", action="store_true", help="print findings only, no summary")
    check.add_argument(
        "--verbose", "-v", action="store_true", help="say what is linted and how (on stderr)"
    )
    check.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text report (default: auto, following NO_COLOR and FORCE_COLOR)",
    )
    check.set_defaults(run=_check)

    rules = commands.add_parser("rules", help="list the rule catalog")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.set_defaults(run=_rules)

    explain = commands.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("rule", help="rule name or code, e.g. hardcoded-credentials or MLL101")
    explain.set_defaults(run=_explain)
    report = _report_parser(commands)
    return parser, {"check": check, "rules": rules, "explain": explain, "report": report}


def _add_selection_options(command: argparse.ArgumentParser) -> None:
    """Which rules run and which configuration applies: the same for `check` and `report`."""
    selectors = "rule names, codes, code prefixes, pillars or phases, comma separated"
    command.add_argument("--select", type=_rule_list, help=f"rules to check: {selectors}")
    command.add_argument(
        "--extend-select", type=_rule_list, help="rules to check in addition to the configured ones"
    )
    command.add_argument(
        "--ignore", type=_rule_list, help="rules to skip (added to the configured ones)"
    )
    command.add_argument(
        "--config",
        type=Path,
        help="use this pyproject.toml or mllens.toml instead of discovering one",
    )
    command.add_argument("--isolated", action="store_true", help="ignore all configuration files")


def _add_execution_options(command: argparse.ArgumentParser) -> None:
    """Where the files are linted."""
    command.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=None,
        help=f"worker processes; 0 means all cores (default: {_cores()})",
    )
    command.add_argument(
        "--timeout",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="stop linting a file after SECONDS and report it as an error; the rest of the run"
        " goes on (files are then always linted in worker processes, also on Dask workers;"
        " default: no limit)",
    )
    command.add_argument(
        "--executor",
        choices=("processes", "dask"),
        default="processes",
        help="where files are linted: local worker processes (default), or a Dask cluster",
    )
    command.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --executor dask: the scheduler to use, e.g. tcp://10.0.0.5:8786"
        " (default: a local cluster of --jobs workers for this run)",
    )


def _add_cache_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help="neither read nor write the result cache",
    )
    command.add_argument(
        "--cache-dir",
        metavar="DIR",
        type=Path,
        help="keep the result cache in DIR (default: $MLLENS_CACHE_DIR, else .mllens_cache"
        " in the folder of the configuration file, else in the current directory)",
    )


def _report_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """`mllens report`: `check`'s selection, configuration, cache and process options."""
    report = commands.add_parser(
        "report",
        help="write one self-contained HTML report of the findings (heat map, lens review)",
        description="Lint notebooks as `mllens check` does, then write one self-contained HTML"
        " page: a pillar x lifecycle-phase heat map, counts per rule, the notebooks to look at"
        " first, a lens review per pillar and every notebook's findings with the offending"
        " lines (secrets masked).",
    )
    report.add_argument(
        "paths",
        nargs="*",
        default=["."],
        metavar="PATH",
        help="files, directories or fsspec URLs (default: .)",
    )
    report.add_argument(
        "--output",
        "-o",
        type=Path,
        required=True,
        help="the HTML file to write (`-` for stdout); nothing else is written but the cache",
    )
    report.add_argument("--title", default="ML Lens report", help="the page's title")
    report.add_argument(
        "--max-notebooks",
        type=_count,
        default=MAX_REPORT_NOTEBOOKS,
        metavar="N",
        help="give only the N most serious notebooks a section of their own; every count still"
        " covers all of them (default: 1000; 0: every notebook)",
    )
    _add_selection_options(report)
    _add_execution_options(report)
    report.add_argument(
        "--baseline",
        metavar="FILE",
        type=Path,
        help="leave out the findings recorded in FILE by `mllens check --write-baseline`",
    )
    _add_cache_options(report)
    report.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    report.add_argument(
        "--verbose", "-v", action="store_true", help="say what is linted and how (on stderr)"
    )
    report.set_defaults(
        run=_report,
        format="html",
        exit_zero=True,  # a report is read, not a gate: findings do not fail it
    )
    return report


def _cores() -> int:
    from .cpus import available_cpus

    return available_cpus()


def _seconds(text: str) -> float:
    """A positive number of seconds (`--timeout`)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, not {text}")
    return value


def _count(text: str) -> int:
    """A whole number, zero or more (`--max-notebooks`)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of processes: {text!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError(f"must be 0 (all cores) or more, not {jobs}")
    return jobs or _cores()


def _rule_list(text: str) -> list[str]:
    from .catalog import load_catalog

    items = [part.strip() for part in text.split(",") if part.strip()]
    catalog = load_catalog()
    unknown = [item for item in items if not catalog.is_selector(item)]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown rule(s): {', '.join(unknown)} (see `mllens rules`)"
        )
    return items


def _report(options: argparse.Namespace) -> int:
    """`mllens report`: `check`'s whole path (discovery, configuration, cache, `--jobs`,
    baseline) with the HTML report as its output format. Exit 0 when the report is written,
    2 when some file could not be linted (it is listed in the report)."""
    # every other option `check` reads keeps `check`'s default
    _, subparsers = _parser()
    for name, value in vars(subparsers["check"].parse_args([])).items():
        if not hasattr(options, name):
            setattr(options, name, value)
    if str(options.output) == STDIN:
        options.output = None
    if options.paths == [STDIN]:
        raise UsageError("`mllens report` reads files and folders, not stdin")
    status = _check(options)
    if options.output is not None and not options.quiet:
        print(f"mllens: wrote the report to {options.output}", file=sys.stderr)
    return status


def _check(options: argparse.Namespace) -> int:
    from .catalog import load_catalog
    from .discovery import discover
    from .findings import LintResult

    if options.scheduler is not None and options.executor != "dask":
        raise UsageError("--scheduler needs --executor dask")
    if options.paths == [STDIN] and (options.fix or options.diff):
        raise UsageError("--fix and --diff rewrite files: name notebooks, not stdin")
    catalog = load_catalog()
    started = time.perf_counter()
    config_for = _config_resolver(options, catalog)
    say = _Verbose(options.verbose)
    documents: dict[str, Document] = {}
    if options.paths == [STDIN]:
        result, count = _check_stdin(options, config_for, documents)
    else:
        targets, found_errors = discover(options.paths, config_for)
        for written in (options.output, options.write_baseline):
            if written is not None:
                _check_output(written, [*options.paths, *(str(t.path) for t in targets)])
        if options.fix or options.diff or options.show_fixes:
            fixed = _fix(options, targets, found_errors, catalog)
            if fixed is not None:
                return fixed
        say(f"{len(targets)} file(s) to lint with {options.jobs or _cores()} process(es)")
        from .batch import joined
        from .progress import ProgressBar, wanted

        cache = _result_cache(options, catalog, say) if targets else None
        bar = ProgressBar(len(targets), enabled=wanted(sys.stderr, quiet=options.quiet))
        parts = _parts(options, targets, bar.advance, cache)
        try:
            if _streams(options):
                code = _stream_json_lines(options, found_errors, parts)
            else:
                linted = joined(list(parts), len(targets))
        finally:
            bar.close()
        if cache is not None:
            say(f"{cache.hits} of {len(targets)} file(s) from the cache in {cache.directory}")
        if _streams(options):
            say(f"linted in {time.perf_counter() - started:.2f}s")
            return code
        result = LintResult(
            findings=tuple(sorted(linted.findings, key=lambda f: f.sort_key())),
            errors=tuple(found_errors) + linted.errors,
            files=linted.files,
        )
        failed = {error.path for error in result.errors}
        count = _counts([t.shown for t in targets if t.shown not in failed])
    say(f"linted in {time.perf_counter() - started:.2f}s")
    if options.write_baseline is not None or options.baseline is not None:
        result = _apply_baseline(options, result, documents, say)
        if options.write_baseline is not None:
            return EXIT_ERROR if result.errors else EXIT_CLEAN
    report = _render(options, result, catalog, count, documents)
    if options.format in ("text", "html"):
        from .formats.location import display_path

        for error in result.errors:
            print(f"{display_path(error.path)}: error: {error.message}", file=sys.stderr)
    if options.output is not None:
        try:
            options.output.write_text(report, "utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {options.output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(report)
        sys.stdout.flush()
    if result.errors:
        return EXIT_ERROR
    if result.findings and not options.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _fix(
    options: argparse.Namespace, targets: list[Target], errors: list[LintError], catalog: Catalog
) -> int | None:
    """Fix (or diff) the targets first; an exit code when the run ends here (`--diff`)."""
    from .fixes.command import run_fixes

    results, failed = run_fixes(
        targets,
        catalog,
        unsafe=options.unsafe_fixes,
        write=options.fix and not options.diff,
        show=options.show_fixes,
        diff=options.diff,
    )
    errors.extend(failed)
    if not options.diff:
        return None
    for error in failed:
        print(f"{error.path}: error: {error.message}", file=sys.stderr)
    if failed:
        return EXIT_ERROR
    return EXIT_FINDINGS if any(result.after for result in results) else EXIT_CLEAN


def _parts(
    options: argparse.Namespace,
    targets: list[Target],
    progress: Callable[[int], None],
    cache: ResultCache | None,
) -> Iterator[LintResult]:
    """The run's results, in target order, from local worker processes or a Dask cluster."""
    if not targets:
        return
    if options.executor == "dask":
        from .dask_batch import DaskUnavailable, iter_on_dask

        try:
            yield from iter_on_dask(
                targets,
                scheduler=options.scheduler,
                workers=options.jobs or _cores(),
                progress=progress,
                cache=cache,
                timeout=options.timeout,
            )
        except DaskUnavailable as exc:
            raise UsageError(str(exc)) from None
        return
    from .batch import iter_results

    yield from iter_results(
        targets, options.jobs, progress=progress, cache=cache, timeout=options.timeout
    )


def _streams(options: argparse.Namespace) -> bool:
    """JSON Lines is written as files finish, unless a baseline needs the whole run first."""
    return (
        options.format == "json-lines"
        and options.baseline is None
        and options.write_baseline is None
    )


def _stream_json_lines(
    options: argparse.Namespace, found_errors: list[LintError], parts: Iterator[LintResult]
) -> int:
    """Write each file's lines as it finishes, in the order files were found; the exit status.

    Paths that could not be considered at all (named files that do not exist) come last.

    Nothing of the run is held beyond the files still out of order, so memory stays flat
    however many notebooks are linted.
    """
    from .formats.json_lines import error_line, finding_line

    findings = 0
    errors = len(found_errors)
    with contextlib.ExitStack() as stack:
        out: TextIO = sys.stdout
        if options.output is not None:
            try:
                out = stack.enter_context(open(options.output, "w", encoding="utf-8"))
            except OSError as exc:
                raise UsageError(f"cannot write {options.output}: {exc.strerror or exc}") from None
        for part in parts:
            out.writelines(
                finding_line(finding) + "\n"
                for finding in sorted(part.findings, key=lambda f: f.sort_key())
            )
            out.writelines(error_line(error) + "\n" for error in part.errors)
            out.flush()
            findings += len(part.findings)
            errors += len(part.errors)
        out.writelines(error_line(error) + "\n" for error in found_errors)
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if findings and not options.exit_zero else EXIT_CLEAN


def _result_cache(
    options: argparse.Namespace, catalog: Catalog, say: Callable[[str], None]
) -> ResultCache | None:
    """The run's result cache, or None with `--no-cache`; nothing is created until a store."""
    if not options.cache:
        return None
    from .cache import ResultCache, default_directory

    if options.cache_dir is not None:
        directory = options.cache_dir
    else:
        directory = default_directory(_project_root(options))
    return ResultCache(directory, catalog)


def _project_root(options: argparse.Namespace) -> Path | None:
    """The folder of the configuration in effect for the current directory, as ruff finds it."""
    from .config import ConfigError, find_config_file

    if options.isolated:
        return None
    if options.config is not None:
        return Path(os.path.abspath(options.config)).parent
    try:
        found = find_config_file(Path.cwd())
    except ConfigError:
        return None  # reported for the files it governs; the cache goes in the current folder
    return None if found is None else found[0].parent


def _apply_baseline(
    options: argparse.Namespace,
    result: LintResult,
    documents: dict[str, Document],
    say: Callable[[str], None],
) -> LintResult:
    """Record the findings (`--write-baseline`), or leave out the recorded ones (`--baseline`)."""
    from .baseline import BaselineError, new_findings, read_baseline, write_baseline
    from .findings import LintResult

    lookup = _source_lookup(documents)
    if options.write_baseline is not None:
        try:
            write_baseline(options.write_baseline, result.findings, lookup)
        except OSError as exc:
            raise UsageError(
                f"cannot write {options.write_baseline}: {exc.strerror or exc}"
            ) from None
        print(
            f"mllens: recorded {len(result.findings)} finding(s) in {options.write_baseline}",
            file=sys.stderr,
        )
        return result
    try:
        known = read_baseline(options.baseline)
    except BaselineError as exc:
        raise UsageError(str(exc)) from None
    fresh, matched = new_findings(result.findings, known, lookup)
    say(f"{matched} finding(s) recorded in {options.baseline} left out")
    return LintResult(findings=tuple(fresh), errors=result.errors, files=result.files)


class _Verbose:
    """`--verbose` lines on stderr, where they never mix with a report on stdout."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, message: str) -> None:
        if self.enabled:
            print(f"mllens: {message}", file=sys.stderr)


def _check_stdin(
    options: argparse.Namespace,
    config_for: Callable[[Path], Config],
    documents: dict[str, Document],
) -> tuple[LintResult, FileCounts]:
    """One notebook (or script) from stdin, named by `--stdin-filename` for config and reports."""
    from .engine import Linter
    from .reader import InputError, parse_notebook_text, parse_script

    name = options.stdin_filename or STDIN
    data = sys.stdin.buffer.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = ""
        error: str | None = f"not UTF-8 text (invalid byte at offset {exc.start})"
    else:
        error = None
    is_script = name.lower().endswith(".py") or (
        options.stdin_filename is None and not text.lstrip().startswith("{")
    )
    config = config_for(Path(name) if options.stdin_filename else Path.cwd() / "stdin.ipynb")
    if error is not None:
        from .findings import LintError, LintResult

        return LintResult(errors=(LintError(name, error),), files=1), _counts([])
    result = Linter().lint_text(text, name, config, Path(name), notebook=not is_script)
    with contextlib.suppress(InputError):  # already reported by the lint
        documents[name] = parse_script(text, name) if is_script else parse_notebook_text(text, name)
    failed = bool(result.errors)
    return result, _counts([] if failed else [name if is_script else name + ".ipynb"])


def _counts(shown: list[str]) -> FileCounts:
    from .formats.text import FileCounts

    scripts = sum(1 for name in shown if name.lower().endswith(".py"))
    return FileCounts(notebooks=len(shown) - scripts, scripts=scripts)


def _render(
    options: argparse.Namespace,
    result: LintResult,
    catalog: Catalog,
    counts: FileCounts,
    documents: dict[str, Document],
) -> str:
    from .formats import FORMATS
    from .formats.text import TextOptions, render_text
    from .terminal import wants_color

    if options.format == "html":
        return _html_report(options, result, catalog, counts, documents)
    if options.format != "text":
        return FORMATS[options.format](result, catalog)
    stream = sys.stdout if options.output is None else None
    text_options = TextOptions(
        show_source=options.show_source,
        statistics=options.statistics,
        quiet=options.quiet,
        color=stream is not None and wants_color(options.color, stream),
        source=_source_lookup(documents),
        counts=counts,
    )
    return render_text(result, catalog, text_options)


def _html_report(
    options: argparse.Namespace,
    result: LintResult,
    catalog: Catalog,
    counts: FileCounts,
    documents: dict[str, Document],
) -> str:
    """`mllens report`'s page; each notebook with findings is read again once, then let go."""
    from .report import build_report, render_report

    lookup = _source_lookup(documents)

    def once(path: str) -> Document | None:
        document = lookup(path)
        documents.pop(path, None)
        return document

    report = build_report(
        result,
        catalog,
        once,
        title=options.title,
        files=counts.notebooks + counts.scripts,
        max_notebooks=options.max_notebooks,
    )
    return render_report(report, tuple(options.paths))


def _source_lookup(documents: dict[str, Document]) -> Callable[[str], Document | None]:
    """Documents read again for `--show-source`, once each (stdin's is kept from the run)."""
    from .reader import DEFAULT_MAX_BYTES, InputError, document_from_bytes, read_document
    from .remote import is_remote, local_path, read_url

    def lookup(path: str) -> Document | None:
        if path not in documents:
            try:
                if is_remote(path):
                    data = read_url(path, DEFAULT_MAX_BYTES)
                    documents[path] = document_from_bytes(data, Path(path.split("://", 1)[1]), path)
                else:
                    documents[path] = read_document(Path(local_path(path)), path)
            except InputError:
                return None
        return documents[path]

    return lookup


def _check_output(output: Path, inputs: list[str]) -> None:
    """Refuse an `--output` that would overwrite an input, before anything is written.

    A report written over the notebook it describes destroys it (`mllens check nb.ipynb
    -o nb.ipynb`), so the output is compared, as a file, with every named path and every
    file found to lint; a folder is refused too.
    """
    try:
        written = os.stat(output)
    except OSError:
        return  # does not exist yet (or cannot be seen): it cannot be one of the inputs
    from .formats.location import display_path

    if stat.S_ISDIR(written.st_mode):
        raise UsageError(f"--output {output} is a directory; name a file to write the report to")
    for name in inputs:
        try:
            read = os.stat(name)
        except OSError:
            continue
        if (read.st_dev, read.st_ino) == (written.st_dev, written.st_ino):
            raise UsageError(
                f"--output {output} is one of the files being linted ({display_path(name)});"
                " refusing to overwrite it"
            )


def _config_resolver(options: argparse.Namespace, catalog: Catalog) -> Callable[[Path], Config]:
    """Per-file configuration: discovered per directory (cached), then the flags applied.

    A broken config file raises `ConfigError` for the files it governs (discovery turns it
    into one error entry for their folder); the error is cached like a config.
    """
    from .config import (
        Config,
        ConfigError,
        config_from_file,
        config_from_settings,
        find_config_file,
    )
    from .discovery import real_path

    if options.isolated:
        fixed: Config | None = Config()
    elif options.config is not None:
        fixed = config_from_file(options.config, catalog)
    else:
        fixed = None
    resolved: dict[Path, Config | ConfigError] = {}
    say = _Verbose(options.verbose)

    def for_directory(directory: Path) -> Config:
        if directory not in resolved:
            try:
                if fixed is not None:
                    base = fixed
                else:
                    found = find_config_file(directory)
                    if found is not None:
                        say(f"{directory}: configuration from {found[0]}")
                    base = (
                        Config()
                        if found is None
                        else config_from_settings(found[1], found[0], catalog)
                    )
                resolved[directory] = base.with_overrides(
                    options.select, options.ignore, options.extend_select
                )
            except ConfigError as exc:
                resolved[directory] = exc
        outcome = resolved[directory]
        if isinstance(outcome, ConfigError):
            raise outcome
        return outcome

    def config_for(path: Path) -> Config:
        return for_directory(real_path(path.parent))

    return config_for


def _rules(options: argparse.Namespace) -> int:
    import json

    from .catalog import load_catalog
    from .lens import pillar

    catalog = load_catalog()
    if options.format == "json":
        print(json.dumps(catalog.to_json(), indent=2))
        return EXIT_CLEAN
    width = max(len(rule.name) for rule in catalog.rules)
    for rule in catalog.rules:
        pillars = ", ".join(pillar(p).title.lower() for p in rule.pillars)
        print(
            f"{rule.code}  {rule.name:<{width}}  {rule.severity.value:<6}  {rule.title} [{pillars}]"
        )
    return EXIT_CLEAN


def _explain(options: argparse.Namespace) -> int:
    from .catalog import load_catalog
    from .docs import rule_markdown

    rule = load_catalog().get(options.rule)
    if rule is None:
        print(f"mllens: error: unknown rule {options.rule!r} (see `mllens rules`)", file=sys.stderr)
        return EXIT_ERROR
    print(rule_markdown(rule))
    return EXIT_CLEAN


__all__ = ["main"]
