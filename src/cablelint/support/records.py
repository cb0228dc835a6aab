"""Record classes that are quick to define and to make.

``@record`` gives a class what ``@dataclass(frozen=True, slots=True)`` gives it: an
``__init__`` over the annotated fields (with their defaults, the options of :func:`field`, as
``dataclasses.field``'s, and a ``__post_init__``), ``__repr__``, ``__eq__``, ``__hash__``,
``__match_args__``, ``__slots__``, pickling, and no assignment after ``__init__``
(:class:`FrozenInstanceError`); ``order=True`` adds the comparisons, and ``frozen=False``
allows assignment (and, as a dataclass, makes instances unhashable). :func:`replace` and
:func:`asdict` stand in for their ``dataclasses`` namesakes.

Why not ``@dataclass``: on Python 3.11 it compiles six functions per class, about 1.5 ms a
class; with 60 classes that was a quarter of a one-file pre-commit run, and importing
``dataclasses`` (with ``inspect``) costs 15 ms more. A record compiles one function, its
``__init__``; the other methods are shared and read the fields from the class. A frozen
record's ``__init__`` turns the instance, for the time it takes to store the fields, into one of
its class's *twin*: a subclass without slots of its own whose ``__setattr__`` is
``object.__setattr__``, so that each field is stored by a plain assignment (a slot store, at
bytecode speed) rather than by a call to its slot descriptor's ``__set__``; then it turns it
back. For a record of eleven fields that halves the cost of making one (and storing through
the descriptors was already twice as quick as a frozen dataclass's ``object.__setattr__``);
below four fields the two turns cost more than they save, and the fields are stored through
their descriptors.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, NamedTuple, TypeVar, dataclass_transform

_T = TypeVar("_T")


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: "No default" (as ``dataclasses.MISSING``).
MISSING: Any = _Missing()
_MISSING = MISSING


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen record (as ``dataclasses.FrozenInstanceError``)."""


class _FieldSpec(NamedTuple):
    default: Any
    default_factory: Any
    init: bool
    repr: bool
    compare: bool
    hash: bool | None


