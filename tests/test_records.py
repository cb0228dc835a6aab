"""records.record behaves as dataclass(frozen=True, slots=True) where cablelint relies on it."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from cablelint.support.records import (
    FrozenInstanceError,
    asdict,
    field,
    fields,
    is_record,
    record,
    replace,
)


@record
class Base:
    """A base record."""

    span: tuple
    lines: tuple = ()

    @property
    def count(self) -> int:
        return len(self.lines)


@record
class Child(Base):
    size: int = 3
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    hidden: str = field(default="h", repr=False)


@record(order=True)
class Entry:
    path: str
    line: int


@record
class Derived:
    text: str
    length: int = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "length", len(self.text))


@dataclasses.dataclass(frozen=True, slots=True)
class TwinChild:  # Child as a dataclass, to compare with
    span: tuple
    lines: tuple = ()
    size: int = 3
    extra: dict = dataclasses.field(default_factory=dict, compare=False, hash=False)
    hidden: str = dataclasses.field(default="h", repr=False)


def test_init_takes_inherited_fields_first_with_defaults_and_factories() -> None:
    child = Child((1, 2), (3,), 4)
    assert (child.span, child.lines, child.size, child.extra, child.hidden) == (
        (1, 2), (3,), 4, {}, "h"
    )  # fmt: skip
    assert Child((0,)).extra is not Child((0,)).extra  # a fresh dict each time
    assert Child(span=(1,), hidden="x").hidden == "x"
    assert child.count == 1 and isinstance(child, Base) and child.__doc__ is None
    assert Base.__doc__ == "A base record."
    assert Child.__match_args__ == ("span", "lines", "size", "extra", "hidden")
    with pytest.raises(TypeError):
        Child()  # type: ignore[call-arg]


def test_repr_eq_and_hash_follow_the_field_options_as_dataclass_does() -> None:
    child, twin = Child((1,), (2,), 5, {"k": 1}), TwinChild((1,), (2,), 5, {"k": 1})
    assert repr(child) == repr(twin).replace("TwinChild", "Child")
    assert child == Child((1,), (2,), 5, {"other": 2})  # extra: compare=False
    assert child != Child((1,), (2,), 6)
    assert hash(child) == hash(Child((1,), (2,), 5))
    assert child != Base((1,), (2,)) and Base((1,), (2,)) != child  # another class
    assert (child == twin) is False


def test_instances_are_frozen_and_slotted() -> None:
    child = Child((1,))
    with pytest.raises(FrozenInstanceError):
        child.size = 4  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        child.other = 1  # type: ignore[attr-defined]
    with pytest.raises(FrozenInstanceError):
        del child.size
    assert not hasattr(child, "__dict__")


def test_a_record_is_of_its_own_class_once_made_and_a_plain_subclass_can_extend_it() -> None:
    child = Child((1,), (2,), 4)  # enough fields to be stored in the class's twin
    assert type(child) is Child and type(Base((1,))) is Base
    with pytest.raises(FrozenInstanceError):
        child.span = (2,)  # type: ignore[misc]

    class Plain(Child):  # not a record: its instances are stored into through the descriptors
        pass

    plain = Plain((1,), (2,), 4)
    assert type(plain) is Plain and (plain.span, plain.size, plain.extra) == ((1,), 4, {})
    assert hasattr(plain, "__dict__") and not hasattr(child, "__dict__")
    with pytest.raises(FrozenInstanceError):
        plain.size = 5  # type: ignore[misc]


def test_post_init_and_init_false_fields() -> None:
    derived = Derived("hello")
    assert derived.length == 5 and repr(derived) == "Derived(text='hello')"
    with pytest.raises(ValueError, match="length"):
        replace(derived, length=2)
    assert replace(derived, text="hi").length == 2


def test_order_compares_field_tuples_within_one_class() -> None:
    entries = [Entry("b", 1), Entry("a", 2), Entry("a", 1)]
    assert sorted(entries) == [Entry("a", 1), Entry("a", 2), Entry("b", 1)]
    assert Entry("a", 1) <= Entry("a", 1) < Entry("a", 2) and Entry("b", 0) >= Entry("a", 9)
    with pytest.raises(TypeError):
        assert Entry("a", 1) < ("a", 1)  # type: ignore[operator]


def test_pickle_copy_replace_and_asdict() -> None:
    child = Child((1,), (Entry("p", 2),), 7, {"k": [Entry("q", 3)]})
    for clone in (pickle.loads(pickle.dumps(child)), copy.copy(child), copy.deepcopy(child)):
        assert clone == child and clone.extra == child.extra and clone.hidden == "h"
    assert pickle.loads(pickle.dumps(Derived("abc"))).length == 3
    changed = replace(child, size=9)
    assert (changed.size, changed.span, changed.extra) == (9, (1,), {"k": [Entry("q", 3)]})
    assert asdict(child) == {
        "span": (1,),
        "lines": ({"path": "p", "line": 2},),
        "size": 7,
        "extra": {"k": [{"path": "q", "line": 3}]},
        "hidden": "h",
    }
    assert [f.name for f in fields(Child)] == ["span", "lines", "size", "extra", "hidden"]
    assert is_record(child) and is_record(Child) and not is_record(TwinChild((1,)))


def test_a_state_pickled_by_another_layout_is_refused() -> None:
    child = Child((1,))
    with pytest.raises(TypeError):
        child.__setstate__({"span": (1,)})
    with pytest.raises(ValueError):
        child.__setstate__(((1,),))


def test_definition_errors_are_those_of_dataclass() -> None:
    with pytest.raises(TypeError, match="non-default argument 'b'"):

        @record
        class Bad:
            a: int = 1
            b: int

    with pytest.raises(ValueError, match="mutable default"):

        @record
        class Mutable:
            items: list = []  # noqa: RUF012


@record(frozen=False)
class Tally:
    names: list = field(default_factory=list)
    count: int = 0


def test_a_mutable_record_takes_assignments_and_is_unhashable_as_a_dataclass() -> None:
    tally = Tally()
    tally.count += 2
    tally.names.append("a")
    assert tally == Tally(["a"], 2)
    assert Tally().names is not Tally().names
    with pytest.raises(TypeError):
        hash(tally)
    with pytest.raises(AttributeError):
        tally.other = 1  # slotted: no attribute beyond the fields


def test_frozen_instance_error_is_an_attribute_error_as_in_dataclasses() -> None:
    assert issubclass(FrozenInstanceError, AttributeError)
    assert issubclass(dataclasses.FrozenInstanceError, AttributeError)
    with pytest.raises(ValueError):
        field(default=1, default_factory=list)
