"""Data roles: which values in a notebook are training data and which are held out.

A rule that asks "was this model evaluated on data it did not see?" needs to know what a
value *is* for, not what it is called. Roles flow the way notebooks split data:

- **split functions** by the place of the name in the unpacking target:
  `X_tr, X_te, y_tr, y_te = train_test_split(X, y)` (odd places are held out),
  `train_ds, val_ds = random_split(ds, [0.8, 0.2])` (all but the first),
  `(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()` (the second pair),
  `train, test = tfds.load(..., split=["train", "test"])` (the split named at that place);
- **split names**: `ds["test"]`, `split["validation"]` (the `DatasetDict` of `datasets`'
  `train_test_split` method too), `load_dataset(..., split="validation")`,
  `split="train[80%:]"`, `subset="validation"`, torchvision's `train=False`;
- **slices and samples**: `X[n:]` / `.iloc[n:]` (held out) against `X[:n]` (training), when
  the notebook binds both,
  `df.sample(frac=0.8)` (training) and `df.drop(train.index)` (held out), `X[test_idx]`;
- **wrappers keep the role of what they wrap**: `DataLoader(test_ds)`,
  `TensorDataset(X_te, y_te)`, `xgb.DMatrix(X_val)`, `from_tensor_slices((x_test, y_test))`,
  and method chains (`test_ds.map(f).batch(32)`, `test_df["label"]`, `X_test.values`);
- **files**: a reader given a path such as `data/test.csv` or `.../validation/`.

When the flow says nothing (data returned by a helper function or read off an object), a
data variable's own name is the last evidence: `X_test = load_features(...)`. Only names
bound to such values are read this way; never hand-written literals (`test_cases = [...]`),
parameters, loop variables, arbitrary identifiers or strings anywhere in the notebook.

Everything is computed on demand over the bindings in force (`NotebookContext.binding_at`)
and memoized per binding, so the cost is linear in the notebook's facts.
"""

from __future__ import annotations

import enum
import re
from functools import cached_property

import libcst as cst

from .cell import Binding
from .context import NotebookContext, Point
from .names import dotted_name, string_value
from .qualified import QualifiedName

_MAX_DEPTH = 10


class Role(enum.Enum):
    TRAIN = "train"
    HELD_OUT = "held-out"


HELD_OUT_SPLITS = frozenset(
    {"test", "testing", "validation", "valid", "val", "eval", "evaluation", "holdout", "dev"}
)
TRAIN_SPLITS = frozenset({"train", "training"})
#: Functions whose unpacked results alternate training / held-out parts.
_ALTERNATING_SPLITS = frozenset({"train_test_split"})
#: Functions whose first result is the training part and every later one held out.
_FIRST_IS_TRAIN = frozenset({"random_split", "split_dataset", "temporal_train_test_split"})
_HELD_OUT_NAME = re.compile(
    r"(?:^|_)(?:test|tst|val|valid|validation|holdout|eval|dev)(?:_|$|\d)"
    r"|^(?:test|val|valid|eval)(?=[A-Z\d])|(?:test|val|valid)(?:X|Y|x|y)$|^[Xx]_?te$",
)
_TRAIN_NAME = re.compile(
    r"(?:^|_)(?:train|training|tr)(?:_|$|\d)|^train(?=[A-Z\d])|train(?:X|Y|x|y)$"
)
_SETTING_NAME = re.compile(
    r"(?:size|steps?|strategy|freq|frequency|interval|every|ratio|frac|fraction|pct|percent|"
    r"split|metrics?|loss|fn|func|count|len|num)$",
    re.IGNORECASE,
)
_HELD_OUT_PATH = re.compile(
    r"(?:^|[/_.-])(?:test|testing|valid|validation|val|holdout|eval)(?:[/_.\d-]|$)", re.IGNORECASE
)
_TRAIN_PATH = re.compile(r"(?:^|[/_.-])(?:train|training)(?:[/_.\d-]|$)", re.IGNORECASE)
_SPLIT_SLICE = re.compile(r"^(\w+)\s*\[\s*(-?\d+%?)?\s*:\s*(-?\d+%?)?\s*\]$")


def split_role(text: str) -> Role | None:
    """The role a split name gives: `"validation"`, `"test"`, `"train"`, `"train[80%:]"`."""
    value = text.strip().lower()
    if value in HELD_OUT_SPLITS:
        return Role.HELD_OUT
    if value in TRAIN_SPLITS:
        return Role.TRAIN
    sliced = _SPLIT_SLICE.match(value)
    if sliced is not None:
        base, lower, upper = sliced.groups()
        role = split_role(base)
        if role is Role.TRAIN and lower and not upper:
            return Role.HELD_OUT  # "train[90%:]": the tail of the training split held out
        return role
    return None


def name_role(name: str) -> Role | None:
    """The role a data variable's own name states (`X_test`, `val_loader`, `train_df`).

    Settings named after a split (`eval_batch_size`, `val_steps`) are not data.
    """
    if _SETTING_NAME.search(name):
        return None
    if _HELD_OUT_NAME.search(name):
        return Role.HELD_OUT
    if _TRAIN_NAME.search(name):
        return Role.TRAIN
    return None


