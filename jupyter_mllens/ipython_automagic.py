"""Which words IPython runs as commands without `%` or `!` (automagic and shell aliases).

In a cell holding a single line, IPython runs `cd ../`, `pip install x` or `rm -rf tmp` as
if written `%cd ../` or `!rm -rf tmp`: the first word is a line magic or one of the
kernel's default shell aliases. Real Python wins whenever the line is Python: an
assignment (`cat = 3`) is never a command, and the translator only uses these names for
lines that would not parse as Python anyway (`ls(x)` stays a call).

The names are IPython's and ipykernel's defaults plus the line magics of extensions
notebooks load all the time; `tests/test_ipython_differential.py` checks them against
the installed IPython.
"""

from __future__ import annotations

import re

#: Shell commands IPython defines as aliases on POSIX (`ls` runs `ls -F --color`).
SHELL_ALIASES = frozenset(
    {"cat", "cp", "ldir", "lf", "lk", "ll", "ls", "lx", "mkdir", "mv", "rm", "rmdir"}
)

#: Line magics of IPython, of ipykernel, and of extensions loaded in most notebooks.
LINE_MAGICS = frozenset(
    [
        "alias",
        "alias_magic",
        "autoawait",
        "autocall",
        "automagic",
        "bookmark",
        "cd",
        "code_wrap",
        "colors",
        "conda",
        "config",
        "debug",
        "dhist",
        "dirs",
        "doctest_mode",
        "ed",
        "edit",
        "env",
        "gui",
        "hist",
        "history",
        "killbgscripts",
        "load",
        "load_ext",
        "loadpy",
        "logoff",
        "logon",
        "logstart",
        "logstate",
        "logstop",
        "lsmagic",
        "macro",
        "magic",
        "mamba",
        "matplotlib",
        "micromamba",
        "notebook",
        "page",
        "pastebin",
        "pdb",
        "pdef",
        "pdoc",
        "pfile",
        "pinfo",
        "pinfo2",
        "pip",
        "popd",
        "pprint",
        "precision",
        "prun",
        "psearch",
        "psource",
        "pushd",
        "pwd",
        "pycat",
        "pylab",
        "quickref",
        "recall",
        "rehashx",
        "reload_ext",
        "rep",
        "rerun",
        "reset",
        "reset_selective",
        "run",
        "save",
        "sc",
        "set_env",
        "sx",
        "system",
        "tb",
        "time",
        "timeit",
        "unalias",
        "unload_ext",
        "uv",
        "who",
        "who_ls",
        "whos",
        "xdel",
        "xmode",
        "autosave",
        "clear",
        "connect_info",
        "less",
        "man",
        "more",
        "qtconsole",
        "aimport",
        "autoreload",
        "tensorboard",
    ]
)

_COMMAND_WORDS = SHELL_ALIASES | LINE_MAGICS

#: A line that starts like a command: a word, then an argument, not an assignment
#: (`cat = 3`, `ls, x = ...`), a call or an attribute (`ls(x)`, `time.sleep(1)`).
_COMMAND_LINE = re.compile(r"[ \t]*([A-Za-z_]\w*)(?=[ \t]+[^=,\s]|[ \t]*[-~/])")
#: The same at every line start; the leading newline lets the regex engine jump between
#: lines instead of trying each position (the caller prepends one).
_ANY_COMMAND_LINE = re.compile(r"\n[ \t]*([A-Za-z_]\w*)(?=[ \t]+[^=,\s]|[ \t]*[-~/])")


def command_word(line: str) -> str | None:
    """The magic or alias a line would run as, if it starts like a command; else None."""
    match = _COMMAND_LINE.match(line)
    if match is None or match.group(1) not in _COMMAND_WORDS:
        return None
    return match.group(1)


def has_command_line(source: str) -> bool:
    """Does any line of `source` start like a command? (A cheap pre-check for whole cells.)"""
    words = _COMMAND_WORDS
    return any(m.group(1) in words for m in _ANY_COMMAND_LINE.finditer("\n" + source))


def is_python(line: str) -> bool:
    """Does this single statement parse as Python? Only asked of rare command-like lines."""
    try:
        compile(line.strip(), "<cell>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True
