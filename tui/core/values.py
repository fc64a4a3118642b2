"""Small immutable values, as a frozen dataclass makes them, without importing dataclasses.

``hamstring status`` runs on every shell prompt; importing :mod:`dataclasses`
(and with it inspect, ast, dis and tokenize) takes longer than all the rest of
that command. The values on its path (the digest, streaks, settings) derive
from :class:`Value` instead: the fields are the class's ``__slots__``, set
once by its ``__init__``; the value is equal, hashed and shown by them, and
refuses to be changed. Domain records (:mod:`tui.core.records`) stay dataclasses.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: see above (mypy reads the name as typing.TYPE_CHECKING)
if TYPE_CHECKING:
    from typing import Any, Self


class Value:
    """Fields in ``__slots__`` (a direct subclass's own, in any order), set by ``__init__``
    through :meth:`_fill`, which takes each of them by name."""

    __slots__: tuple[str, ...] = ()

    def _fill(self, **fields: Any) -> None:
        if len(fields) != len(self.__slots__):  # a name not in them fails below
            raise TypeError(f"{type(self).__name__} takes the fields {self.__slots__}, not {tuple(fields)}")
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes`` (as ``dataclasses.replace``)."""
        fields = {name: getattr(self, name) for name in self.__slots__}
        unknown = set(changes) - set(fields)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        fields.update(changes)
        return type(self)(**fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Value)
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: {type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: {type(self).__name__} is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self._fields()))


def _rebuild(kind: type[Value], fields: tuple[Any, ...]) -> Value:
    """``pickle`` and ``copy``: the value again from its fields."""
    value = kind.__new__(kind)
    value._fill(**dict(zip(kind.__slots__, fields, strict=True)))
    return value
