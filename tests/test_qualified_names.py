"""`QualifiedName`: a path of attribute, call and item steps, matched by its steps."""

from __future__ import annotations

import pickle

import libcst as cst
import pytest

from jupyter_mllens.analysis.qualified import CALL, ITEM, QualifiedName
from jupyter_mllens.knowledge import KnowledgeError, call_keywords, validate

name = QualifiedName.parse


def _of(expression: str) -> QualifiedName | None:
    return QualifiedName.of(cst.parse_expression(expression))


@pytest.mark.parametrize(
    ("expression", "parts"),
    [
        ("model", ("model",)),
        ("pd.read_csv", ("pd", "read_csv")),
        ('spark.read.format("csv").load', ("spark", "read", "format", CALL, "load")),
        ("df[cols].values", ("df", ITEM, "values")),
        ("x[0]()", ("x", ITEM, CALL)),
        ("make()()", ("make", CALL, CALL)),
    ],
)
def test_a_chain_reads_as_its_steps_and_spells_back(
    expression: str, parts: tuple[str, ...]
) -> None:
    found = _of(expression)
    assert found is not None
    assert found.parts == parts
    assert name(str(found)) == found


@pytest.mark.parametrize("expression", ["(a + b).c", "f'{x}'.upper", "lambda: 0", "1"])
def test_what_no_path_spells_has_no_name(expression: str) -> None:
    assert _of(expression) is None


def test_parse_reads_the_catalog_spelling() -> None:
    assert name("boto3.client().put_object").parts == ("boto3", "client", CALL, "put_object")
    assert name("a.b[]()").parts == ("a", "b", ITEM, CALL)
    for bad in ("", "a..b", "a.1b", "()", "a.b-c"):
        with pytest.raises(ValueError, match="name"):
            name(bad)


def test_a_member_is_under_its_path_but_a_call_result_is_not_under_the_callee() -> None:
    fit = name("sklearn.svm.SVC().fit")
    assert fit.is_any("sklearn")
    assert fit.is_any("sklearn.svm")
    assert fit.is_any("sklearn.svm.SVC()")
    assert fit.is_any(name("sklearn.svm.SVC().fit"))
    assert not fit.is_any("sklearn.svm.SVC")  # the model SVC() made, not the class
    assert not fit.is_any("sklearn.sv")  # names, not characters
    assert not fit.is_any("sklearn.svm.SVC().fit_transform")


def test_reading_a_path() -> None:
    fit = name("sklearn.svm.SVC().fit")
    assert fit.root == "sklearn"
    assert fit.last == "fit"
    assert fit.names == ("sklearn", "svm", "SVC", "fit")
    assert fit.owner == name("sklearn.svm.SVC()")
    assert fit.maker is None
    assert fit.accessed
    assert not fit.is_call
    assert not fit.is_name
    made = name("sklearn.svm.SVC()")
    assert made.is_call
    assert made.maker == name("sklearn.svm.SVC")
    assert made.last == "SVC"
    assert made.owner == name("sklearn.svm")
    assert name("model").is_name
    assert name("model").owner is None
    assert not name("sklearn.svm").accessed


def test_building_paths() -> None:
    origin = name("sklearn.svm.SVC()")
    assert name("model.fit").rebased(origin) == name("sklearn.svm.SVC().fit")
    assert name("model").member("fit").called() == name("model.fit()")


def test_a_spelling_is_not_a_value() -> None:
    """Comparing with a string would silently be False everywhere; it is a bug, so it raises."""
    with pytest.raises(TypeError):
        _ = name("open") == "open"
    with pytest.raises(TypeError):
        _ = name("open") in ("open", "io.open")
    assert name("open") in {name("open"), name("io.open")}


def test_values_are_immutable_hashable_and_picklable() -> None:
    value = name("a.b().c")
    with pytest.raises(AttributeError):
        value.parts = ("x",)  # type: ignore[misc]
    assert hash(value) == hash(name("a.b().c"))
    assert pickle.loads(pickle.dumps(value)) == value
    assert repr(value) == "QualifiedName.parse('a.b().c')"


def test_knowledge_names_are_checked_when_loaded() -> None:
    assert validate("missing-experiment-tracking", "trackers", ["acme.log_run()"]) == (
        "acme.log_run()",
    )
    with pytest.raises(KnowledgeError):
        validate("missing-experiment-tracking", "trackers", ["acme..log"])
    (parameter, anywhere) = call_keywords(("wandb.login:key@0", ":report_to"))
    assert parameter.callable == name("wandb.login")
    assert parameter.position == 0
    assert anywhere.callable is None


def test_the_head_is_the_variable_an_attribute_path_starts_at() -> None:
    assert name("model").head == "model"
    assert name("model.fc.weight()").head == "model"
    assert name("models[].fc").head is None
    assert name("make().fit").head is None


def test_begins_with_goes_through_calls_and_may_take_the_start_of_a_name() -> None:
    train = name("nova.NovaModelCustomizer().train")
    assert train.begins_with("nova.NovaModelCustomizer")  # not a member, but begins so
    assert not train.begins_with("nova.NovaModel")
    assert train.begins_with("nova.NovaModel", partial_name=True)
    assert name("sklearn.datasets.make_blobs").begins_with(
        "sklearn.datasets.make_", partial_name=True
    )
    assert name("torch.rand().to").begins_with("torch.rand", partial_name=True)
    assert not name("torch.manual_seed").begins_with("torch.rand", partial_name=True)
    assert name("acme.Faker().rows").begins_with("acme.Faker()", partial_name=True)
    assert not name("acme.Faker.rows").begins_with("acme.Faker()", partial_name=True)
