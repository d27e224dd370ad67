"""The SageMaker jobs and endpoints a notebook configures, with the settings each received.

Several rules ask the same question of a SageMaker training job, processing job or
deployment: was it given a setting (`use_spot_instances`, `max_run`, `volume_kms_key`,
`data_capture_config`, ...)? Keywords reach a constructor in more ways than written at the
call, so this module reads them once per notebook, through the bindings in force:

- keywords at the call: `PyTorch(..., max_run=3600)`;
- a keyword dict unpacked into it: `PyTorch(**job_args)` where `job_args = {...}` or
  `dict(...)` is in force, with `job_args["max_run"] = 3600` stored into it before the call;
- attributes set on the object after it was made: `estimator.max_run = 3600` while
  `estimator` is still bound to it;
- SDK v1's spelling, `train_instance_type=` for `instance_type=` (v2 renames them).

A `**value` that cannot be read (a parameter, a call's result) makes the construction
`opaque`: any setting may be in it, so rules about a missing setting stay silent (precision
first). Config objects passed as values (v3 `Compute(...)`, `Networking(...)`,
`StoppingCondition(...)`, v2 `NetworkConfig(...)`) are constructions too, reached with
`nested`.

Which classes are training jobs, processing jobs or models is library knowledge: each rule
names the classes it checks in its `[knowledge]` table (`estimators`, `processors`,
`trainers`), matched on the class's own name under the `sagemaker` package, so
`sagemaker.pytorch.PyTorch` and `sagemaker.pytorch.estimator.PyTorch` are one class.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import libcst as cst

from ..analysis import AnalyzedCell, NotebookContext, Point
from ..analysis.cell import Binding, Store
from ..analysis.context import ResolvedCall
from ..analysis.names import dotted_name, string_value
from ..analysis.qualified import QualifiedName
from .endpoints import is_endpoint, undeleted_endpoints

#: Instance types of SageMaker local mode (the SDK runs the container on this machine).
_LOCAL_PREFIX = "local"
#: The prefix of SDK v1's estimator keywords (`train_instance_type` is v2's `instance_type`).
_V1_PREFIX = "train_"
#: Cleanup calls whose presence in a comment marks the notebook's endpoints as trials.
_CLEANUP_WORDS = ("delete_endpoint", "delete_predictor")
#: SDK defaults (`sagemaker.config`): an administrator's or user's YAML can inject VPC, KMS
#: keys and tags into every job without any notebook code.
_SDK_DEFAULTS = ("SAGEMAKER_USER_CONFIG_OVERRIDE", "SAGEMAKER_ADMIN_CONFIG_OVERRIDE")


@dataclass(frozen=True)
class Setting:
    """One keyword a construction received: its value and where that value is read."""

    value: cst.BaseExpression
    at: Point


@dataclass(frozen=True)
class Construction:
    """A call to a SageMaker class (`sagemaker.pytorch.PyTorch(...)`) with its settings."""

    call: ResolvedCall
    qualified: QualifiedName
    settings: Mapping[str, Setting]
    #: A `**value` that could not be read: any keyword may be in it.
    opaque: bool

    @property
    def cls(self) -> str:
        """The class's own name (`PyTorch`)."""
        return self.qualified.last

    def setting(self, keyword: str) -> Setting | None:
        return self.settings.get(keyword)

    def given(self, keyword: str) -> bool:
        """Whether `keyword` was passed (a literal `None` is the same as not passing it)."""
        found = self.settings.get(keyword)
        return found is not None and not _is_none(found.value)


@dataclass(frozen=True)
class Deploy:
    """A persistent endpoint `deploy(...)` (real-time or asynchronous), with its settings."""

    call: ResolvedCall
    settings: Mapping[str, Setting]
    opaque: bool
    #: No cleanup in the notebook accounts for it (what `endpoint-not-deleted` reports).
    kept: bool
    #: What `deploy` was called on, when it is a SageMaker construction bound to a name
    #: (`model_builder = ModelBuilder(...); model_builder.deploy(...)`).
    model: Construction | None = None

    def given(self, keyword: str) -> bool:
        found = self.settings.get(keyword)
        return found is not None and not _is_none(found.value)


def constructions(ctx: NotebookContext) -> tuple[Construction, ...]:
    """Every call to a class under `sagemaker`, in document order (memoized per notebook)."""
    return ctx.memo("sagemaker-constructions", _constructions)


#: The `jobs` option every job-settings rule takes (`[tool.mllens.rules.<name>]`).
JOBS_OPTION: Mapping[str, str] = {
    "jobs": "names of in-house SageMaker estimator or processor classes (subclasses under "
    'a `sagemaker` import path, e.g. `"AcmeEstimator"`) whose jobs the rule checks',
}