def _side(piece: cst.Slice) -> str | None:
    """`[:n]` is a head, `[n:]` a tail; anything else is neither."""
    if piece.lower is not None and piece.upper is None:
        return "tail"
    if piece.upper is not None and piece.lower is None:
        return "head"
    return None


def _other(side: str) -> str:
    return "head" if side == "tail" else "tail"


def _one_sided_slice(value: cst.BaseExpression) -> bool:
    if not isinstance(value, cst.Subscript) or len(value.slice) != 1:
        return False
    piece = value.slice[0].slice
    return isinstance(piece, cst.Slice) and _side(piece) is not None


def _produced(value: cst.BaseExpression) -> bool:
    """A value made by a call or read off an object: a name may say what it holds.

    Literals written in the notebook (`test_cases = [...]`) are hand-made examples, whatever
    they are called.
    """
    return isinstance(value, (cst.Call, cst.Attribute))


class DataRoles:
    """The role of data expressions at a point of the notebook; one per lint, memoized."""

    def __init__(self, ctx: NotebookContext) -> None:
        self.ctx = ctx
        self._by_binding: dict[int, Role | None] = {}

    @staticmethod
    def of(ctx: NotebookContext) -> DataRoles:
        """The notebook's shared role model (rules asking the same question share answers)."""
        return ctx.memo("data-roles", DataRoles)

    def role(self, node: cst.BaseExpression | None, at: Point | None) -> Role | None:
        """What `node`, evaluated at `at`, holds: training data, held-out data or unknown."""
        if node is None:
            return None
        return self._role(node, at, 0)

    def made_role(self, binding: Binding, where: Point) -> Role | None:
        """The role a binding's value was made with, its name aside (for messages)."""
        if binding.unpacked is not None:
            return self._unpacked(binding.value, binding.unpacked, where, 0)
        return self._role(binding.value, where, 0)

    def _role(self, node: cst.BaseExpression, at: Point | None, depth: int) -> Role | None:
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, cst.Name):
            return self._name(node.value, at, depth)
        if isinstance(node, cst.Subscript):
            return self._subscript(node, at, depth)
        if isinstance(node, cst.Attribute):
            attr = node.attr.value
            return (
                split_role(attr)
                if attr.lower() in HELD_OUT_SPLITS | TRAIN_SPLITS
                else (self._role(node.value, at, depth + 1))
            )
        if isinstance(node, cst.Call):
            return self._call(node, at, depth)
        if isinstance(node, (cst.Tuple, cst.List)):
            # np.vstack((X_train, X_test)) holds held-out rows: it is not training data only
            found = [self._role(element.value, at, depth + 1) for element in node.elements]
            if Role.HELD_OUT in found:
                return Role.HELD_OUT
            return Role.TRAIN if Role.TRAIN in found else None
        if isinstance(node, cst.BinaryOperation):  # X_test / 255.0
            return self._role(node.left, at, depth + 1) or self._role(node.right, at, depth + 1)
        if isinstance(node, cst.IfExp):
            return self._role(node.body, at, depth + 1) or self._role(node.orelse, at, depth + 1)
        return None

    def _name(self, name: str, at: Point | None, depth: int) -> Role | None:
        found = self.ctx.binding_at(name, at)
        if found is None or found[1].parameter:
            return None  # a parameter or a loop variable: its role is where it comes from
        analyzed, binding = found
        key = id(binding)
        if key in self._by_binding:
            return self._by_binding[key]
        self._by_binding[key] = None  # a cycle is unknown
        where = Point.of(analyzed, binding)
        if binding.unpacked is not None:
            role = self._unpacked(binding.value, binding.unpacked, where, depth) or name_role(name)
            if role is None:  # images, labels = next(iter(test_loader)): a batch of it
                role = self._role(binding.value, where, depth + 1)
        elif _one_sided_slice(binding.value) and name_role(name) is not None:
            role = name_role(name)  # valid_idx = indices[:split]: which side is held out varies
        else:
            role = self._role(binding.value, where, depth + 1)
            if role is None and _produced(binding.value):
                role = name_role(name)  # X_test = load_features(...): the name is the evidence
        self._by_binding[key] = role
        return role

    def _unpacked(
        self, value: cst.BaseExpression, path: tuple[int, ...], at: Point, depth: int
    ) -> Role | None:
        """The role of one place of an unpacked split (`X_te` in `X_tr, X_te, ... = tts(...)`)."""
        if not isinstance(value, cst.Call):
            return None
        qualified = self.ctx.resolve(QualifiedName.of(value.func), at)
        last = "" if qualified is None else qualified.last
        if last in _ALTERNATING_SPLITS and len(path) == 1:
            return Role.HELD_OUT if path[0] % 2 else Role.TRAIN
        if last in _FIRST_IS_TRAIN and len(path) == 1:
            return Role.HELD_OUT if path[0] else Role.TRAIN
        if (
            last == "load_data"
            and qualified is not None
            and "datasets" in qualified.names
            and len(path) == 2
        ):
            return Role.HELD_OUT if path[0] else Role.TRAIN  # keras.datasets.*.load_data()
        keywords = {arg.keyword.value: arg.value for arg in value.args if arg.keyword is not None}
        splits = keywords.get("split")
        if isinstance(splits, (cst.List, cst.Tuple)):
            with_info = isinstance(keywords.get("with_info"), cst.Name)
            if with_info:  # (train, test), info = tfds.load(..., split=[...], with_info=True)
                place = path[1] if len(path) == 2 and path[0] == 0 else None
            else:
                place = path[0] if len(path) == 1 else None
            if place is None or place >= len(splits.elements):
                return None
            text = string_value(splits.elements[place].value)
            return split_role(text) if text is not None else None
        return None

    def _subscript(self, node: cst.Subscript, at: Point | None, depth: int) -> Role | None:
        base = node.value
        if isinstance(base, cst.Attribute) and base.attr.value in ("iloc", "loc"):
            base = base.value
        base_role = self._role(base, at, depth + 1)
        if not node.slice:
            return base_role
        first = node.slice[0].slice
        if isinstance(first, cst.Index):
            key = first.value
            text = string_value(key)
            if text is not None:
                return split_role(text) or base_role
            if isinstance(key, cst.Name):
                return name_role(key.value) or base_role  # X[test_idx]
            if isinstance(key, cst.Attribute):
                return name_role(key.attr.value) or base_role  # pred[data.test_mask]
            if isinstance(key, (cst.Integer, cst.UnaryOperation)):
                return None  # test_ds[0]: one example, not a held-out set
            return base_role
        if isinstance(first, cst.Slice):
            if base_role is not None:
                return base_role
            side = _side(first)
            if side is not None and (dotted_name(base), _other(side)) in self._slices:
                return Role.HELD_OUT if side == "tail" else Role.TRAIN
        return base_role

    @cached_property
    def _slices(self) -> frozenset[tuple[str | None, str]]:
        """(base, side) of every one-sided slice the notebook binds: `X[:800]` is X's head.

        A slice is a split only when its complement is bound too (`X[:n]` and `X[n:]`);
        `words[1:]` alone drops a header, it does not hold data out.
        """
        found = set()
        for analyzed in self.ctx.cells:
            for binding in analyzed.analysis.facts.bindings:
                value = binding.value
                if not isinstance(value, cst.Subscript) or not value.slice:
                    continue
                first = value.slice[0].slice
                side = _side(first) if isinstance(first, cst.Slice) else None
                if side is None:
                    continue
                base = value.value
                if isinstance(base, cst.Attribute) and base.attr.value in ("iloc", "loc"):
                    base = base.value
                found.add((dotted_name(base), side))
        return frozenset(found)

    def _call(self, node: cst.Call, at: Point | None, depth: int) -> Role | None:
        for arg in node.args:
            if arg.keyword is None:
                continue
            keyword = arg.keyword.value
            if keyword in ("split", "subset"):
                named = self.ctx.string_of(arg.value, at)
                if named is not None and split_role(named) is not None:
                    return split_role(named)
            elif keyword == "sampler":  # DataLoader(train_data, sampler=valid_sampler)
                sampled = self._role(arg.value, at, depth + 1)
                if sampled is not None:
                    return sampled
            elif keyword == "train" and isinstance(arg.value, cst.Name):
                flag = arg.value.value
                if flag in ("True", "False"):
                    return Role.TRAIN if flag == "True" else Role.HELD_OUT
        func = node.func
        positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
        if isinstance(func, cst.Attribute) and not self._is_module(func.value, at):
            method = func.attr.value
            receiver = self._role(func.value, at, depth + 1)
            if method == "sample" and any(
                arg.keyword is not None and arg.keyword.value in ("frac", "n") for arg in node.args
            ):
                return receiver or Role.TRAIN
            if method == "drop" and positional:
                dropped = positional[0].value
                if (
                    isinstance(dropped, cst.Attribute)
                    and dropped.attr.value == "index"
                    and self._role(dropped.value, at, depth + 1) is Role.TRAIN
                ):
                    return Role.HELD_OUT
            return receiver
        if positional:
            first = positional[0].value
            text = self.ctx.text_of(first, at)
            if text is not None and text.literal_chars:
                if _HELD_OUT_PATH.search(text.value):
                    return Role.HELD_OUT
                if _TRAIN_PATH.search(text.value):
                    return Role.TRAIN
                return None
            return self._role(first, at, depth + 1)
        return None

    def _is_module(self, node: cst.BaseExpression, at: Point | None) -> bool:
        """True for `torch.utils.data` in `torch.utils.data.DataLoader(...)`: not data."""
        dotted = QualifiedName.of(node)
        if dotted is None or dotted.accessed:
            return False
        head = dotted.root
        if head in self.ctx.imports:
            return True
        return self.ctx.binding_at(head, at) is None and head in ("np", "pd", "tf", "torch")
