"""JSON field primitives: each takes a value and its place, and returns a typed value or fails.

A failure names the exact place in the document (`facts[12].value: ...`), so a person
editing their own store can go straight to it.
"""

import datetime
import math
import re
from collections.abc import Iterator
from typing import Any

from shanxi_cli.text.escape import brief

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class _Invalid(Exception):
    pass


# --- schema checks: each takes the value and its place, and returns a typed value ---
#
# A place is a string, or a (parent, key) or (parent, index) pair turned into text only
# when a check fails: a large store has hundreds of thousands of fields, and formatting
# every path up front cost more than checking them.

_Place = Any


def _path(where: _Place) -> str:
    if isinstance(where, str):
        return where
    parent, step = where
    return f"{_path(parent)}[{step}]" if isinstance(step, int) else f"{_path(parent)}.{brief(step)}"


def _fail(where: _Place, message: str) -> _Invalid:
    return _Invalid(f"{_path(where)}: {message}")


def _object(value: Any, where: _Place, required: tuple[str, ...]) -> dict[str, Any]:
    keys = _KEY_SETS.get(required)
    if keys is None:
        keys = _KEY_SETS[required] = frozenset(required)
    if type(value) is dict and value.keys() == keys:
        return value
    if not isinstance(value, dict):
        raise _fail(where, f"expected an object, got {_type_name(value)}")
    for key in required:
        if key not in value:
            raise _fail(where, f"missing required key {key!r}")
    unknown = sorted(set(value) - set(required))
    raise _fail((where, unknown[0]), "unknown key")


def _string(value: Any, where: _Place) -> str:
    if type(value) is str and value and not value.isspace():
        return value
    if not isinstance(value, str):
        raise _fail(where, f"expected a string, got {_type_name(value)}")
    raise _fail(where, "must not be empty")


_KEY_SETS: dict[tuple[str, ...], frozenset[str]] = {}


def _optional_string(value: Any, where: _Place) -> str | None:
    return None if value is None else _string(value, where)


def _number(value: Any, where: _Place) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(where, f"expected a number, got {_type_name(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise _fail(where, "must be a finite number")
    if abs(value) > 10**18:
        raise _fail(where, "is out of range")
    return value


def _choice(value: Any, where: _Place, choices: tuple[str, ...] | frozenset[str]) -> str:
    if type(value) is str and value in choices:  # a list is no key of a set: test it first
        return value
    text = _string(value, where)
    raise _fail(where, f"{brief(text)!r} is not one of {', '.join(sorted(choices))}")


def _pattern(value: Any, where: _Place, pattern: re.Pattern[str], what: str) -> str:
    text = _string(value, where)
    if not pattern.fullmatch(text):
        raise _fail(where, f"{brief(text)!r} is not a valid {what}")
    return text


def _items(value: Any, where: _Place) -> Iterator[tuple[Any, _Place]]:
    if not isinstance(value, list):
        raise _fail(where, f"expected an array, got {_type_name(value)}")
    return zip(value, [(where, index) for index in range(len(value))], strict=True)


def _boolean(value: Any, where: _Place) -> bool:
    if type(value) is bool:
        return value
    raise _fail(where, f"expected true or false, got {_type_name(value)}")


def _optional_year(value: Any, where: _Place) -> int | None:
    if value is None or (type(value) is int and 1 <= value <= 9999):
        return value
    if type(value) is int:
        raise _fail(where, f"{value} is not a year")
    raise _fail(where, f"expected an integer year or null, got {_type_name(value)}")


def _optional_date(value: Any, where: _Place) -> str | None:
    """An ISO calendar date, YYYY-MM-DD, that exists; or null."""
    if value is None:
        return None
    text = _string(value, where)
    if _ISO_DATE.fullmatch(text):
        year, month, day = int(text[:4]), int(text[5:7]), int(text[8:])
        try:
            # datetime starts at year 1; year 0000, which ISO 8601 writes and this check
            # has always taken, has the calendar of year 400 (the Gregorian cycle).
            datetime.date(year or 400, month, day)
        except ValueError:
            pass
        else:
            return text
    raise _fail(where, f"{text[:40]!r} is not a date written YYYY-MM-DD")


def _strings(value: Any, where: _Place) -> tuple[str, ...]:
    if type(value) is list:
        for item in value:
            if type(item) is not str or not item or item.isspace():
                break
        else:
            return tuple(value)
    return tuple(_string(item, at) for item, at in _items(value, where))


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
    }.get(type(value), type(value).__name__)