def cloud_jobs(ctx: NotebookContext, classes: Iterable[str]) -> list[Construction]:
    """`jobs_of` without the local-mode jobs, which nothing bills and no AWS setting reaches."""
    return [job for job in jobs_of(ctx, classes) if not is_local(ctx, job)]


def jobs_of(ctx: NotebookContext, classes: Iterable[str]) -> list[Construction]:
    """The constructions of the named classes (by the class's own name)."""
    wanted = frozenset(classes)
    return [made for made in constructions(ctx) if made.cls in wanted]


def deploys(ctx: NotebookContext) -> tuple[Deploy, ...]:
    """The persistent endpoint `deploy(...)` calls, in document order (memoized)."""
    return ctx.memo("sagemaker-deploys", _deploys)


def _deploys(ctx: NotebookContext) -> tuple[Deploy, ...]:
    kept = {id(call.site) for call in undeleted_endpoints(ctx)}
    found: list[Deploy] = []
    for call in ctx.calls_named("deploy"):
        if not is_endpoint(ctx, call):
            continue
        settings, opaque = _settings(ctx, call, None)
        model = _receiver(ctx, call)
        found.append(Deploy(call, settings, opaque, id(call.site) in kept, model))
    return tuple(found)


def _receiver(ctx: NotebookContext, call: ResolvedCall) -> Construction | None:
    """The construction a method is called on, through the binding in force."""
    receiver = call.site.receiver
    if receiver is None or not receiver.is_name:
        return None
    found = ctx.binding_at(receiver.root, call.point)
    if found is None or found[1].parameter or found[1].unpacked is not None:
        return None
    return _by_node(ctx).get(id(found[1].value))


def _constructions(ctx: NotebookContext) -> tuple[Construction, ...]:
    found: list[Construction] = []
    for call in ctx.calls_to("sagemaker"):
        qualified = call.qualified
        if qualified is None or qualified.accessed or not qualified.last[:1].isupper():
            continue  # a method of an object, or a function: not a class being made
        binding = call.cell.binding_of(call.site)
        settings, opaque = _settings(ctx, call, binding)
        found.append(Construction(call, qualified, settings, opaque))
    return tuple(found)


def _settings(
    ctx: NotebookContext, call: ResolvedCall, binding: Binding | None
) -> tuple[dict[str, Setting], bool]:
    """The keywords `call` received, and whether some `**value` could not be read."""
    site, point = call.site, call.point
    settings: dict[str, Setting] = {
        keyword: Setting(arg.value, point) for keyword, arg in site.kwargs.items()
    }
    for keyword in [k for k in settings if k.startswith(_V1_PREFIX)]:
        # SDK v1 spelled estimator settings `train_instance_type`, `train_max_run`, ...;
        # v2 still accepts them under their new names.
        settings.setdefault(keyword[len(_V1_PREFIX) :], settings[keyword])
    opaque = False
    for arg in site.node.args:
        if arg.star != "**":
            continue
        unpacked = _keyword_dict(ctx, arg.value, point)
        if unpacked is None:
            opaque = True
            continue
        for keyword, setting in unpacked.items():
            settings.setdefault(keyword, setting)
    if "instance_type" not in settings:
        # `Estimator(image, role, 1, "ml.m5.xlarge")`, `deploy(1, "ml.m5.large")`: an
        # instance type passed by position is known by its value.
        for arg in site.args:
            text = ctx.string_of(arg.value, point)
            if text is not None and text.startswith(("ml.", _LOCAL_PREFIX)):
                settings["instance_type"] = Setting(arg.value, point)
                break
    if binding is not None:
        for store, store_cell in _stores_on(ctx, binding.name, binding, point, item=False):
            settings[store.key] = Setting(store.value, _point(store_cell, store))
    return settings, opaque


def _keyword_dict(
    ctx: NotebookContext, node: cst.BaseExpression, at: Point
) -> dict[str, Setting] | None:
    """The string keys of a dict unpacked as keywords, or None when they cannot be read."""
    if isinstance(node, cst.Dict):
        return _dict_items(node, at)
    if isinstance(node, cst.Call) and dotted_name(node.func) == "dict":
        if any(arg.keyword is None for arg in node.args):
            return None
        return {
            arg.keyword.value: Setting(arg.value, at)
            for arg in node.args
            if arg.keyword is not None
        }
    if not isinstance(node, cst.Name):
        return None
    found = ctx.binding_at(node.value, at)
    if found is None or found[1].parameter or found[1].unpacked is not None:
        return None
    bound_cell, binding = found
    value = binding.value
    if not isinstance(value, (cst.Dict, cst.Call)):
        return None
    items = _keyword_dict(ctx, value, Point.of(bound_cell, binding))
    if items is None:
        return None
    for store, store_cell in _stores_on(ctx, node.value, binding, at, item=True, before=True):
        items[store.key] = Setting(store.value, _point(store_cell, store))
    return items