def field(
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | Any = MISSING,
    init: bool = True,
    repr: bool = True,
    compare: bool = True,
    hash: bool | None = None,
) -> Any:
    """A field's options, as ``dataclasses.field`` takes them (``hash`` None: as ``compare``)."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return _FieldSpec(default, default_factory, init, repr, compare, hash)


class RecordField(NamedTuple):
    """One field of a record: its name and its :func:`field` options."""

    name: str
    default: Any
    default_factory: Any
    init: bool
    repr: bool
    compare: bool
    hash: bool


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[_T] | None = None, /, *, order: bool = False, frozen: bool = True) -> Any:
    """Make ``cls`` a slotted record, frozen unless told otherwise (see the module docstring)."""

    def wrap(cls: type[_T]) -> type[_T]:
        return _make(cls, order, frozen)

    return wrap if cls is None else wrap(cls)


def is_record(obj_or_class: object) -> bool:
    """Whether ``obj_or_class`` is a record class or instance."""
    return hasattr(obj_or_class, "__record_fields__")


def fields(obj_or_class: object) -> tuple[RecordField, ...]:
    """The fields of a record class or instance, in ``__init__`` order."""
    return obj_or_class.__record_fields__  # type: ignore[attr-defined]


def replace(obj: _T, /, **changes: object) -> _T:
    """A copy of the record ``obj`` with ``changes`` (as ``dataclasses.replace``)."""
    for f in fields(obj):
        if not f.init and f.name in changes:
            raise ValueError(f"field {f.name} is not an __init__ argument; it cannot be replaced")
        if f.init and f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return type(obj)(**changes)


def asdict(obj: object) -> dict[str, Any]:
    """The fields of the record ``obj`` as a dict, recursing as ``dataclasses.asdict`` does."""
    return {f.name: _plain(getattr(obj, f.name)) for f in fields(obj)}


def _plain(value: object) -> object:
    if is_record(type(value)):
        return asdict(value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a NamedTuple
        return type(value)(*map(_plain, value))
    if isinstance(value, list | tuple):
        return type(value)(map(_plain, value))
    if isinstance(value, dict):
        return type(value)((_plain(k), _plain(v)) for k, v in value.items())
    return value


# ---- the shared methods -------------------------------------------------------------------------
def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._record_shown)
    return f"{type(self).__qualname__}({shown})"


def _hash(self: Any) -> int:
    return hash(self._record_hashed(self))


def _setattr(self: Any, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self: Any) -> tuple:
    return tuple(getattr(self, f.name) for f in self.__record_fields__)


def _setstate(self: Any, state: tuple) -> None:
    if type(state) is not tuple:  # pickled by another version of the class
        raise TypeError(f"cannot restore a {type(self).__name__} from {type(state).__name__}")
    # Through the slot descriptors, as __init__ stores (a -j run unpickles every result).
    for store, value in zip(self._record_stores, state, strict=True):
        store(self, value)


def _comparison(op: Callable[[tuple, tuple], bool]) -> Callable[[Any, object], bool]:
    def compare(self: Any, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return op(self._record_compared(self), self._record_compared(other))

    return compare


_METHODS = {
    "__repr__": _repr,
    "__eq__": _comparison(tuple.__eq__),
    "__getstate__": _getstate,
    "__setstate__": _setstate,
}
_FROZEN = {"__hash__": _hash, "__setattr__": _setattr, "__delattr__": _delattr}
_MUTABLE = {"__hash__": None}
_ORDER = {
    "__lt__": _comparison(tuple.__lt__),
    "__le__": _comparison(tuple.__le__),
    "__gt__": _comparison(tuple.__gt__),
    "__ge__": _comparison(tuple.__ge__),
}


# ---- making the class ---------------------------------------------------------------------------
def _make(cls: type, order: bool, frozen: bool) -> type:
    inherited: dict[str, RecordField] = {}
    for base in reversed(cls.__mro__[1:]):
        if "__record_fields__" in base.__dict__:
            inherited.update((f.name, f) for f in base.__dict__["__record_fields__"])
        elif "__dataclass_fields__" in base.__dict__:
            raise TypeError(f"{cls.__name__}: a record cannot extend the dataclass {base.__name__}")
    own = [_field(cls, name, annotation) for name, annotation in _annotations(cls)]
    every = {**inherited, **{f.name: f for f in own}}
    namespace = {k: v for k, v in cls.__dict__.items() if k not in ("__dict__", "__weakref__")}
    for f in own:
        namespace.pop(f.name, None)  # a default lives in __init__, not on the class
    namespace["__slots__"] = tuple(f.name for f in own if f.name not in inherited)
    methods = {**_METHODS, **(_FROZEN if frozen else _MUTABLE), **(_ORDER if order else {})}
    for name, method in methods.items():
        if name not in cls.__dict__:
            namespace[name] = method
    values = tuple(every.values())
    namespace["__record_fields__"] = values
    namespace["__match_args__"] = tuple(f.name for f in values if f.init)
    namespace["_record_shown"] = tuple(f.name for f in values if f.repr)
    namespace["_record_compared"] = _getter([f.name for f in values if f.compare])
    namespace["_record_hashed"] = _getter([f.name for f in values if f.hash])
    new = type(cls)(cls.__name__, cls.__bases__, namespace)
    new.__qualname__ = cls.__qualname__
    # Each field is stored through its slot descriptor, by __init__ and by unpickling alike.
    stores = tuple(_descriptor(new, f.name).__set__ for f in values)
    new._record_stores = stores  # type: ignore[attr-defined]
    twinned = namespace.get("__setattr__") is _setattr  # frozen by this module
    new.__init__ = _init(new, values, stores, twinned)  # type: ignore[misc]
    return new


def _annotations(cls: type) -> list[tuple[str, str]]:
    """The class's own annotated names, without ``ClassVar``s."""
    found = []
    # inspect.get_annotations reads the same dict; importing inspect costs 10 ms of a start.
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():  # noqa: RUF063
        text = annotation if isinstance(annotation, str) else repr(annotation)
        if text.startswith(("ClassVar", "typing.ClassVar")):
            continue
        found.append((name, text))
    return found


def _field(cls: type, name: str, annotation: str) -> RecordField:
    value = cls.__dict__.get(name, _MISSING)
    if isinstance(value, _FieldSpec):
        spec = value
    else:
        if isinstance(value, list | dict | set):
            raise ValueError(f"mutable default {type(value)} for field {name}: use default_factory")
        spec = field(default=value)
    compare = spec.compare
    hashed = compare if spec.hash is None else spec.hash
    return RecordField(
        name, spec.default, spec.default_factory, spec.init, spec.repr, compare, hashed
    )


