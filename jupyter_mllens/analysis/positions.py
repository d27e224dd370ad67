"""Where a node sits in its cell: libcst's `PositionProvider` ranges, computed for less.

A finding needs the range of one node, but libcst's provider regenerates the whole module
and records a range for every node, matching each emitted token against a newline regex.
On real notebooks that was a tenth of a lint (`benchmarks/README.md`). The ranges here are
the provider's own (its codegen state, its syntactic-position rules), with two savings:

- tokens without a line break (nearly all of them) advance the column without a regex;
- the walk stops once the node asked for is complete: a node's range never depends on
  what follows it. Ranges of everything generated so far are kept, so a later question
  about an earlier node costs nothing, and one about a later node walks to the end.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider
from libcst.metadata.position_provider import PositionProvidingCodegenState


class _Done(Exception):
    """Raised out of the codegen walk once the wanted node has its range.

    While the walk unwinds, an ancestor may raise something else in its place (see
    `Positions._walk`); `_State.done` is what says the walk stopped on purpose.
    """


class _State(PositionProvidingCodegenState):
    """The provider's codegen state, cheaper per token, stopping after the wanted node.

    `finished` holds the ranges of the nodes whose generation completed. When the walk
    stops early, the ancestors of the wanted node have been recorded too (their
    syntactic-range context managers close while the walk unwinds), with ranges cut short:
    only `finished` may be trusted.
    """

    __slots__ = ("done", "finished", "target")

    def __init__(self, module: cst.Module, target: cst.CSTNode | None) -> None:
        super().__init__(
            default_indent=module.default_indent,
            default_newline=module.default_newline,
            provider=PositionProvider(),
        )
        self.target = target
        self.finished: dict[cst.CSTNode, CodeRange] = {}
        self.done = False

    def add_token(self, value: str) -> None:
        self.tokens.append(value)  # codegen reads its own output back (trailing newlines)
        if "\n" in value or "\r" in value:
            self._update_position(value)
        else:
            self.column += len(value)

    def after_codegen(self, node: cst.CSTNode) -> None:
        super().after_codegen(node)
        found = self.provider._computed[node]
        assert isinstance(found, CodeRange)
        self.finished[node] = found
        if node is self.target:
            self.done = True
            raise _Done


class Positions:
    """Ranges of a module's nodes, computed as far as the questions asked so far need."""

    __slots__ = ("_complete", "_known", "_module")

    def __init__(self, module: cst.Module) -> None:
        self._module = module
        self._known: dict[cst.CSTNode, CodeRange] = {}
        self._complete = False

    def of(self, node: cst.CSTNode) -> CodeRange:
        """The node's range: 1-based lines, 0-based columns, exactly as `PositionProvider`.

        Raises KeyError for a node that is not in the module.
        """
        found = self._known.get(node)
        if found is None and not self._complete:
            # The first question walks as far as its node; any later one to the end, so a
            # cell with many findings costs at most two walks.
            self._walk(None if self._known else node)
            found = self._known.get(node)
        if found is None:
            raise KeyError(node)
        return found

    def _walk(self, target: cst.CSTNode | None) -> None:
        """Generate the module from its start until `target` is done (or to the end)."""
        state = _State(self._module, target)
        try:
            self._module._codegen(state)
        except Exception:
            # `_Done`, or what an ancestor's range hoisting raises while the walk unwinds
            # (it looks up a child that was never reached).
            if not state.done:
                raise
            self._known = state.finished
            return
        self._known = state.finished
        self._complete = True