def _dict_items(node: cst.Dict, at: Point) -> dict[str, Setting] | None:
    items: dict[str, Setting] = {}
    for element in node.elements:
        if not isinstance(element, cst.DictElement):
            return None  # `**other` inside the literal
        key = string_value(element.key)
        if key is None:
            return None
        items[key] = Setting(element.value, at)
    return items


def _stores_on(
    ctx: NotebookContext,
    name: str,
    binding: Binding,
    at: Point,
    *,
    item: bool,
    before: bool = False,
) -> Iterable[tuple[Store, AnalyzedCell]]:
    """Stores into `name` while `binding` is the binding in force: after the construction
    (attributes), or between the dict's binding and the call (`before`, keyword dicts)."""
    for store, store_cell in _stores(ctx).get(QualifiedName((name,)), ()):
        if store.item != item or not store.key:
            continue  # another kind of store, or one under a key only known at run time
        where = _point(store_cell, store)
        if before and where.key >= at.key:
            continue
        if not before and where.key <= at.key:
            continue
        found = ctx.binding_at(name, where)
        if found is not None and found[1] is binding:
            yield store, store_cell


def _point(cell: AnalyzedCell, store: Store) -> Point:
    return Point(cell.cell.ordinal, store.order, store.scope)


_Stores = Mapping[QualifiedName, tuple[tuple[Store, AnalyzedCell], ...]]
_ENVIRON = QualifiedName.parse("os.environ")


def _stores(ctx: NotebookContext) -> _Stores:
    """Every store of the notebook by the path stored into, as written (memoized)."""

    def build(context: NotebookContext) -> _Stores:
        index: dict[QualifiedName, list[tuple[Store, AnalyzedCell]]] = {}
        for analyzed in context.cells:
            for store in analyzed.analysis.facts.stores:
                index.setdefault(store.target, []).append((store, analyzed))
        return {name: tuple(stores) for name, stores in index.items()}

    return ctx.memo("stores-by-target", build)


# -- reading settings ---------------------------------------------------------------------


def nested(ctx: NotebookContext, setting: Setting | None) -> Construction | None:
    """The SageMaker construction a setting's value is (`compute=Compute(...)`, or a name
    bound to one where it is used)."""
    if setting is None:
        return None
    node = setting.value
    at = setting.at
    for _ in range(8):
        if isinstance(node, cst.Call):
            return _by_node(ctx).get(id(node))
        if not isinstance(node, cst.Name):
            return None
        found = ctx.binding_at(node.value, at)
        if found is None or found[1].parameter or found[1].unpacked is not None:
            return None
        node, at = found[1].value, Point.of(found[0], found[1])
    return None


def _by_node(ctx: NotebookContext) -> Mapping[int, Construction]:
    return ctx.memo(
        "sagemaker-constructions-by-node",
        lambda context: {id(made.call.site.node): made for made in constructions(context)},
    )


def literal(ctx: NotebookContext, setting: Setting | None) -> object:
    """A setting's literal value (`True`, `3600`, `"ml.m5.xlarge"`, `None`), following plain
    names to the literal bound where the setting is read; `...` when it is not a literal."""
    if setting is None:
        return ...
    node = setting.value
    at = setting.at
    for _ in range(8):
        if isinstance(node, cst.Name):
            if node.value in ("True", "False", "None"):
                return {"True": True, "False": False, "None": None}[node.value]
            found = ctx.binding_at(node.value, at)
            if found is None or found[1].parameter or found[1].unpacked is not None:
                return ...
            node, at = found[1].value, Point.of(found[0], found[1])
            continue
        if isinstance(node, cst.Integer):
            return int(node.value.replace("_", ""), 0)
        text = string_value(node)
        return text if text is not None else ...
    return ...


#: `lookup`'s answer when a setting may be there but cannot be read (a `**value` or a config
#: object the notebook got from elsewhere): rules about a missing setting stay silent.
UNKNOWN = Setting(cst.Ellipsis(), Point(-1, -1))


