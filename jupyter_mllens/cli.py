"""`mllens`: the command line face of the engine.

    mllens check PATH...      lint notebooks (the default command: `mllens PATH` works too,
                              which is how `nbqa jupyter_mllens` and `python -m` call it)
    mllens rules              list the rule catalog
    mllens explain RULE       print one rule's documentation

Exit status: 0 no findings, 1 findings, 2 usage error or an input that could not be read
(reported after everything else was linted). A crash is exit 2 with one line, never 1,
which CI would read as "findings".
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
import traceback
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from . import __version__
from .batch import default_jobs, lint_targets
from .catalog import Catalog, load_catalog
from .config import Config, ConfigError, config_from_file, config_from_settings, find_config_file
from .discovery import discover, real_path
from .docs import rule_markdown
from .findings import LintResult
from .formats import FORMATS
from .formats.location import display_path
from .lens import pillar

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
COMMANDS = ("check", "rules", "explain")
TRACEBACK_VARIABLE = "MLLENS_TRACEBACK"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "--version")):
        args.insert(0, "check")
    parser = _parser()
    try:
        options = parser.parse_args(args)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mllens",
        description="Lint Jupyter notebooks against the AWS Well-Architected Machine Learning Lens.",
    )
    parser.add_argument("--version", action="version", version=f"mllens {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="lint notebooks and scripts (the default command)")
    check.add_argument(
        "paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)"
    )
    check.add_argument(
        "--format", choices=sorted(FORMATS), default="text", help="output format (default: text)"
    )
    check.add_argument(
        "--select",
        type=_rule_list,
        help="rules to check: names, codes, code prefixes, pillars or phases, comma separated",
    )
    check.add_argument(
        "--ignore",
        type=_rule_list,
        help="rules to skip, comma separated (added to the configured ones)",
    )
    check.add_argument(
        "--config",
        type=Path,
        help="use this pyproject.toml or mllens.toml instead of discovering one",
    )
    check.add_argument("--isolated", action="store_true", help="ignore all configuration files")
    check.add_argument(
        "--jobs", "-j", type=int, default=None, help=f"worker processes (default: {default_jobs()})"
    )
    check.add_argument(
        "--output", "-o", type=Path, help="write the report to this file instead of stdout"
    )
    check.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when there are findings"
    )
    check.set_defaults(run=_check)

    rules = commands.add_parser("rules", help="list the rule catalog")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.set_defaults(run=_rules)

    explain = commands.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("rule", help="rule name or code, e.g. hardcoded-credentials or MLL101")
    explain.set_defaults(run=_explain)
    return parser


def _rule_list(text: str) -> list[str]:
    items = [part.strip() for part in text.split(",") if part.strip()]
    catalog = load_catalog()
    unknown = [item for item in items if not catalog.is_selector(item)]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown rule(s): {', '.join(unknown)} (see `mllens rules`)"
        )
    return items


def _check(options: argparse.Namespace) -> int:
    catalog = load_catalog()
    config_for = _config_resolver(options, catalog)
    targets, errors = discover(options.paths, config_for)
    if options.output is not None:
        _check_output(options.output, [*options.paths, *(str(t.path) for t in targets)])
    result = lint_targets(targets, options.jobs)
    result = LintResult(
        findings=tuple(sorted(result.findings, key=lambda f: f.sort_key())),
        errors=tuple(errors) + result.errors,
        files=result.files,
    )
    report = FORMATS[options.format](result, catalog)
    if options.format == "text":
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
    """Per-file configuration: discovered per directory (cached), then the flags applied."""
    if options.isolated:
        fixed: Config | None = Config()
    elif options.config is not None:
        fixed = config_from_file(options.config, catalog)
    else:
        fixed = None

    @cache
    def for_directory(directory: Path) -> Config:
        if fixed is not None:
            base = fixed
        else:
            found = find_config_file(directory)
            base = Config() if found is None else config_from_settings(found[1], found[0], catalog)
        return base.with_overrides(options.select, options.ignore)

    def config_for(path: Path) -> Config:
        return for_directory(real_path(path.parent))

    return config_for


def _rules(options: argparse.Namespace) -> int:
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
    rule = load_catalog().get(options.rule)
    if rule is None:
        print(f"mllens: error: unknown rule {options.rule!r} (see `mllens rules`)", file=sys.stderr)
        return EXIT_ERROR
    print(rule_markdown(rule))
    return EXIT_CLEAN


__all__ = ["main"]
