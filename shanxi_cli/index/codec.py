"""Store records as compact JSON text and back, derived from the records' own type hints.

The index keeps each validated record (an Entity, a Fact, a Metric ...) as the JSON of
its fields in order, and rebuilds it on read without validating it again: validation ran
once, in full, when the index was built. The decoder of each record type is derived from
its annotations, so a field added to a record is carried with no change here; a field
of a type this module does not know makes `codec_for` raise, and no index is built
rather than one that would drop or bend a value. At build time records are decoded
again right after they are encoded and compared (see `index/build.py`, `_checked`).
"""

import json
import types
import typing
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")
Decode = Callable[[Any], Any]
_SCALARS = (str, int, float, bool, type(None))


class UnsupportedRecord(Exception):
    """A record holds a field type the codec cannot carry exactly."""


def _identity(value: Any) -> Any:
    return value


def _decoder(hint: Any) -> Decode:
    """A function from the JSON form of a value of type `hint` to the value."""
    if hint in _SCALARS:
        return _identity
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        present = [arg for arg in args if arg is not type(None)]
        if all(arg in _SCALARS for arg in present):
            return _identity
        if len(present) == 1:
            inner = _decoder(present[0])
            return lambda value: None if value is None else inner(value)
        raise UnsupportedRecord(f"a union of {hint} cannot be told apart in JSON")
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _decoder(args[0])
        if item is _identity:
            return tuple
        return lambda value: tuple(map(item, value))
    if origin is dict and args and args[0] is str:
        item = _decoder(args[1])
        return lambda value: {key: item(element) for key, element in value.items()}
    if isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields"):
        return _record_decoder(hint, hint._fields)
    raise UnsupportedRecord(f"no exact JSON form for {hint!r}")


def _record_decoder(kind: type, fields: tuple[str, ...]) -> Decode:
    hints = typing.get_type_hints(kind)
    converting = [
        (position, decode)
        for position, field in enumerate(fields)
        if (decode := _decoder(hints[field])) is not _identity
    ]
    # tuple.__new__ and a length check are what NamedTuple._make does, less a call.
    new, size = tuple.__new__, len(fields)

    def decode_record(value: Any) -> Any:
        if type(value) is not list or len(value) != size:
            raise ValueError(f"expected the {size} fields of a {kind.__name__}")
        for position, convert in converting:
            value[position] = convert(value[position])
        return new(kind, value)

    return decode_record


# NamedTuples and tuples are JSON arrays, dicts objects. ASCII only: a string may hold
# a lone surrogate (JSON's "\\ud800" escape), which has no UTF-8 form for SQLite to
# store, and escaped it comes back exactly. No NaN passes the store's validation, and
# allow_nan=False keeps it that way.
_ENCODER = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), allow_nan=False)


def _refuse(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} has no JSON form")


def _make_encode() -> Callable[[Any], str]:
    """JSONEncoder.encode, less the C encoder it builds anew on every call: an index
    build encodes hundreds of thousands of records."""
    make = getattr(json.encoder, "c_make_encoder", None)  # private to json: guarded
    if make is None:  # an interpreter without the C accelerator
        return _ENCODER.encode
    encoder = make(None, _refuse, json.encoder.encode_basestring_ascii, None, ":", ",",
                   False, False, False)  # fmt: skip
    return lambda record: "".join(encoder(record, 0))


_encode = _make_encode()


class Codec(Generic[T]):
    """Encode records of one type to JSON text and decode them back."""

    def __init__(self, decode: Decode) -> None:
        self._decode = decode

    def encode(self, record: T) -> str:
        return _encode(record)

    def decode(self, text: str) -> T:
        record: T = self._decode(json.loads(text))
        return record

    def decode_many(self, texts: list[str]) -> list[T]:
        """Decode many records with one parse: the texts as the items of one array."""
        values = json.loads("[" + ",".join(texts) + "]")
        if len(values) != len(texts):  # a damaged text held a comma of its own
            raise ValueError("a record's text is not one JSON value")
        decode = self._decode
        return [decode(value) for value in values]


def codec_for(kind: type[T]) -> Codec[T]:
    """The codec of a record type (a NamedTuple), from its annotations."""
    return Codec(_decoder(kind))