def _getter(names: list[str]) -> Callable[[Any], tuple]:
    """A function giving the tuple of ``names``' values (at C speed, as ``attrgetter``)."""
    if not names:
        return lambda obj: ()
    if len(names) == 1:
        name = names[0]
        return lambda obj: (getattr(obj, name),)
    return attrgetter(*names)


#: The fields from which storing them in a twin is the quicker (turning an instance into its
#: twin and back costs about what storing three fields through their descriptors costs).
_TWIN_FROM = 4


def _init(
    cls: type,
    values: tuple[RecordField, ...],
    stores: tuple[Callable[[Any, Any], None], ...],
    twinned: bool,
) -> Callable[..., None]:
    """Compile the class's ``__init__``: each field stored by its ``stores`` entry, or, if
    ``twinned`` and there are enough fields, by assignment while the instance is of the class's
    twin (see the module docstring). An instance of a subclass that is not a record itself is
    stored into by ``stores``."""
    scope: dict[str, object] = {"_MISSING": _MISSING}
    params: list[str] = []
    prepare: list[str] = []  # the defaults made for the arguments not given
    stored: list[tuple[str, str, str]] = []  # (field name, store, value)
    seen_default = False
    for f, store in zip(values, stores, strict=True):
        setter = f"_set_{f.name}"
        scope[setter] = store
        has_default = f.default is not _MISSING or f.default_factory is not _MISSING
        if f.init:
            if has_default:
                seen_default = True
                scope[f"_default_{f.name}"] = f.default
                if f.default_factory is not _MISSING:
                    scope[f"_factory_{f.name}"] = f.default_factory
                    params.append(f"{f.name}=_MISSING")
                    prepare.append(f"    if {f.name} is _MISSING: {f.name} = _factory_{f.name}()")
                else:
                    params.append(f"{f.name}=_default_{f.name}")
            elif seen_default:
                raise TypeError(f"non-default argument {f.name!r} follows default argument")
            else:
                params.append(f.name)
            stored.append((f.name, setter, f.name))
        elif f.default_factory is not _MISSING:
            scope[f"_factory_{f.name}"] = f.default_factory
            stored.append((f.name, setter, f"_factory_{f.name}()"))
        elif f.default is not _MISSING:
            scope[f"_default_{f.name}"] = f.default
            stored.append((f.name, setter, f"_default_{f.name}"))
    if not twinned or len(stored) < _TWIN_FROM:
        body = prepare + [f"    {setter}(self, {value})" for _name, setter, value in stored]
    else:
        arguments = ", ".join(value for _name, _setter, value in stored)
        scope.update(
            _record_stores=tuple(scope[setter] for _name, setter, _value in stored),
            _record_type=type,
            _record_cls=cls,
            _record_twin=_twin(cls),
            _record_become=object.__dict__["__class__"].__set__,
        )
        body = [
            *prepare,
            "    if _record_type(self) is _record_cls:",
            "        _record_become(self, _record_twin)",
            *(f"        self.{name} = {value}" for name, _setter, value in stored),
            "        self.__class__ = _record_cls",
            "    else:",  # a loop, not a store per line: compiling is a tenth of a start
            f"        for store, value in zip(_record_stores, ({arguments},)): store(self, value)",
        ]
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    source = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body or ["    pass"])
    exec(source, scope)  # the source is built above from field names only
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"  # type: ignore[attr-defined]
    return init  # type: ignore[return-value]


def _twin(cls: type) -> type:
    """The twin of the frozen record class ``cls``: its subclass, without slots of its own, that
    allows assignment."""
    twin = type(cls)(
        cls.__name__,
        (cls,),
        {
            "__slots__": (),
            "__setattr__": object.__setattr__,  # with __delattr__: one C slot of the type
            "__delattr__": object.__delattr__,
            "__module__": cls.__module__,
        },
    )
    twin.__qualname__ = f"{cls.__qualname__}.<twin>"
    return twin


def _descriptor(cls: type, name: str) -> Any:
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    raise TypeError(f"{cls.__name__}: no slot for field {name}")