def lookup(ctx: NotebookContext, made: Construction | Deploy, path: str) -> Setting | None:
    """The setting at a keyword path (`max_run`, `compute.volume_kms_key_id`), None when it
    was not given (or given as `None`), `UNKNOWN` when it cannot be told."""
    keyword, _, rest = path.partition(".")
    found = made.settings.get(keyword)
    if found is None or _is_none(found.value):
        return UNKNOWN if made.opaque else None
    if not rest:
        return found
    inner = nested(ctx, found)
    if inner is None:
        return UNKNOWN  # a config object made elsewhere, or a dict: cannot be read
    return lookup(ctx, inner, rest)


def given_any(ctx: NotebookContext, made: Construction | Deploy, paths: Iterable[str]) -> bool:
    """Whether any of the keyword paths was given (or may have been)."""
    return any(lookup(ctx, made, path) is not None for path in paths)


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def instance_types(ctx: NotebookContext, setting: Setting | None) -> tuple[str, ...] | None:
    """The instance types a setting may hold: one literal, both branches of `a if c else b`,
    or None when unknown."""
    if setting is None:
        return None
    value = setting.value
    if isinstance(value, cst.Name):
        found = ctx.binding_at(value.value, setting.at)
        if found is not None and not found[1].parameter and found[1].unpacked is None:
            value = found[1].value
            setting = Setting(value, Point.of(found[0], found[1]))
    if isinstance(value, cst.IfExp):
        branches = [
            ctx.string_of(value.body, setting.at),
            ctx.string_of(value.orelse, setting.at),
        ]
        known = tuple(branch for branch in branches if branch is not None)
        return known or None
    text = ctx.string_of(value, setting.at)
    return (text,) if text is not None else None


def is_local(ctx: NotebookContext, made: Construction | Deploy) -> bool:
    """SageMaker local mode: an `instance_type` of `local`/`local_gpu` (either branch of a
    conditional), a `LocalSession`, v3's `Compute(instance_type="local_cpu")` or
    `training_mode=Mode.LOCAL_CONTAINER`. Nothing is billed and no AWS setting applies."""
    kinds = instance_types(ctx, made.settings.get("instance_type"))
    if kinds is not None and any(kind.startswith(_LOCAL_PREFIX) for kind in kinds):
        return True
    session = made.settings.get("sagemaker_session")
    if session is not None and (
        "Local" in (dotted_name(session.value) or "") or _made(ctx, session).startswith("Local")
    ):
        return True
    mode = made.settings.get("training_mode")
    if mode is not None and "LOCAL" in (dotted_name(mode.value) or "").upper():
        return True
    if isinstance(made, Construction):
        compute = nested(ctx, made.settings.get("compute"))
        if compute is not None and compute is not made:
            return is_local(ctx, compute)
    return False


def _made(ctx: NotebookContext, setting: Setting) -> str:
    """The name of the class that made a setting's value (`LocalSession`), or ""."""
    value = setting.value
    made = None
    if isinstance(value, cst.Call):
        made = QualifiedName.of(value.func)
    elif isinstance(value, cst.Name):
        made = ctx.made_by(value.value, setting.at)
    return "" if made is None else made.last


def cleanup_commented_out(ctx: NotebookContext) -> bool:
    """Whether a comment holds an endpoint cleanup (`# predictor.delete_endpoint()`): the
    notebook means its endpoints as trials the reader deletes when done. Keeping them is
    `endpoint-not-deleted`'s finding; what a lasting endpoint lacks is not asked of them."""
    return ctx.memo("sagemaker-cleanup-commented-out", _cleanup_commented_out)


def _cleanup_commented_out(ctx: NotebookContext) -> bool:
    for analyzed in ctx.cells:
        source = analyzed.cell.source
        if "delete_" not in source:
            continue
        for line in source.splitlines():
            text = line.lstrip()
            if text.startswith("#") and any(word in text for word in _CLEANUP_WORDS):
                return True
    return False


def uses_sdk_defaults(ctx: NotebookContext) -> bool:
    """Whether the notebook loads SageMaker SDK defaults (`sagemaker.config`): then VPC, KMS
    keys and network isolation may come from configuration the notebook does not show."""
    return ctx.memo("sagemaker-sdk-defaults", _uses_sdk_defaults)


def _uses_sdk_defaults(ctx: NotebookContext) -> bool:
    if any(True for _ in ctx.calls_named("load_sagemaker_config")):
        return True
    if any("sagemaker_config" in call.site.kwargs for call in ctx.calls_named("Session")):
        return True
    if any(store.key in _SDK_DEFAULTS for store, _ in _stores(ctx).get(_ENVIRON, ())):
        return True
    return any(
        any(marker in site.value for marker in _SDK_DEFAULTS) for _, site in ctx.strings()
    ) or any(
        marker in shell.text
        for analyzed in ctx.cells
        for shell in analyzed.analysis.shell
        for marker in _SDK_DEFAULTS
    )
