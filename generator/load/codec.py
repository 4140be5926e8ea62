"""The load cache's data format: one file's records, sources and findings as plain JSON values, and back.

Nothing here builds an object that the data names. A record's class comes from a fixed table of the
record models; every other value's type comes from the annotation of the field that holds it, read
from the models once. Decoding checks each value against that annotation and its bounds (Field and
Annotated constraints, the date validator), so a cache entry of an unexpected kind, shape, type or
range raises `Invalid` and is dropped (the file is parsed again), never trusted. A value this format
cannot carry exactly (a non-finite float, an int beyond 64 bits, a type the models do not declare)
raises `Uncacheable` on encoding: that file is then simply not cached.

A model is a list: its field values in declaration order (so `model_dump` keeps its order), then the
bitmask of the fields that were set. A record adds its class name, memoised content hash and source.
Models are rebuilt the way pydantic's own copy and unpickling do (instance dict, fields set, private
state): `model_construct` would cost eight times as much, and the values were validated when parsed.
Models with the same fields set share one frozenset of their names (a set per record was a tenth of a
loaded record's memory); records are never changed once loaded, and a change would fail loudly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import inspect
import math
import operator
import re
import types
import typing
from collections.abc import Callable
from functools import cache
from itertools import chain
from typing import Any, NamedTuple

import annotated_types as at
import orjson
from pydantic import AfterValidator, BaseModel, WrapValidator
from pydantic.fields import FieldInfo
from pydantic_core import TzInfo

from ..findings import Finding, Location
from ..model import KINDS, Record, Ref
from .source import Source, Unvalidated


class Invalid(Exception):
    """A cache value that does not have the shape its field declares."""


class Uncacheable(Exception):
    """A loaded value the cache format cannot carry exactly."""


NONE = type(None)
JSON_TYPES: frozenset[type] = frozenset({str, int, float, bool, list, dict, NONE})
_INT_LIMIT = 1 << 63  # orjson's integer range
_MEMO_LIMIT = 200_000


class Codec(NamedTuple):
    """How one annotated value goes to JSON and back.

    `types` are the JSON types its encoded form may have. A `plain` value decodes to itself once its
    type is checked, so a model checks all its plain fields in one pass and calls no decoder for them.
    """

    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]
    types: frozenset[type]
    plain: bool = False
    some: Callable[[Any], Any] | None = None  # decode of a value known not to be None (optional fields)
    immutable: bool = False  # decodes to a value that may be shared (a date, not a list or a model)


def _scalar(kind: type[Any], finite: bool = False) -> Codec:
    def encode(v: Any) -> Any:
        if type(v) is not kind:
            raise Uncacheable(f"{type(v).__name__} where {kind.__name__} is declared")
        if kind is int and not -_INT_LIMIT <= v < _INT_LIMIT:
            raise Uncacheable("int beyond 64 bits")
        if finite and not math.isfinite(v):
            raise Uncacheable("non-finite float")  # JSON has none; orjson would write null
        return v

    def decode(v: Any) -> Any:
        if type(v) is not kind or (finite and not math.isfinite(v)):
            raise Invalid
        return v
    return Codec(encode, decode, frozenset({kind}), plain=not finite, immutable=True)


_STR = _scalar(str)


def _date() -> Codec:
    def encode(v: Any) -> Any:
        if type(v) is not dt.date:
            raise Uncacheable("not a date")
        return v.isoformat()

    def decode(v: Any) -> Any:
        if type(v) is not str or len(v) != 10:
            raise Invalid
        return dt.date.fromisoformat(v)
    return Codec(encode, decode, frozenset({str}), immutable=True)


# A datetime keeps the class of its zone: YAML gives datetime.timezone, pydantic's parser TzInfo.
def _encode_datetime(v: Any) -> Any:
    if type(v) is not dt.datetime:
        raise Uncacheable("not a datetime")
    tz = v.tzinfo
    zone = 0 if tz is None else 1 if type(tz) is dt.timezone else 2 if type(tz) is TzInfo else -1
    if zone < 0 or v.fold:
        raise Uncacheable("datetime zone")
    return [v.isoformat(), zone]


def _decode_datetime(v: Any) -> Any:
    if type(v) is not list or len(v) != 2 or type(v[0]) is not str or type(v[1]) is not int or v[1] not in (0, 1, 2):
        raise Invalid
    value = dt.datetime.fromisoformat(v[0])
    offset = value.utcoffset()
    if (offset is None) != (v[1] == 0):
        raise Invalid
    if v[1] == 2 and offset is not None:  # a zone of class 2 has an offset: checked just above
        value = value.replace(tzinfo=TzInfo(int(offset.total_seconds())))
    return value


_DATETIME = Codec(_encode_datetime, _decode_datetime, frozenset({list}))


def _literal(values: tuple[Any, ...]) -> Codec:
    allowed = {(type(x), x) for x in values}
    if not all(t in (str, int, bool) for t, _ in allowed):
        raise TypeError(f"Literal{list(values)}")

    def decode(v: Any) -> Any:
        if (type(v), v) not in allowed:
            raise Invalid
        return v

    def encode(v: Any) -> Any:
        if (type(v), v) not in allowed:
            raise Uncacheable("value outside its Literal")
        return v
    return Codec(encode, decode, frozenset(t for t, _ in allowed))


def _optional(inner: Codec) -> Codec:
    enc, dec = inner.encode, inner.decode
    return Codec(lambda v: None if v is None else enc(v), lambda v: None if v is None else dec(v),
                 inner.types | {NONE}, inner.plain, dec)


def _list(inner: Codec) -> Codec:
    enc, dec, types_ = inner.encode, inner.decode, inner.types

    def encode(v: Any) -> Any:
        if type(v) is not list:
            raise Uncacheable("not a list")
        return [enc(x) for x in v]

    if inner.plain:
        def decode(v: Any) -> Any:
            if type(v) is not list or not types_.issuperset(map(type, v)):
                raise Invalid
            return list(v)
    else:
        def decode(v: Any) -> Any:
            if type(v) is not list:
                raise Invalid
            return list(map(dec, v))
    return Codec(encode, decode, frozenset({list}))


def _dict(key: Codec, inner: Codec) -> Codec:
    if key.types != {str}:
        raise TypeError("mapping keys that are not text")
    kenc, kdec, enc, dec = key.encode, key.decode, inner.encode, inner.decode

    def encode(v: Any) -> Any:
        if type(v) is not dict:
            raise Uncacheable("not a dict")
        return {kenc(k): enc(x) for k, x in v.items()}

    def decode(v: Any) -> Any:
        if type(v) is not dict:
            raise Invalid
        return {kdec(k): dec(x) for k, x in v.items()}
    return Codec(encode, decode, frozenset({dict}))


# `Any` fields hold plain YAML values; each container or date is tagged so a text stays a text.
def _encode_any(v: Any) -> Any:
    t = type(v)
    if v is None or t is str or t is bool:
        return v
    if t is int or t is float:
        return (_INT if t is int else _FLOAT).encode(v)
    if t is list:
        return {"l": [_encode_any(x) for x in v]}
    if t is dict:
        if any(type(k) is not str for k in v):
            raise Uncacheable("mapping key that is not text")
        return {"m": {k: _encode_any(x) for k, x in v.items()}}
    if t is dt.date:
        return {"d": v.isoformat()}
    if t is dt.datetime:
        return {"t": _encode_datetime(v)}
    raise Uncacheable(f"{t.__name__} in a free-form field")


def _decode_any(v: Any) -> Any:
    t = type(v)
    if v is None or t is str or t is bool or t is int:
        return v
    if t is float:
        return _FLOAT.decode(v)
    if t is not dict or len(v) != 1:
        raise Invalid
    ((tag, inner),) = v.items()
    if tag == "l" and type(inner) is list:
        return [_decode_any(x) for x in inner]
    if tag == "m" and type(inner) is dict:
        return {k: _decode_any(x) for k, x in inner.items()}
    if tag == "d":
        return _DATE.decode(inner)
    if tag == "t":
        return _decode_datetime(inner)
    raise Invalid


_INT = _scalar(int)
_FLOAT = _scalar(float, finite=True)
_DATE = _date()
_ANY = Codec(_encode_any, _decode_any, JSON_TYPES)


# --------------------------------------------------------------------------- bounds and validators

_BOUNDS: dict[type, Callable[[Any, Any], bool]] = {
    at.Ge: lambda m, v: v >= m.ge, at.Gt: lambda m, v: v > m.gt,
    at.Le: lambda m, v: v <= m.le, at.Lt: lambda m, v: v < m.lt,
    at.MinLen: lambda m, v: len(v) >= m.min_length, at.MaxLen: lambda m, v: len(v) <= m.max_length,
}


def _identity(v: Any) -> Any:
    return v


def _check_of(meta: Any) -> Callable[[Any], bool]:
    """A predicate for one piece of annotation metadata; metadata this module cannot check raises TypeError."""
    bound = _BOUNDS.get(type(meta))
    if bound is not None:
        return lambda v: bound(meta, v)
    if isinstance(meta, FieldInfo):
        checks = [_check_of(m) for m in meta.metadata]
        return lambda v: all(check(v) for check in checks)
    if type(meta).__name__ == "_PydanticGeneralMetadata":  # Field(pattern=...) and the like
        options = dict(vars(meta))
        pattern = options.pop("pattern", None)
        options.pop("allow_inf_nan", None)  # every float the cache carries is finite
        if options:
            raise TypeError(f"the load cache cannot check {meta!r}")
        regex = re.compile(pattern) if pattern is not None else None
        return lambda v: regex is None or regex.search(v) is not None
    if isinstance(meta, WrapValidator | AfterValidator):
        # pydantic types a validator's function as any of its signatures; the arity says which one it is
        func: Callable[..., Any] = meta.func
        if isinstance(meta, WrapValidator) and _arity(func) == 2:
            return lambda v: func(v, _identity) == v
        if isinstance(meta, AfterValidator) and _arity(func) == 1:
            return lambda v: func(v) == v
    raise TypeError(f"the load cache cannot check {meta!r}")


def _arity(func: Any) -> int:
    try:
        return len(inspect.signature(func).parameters)
    except (TypeError, ValueError):
        return -1


def _checked(inner: Codec, checks: list[Callable[[Any], bool]]) -> Codec:
    """`inner` whose decoded value must also pass `checks` (a field's bounds and validators)."""
    if not checks:
        return inner
    dec = inner.decode
    if inner.types == {str} and inner.immutable:
        # Texts decoding to immutable values (dates above all) repeat across records: each is checked once.
        memo: dict[str, Any] = {}

        def remembered(v: Any) -> Any:
            if type(v) is not str:
                raise Invalid
            value = memo.get(v)
            if value is None:
                value = dec(v)
                if not all(check(value) for check in checks):
                    raise Invalid
                if len(memo) < _MEMO_LIMIT:
                    memo[v] = value
            return value
        return Codec(inner.encode, remembered, inner.types)
    if len(checks) == 1:
        (check,) = checks

        def decode(v: Any) -> Any:
            value = dec(v)
            if value is not None and not check(value):
                raise Invalid
            return value
    else:
        def decode(v: Any) -> Any:
            value = dec(v)
            if value is not None and not all(check(value) for check in checks):
                raise Invalid
            return value
    return Codec(inner.encode, decode, inner.types)


# --------------------------------------------------------------------------- models

_set = object.__setattr__
_new = object.__new__


def _codec(annotation: Any) -> Codec:
    """The codec of one field annotation; an annotation the models do not use raises TypeError."""
    if annotation is str:
        return _STR
    if annotation is bool or annotation is int:
        return _scalar(annotation)
    if annotation is float:
        return _FLOAT
    if annotation is dt.date:
        return _date()
    if annotation is dt.datetime:
        return _DATETIME
    if annotation is Any:
        return _ANY
    if annotation is Ref:
        return _REF
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _model(annotation)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _checked(_codec(args[0]), [_check_of(m) for m in annotation.__metadata__])
    if origin is typing.Literal:
        return _literal(args)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not NONE]
        if len(rest) == 1 and len(args) == 2:
            return _optional(_codec(rest[0]))
    if origin is list and len(args) == 1:
        return _list(_codec(args[0]))
    if origin is dict and len(args) == 2:
        return _dict(_codec(args[0]), _codec(args[1]))
    raise TypeError(f"the load cache cannot carry {annotation!r}")


def _field_codec(info: FieldInfo) -> Codec:
    # A field's own bounds are checked again (a date or a count out of range would overflow later), but
    # not its model's @field_validator functions: those check formats at parse time (a GTIN's check
    # digit, an ID's characters), cost a third-party import on a warm run, and a value that passed its
    # type and bounds can at worst be reported wrongly, never crash or reach a path (generator.paths).
    return _checked(_codec(info.annotation), [_check_of(m) for m in info.metadata])


def _uncacheable(message: str) -> Codec:
    def encode(v: Any) -> Any:
        raise Uncacheable(message)

    def decode(v: Any) -> Any:
        raise Invalid
    return Codec(encode, decode, frozenset())


@cache
def _model(cls: type[BaseModel]) -> Codec:
    """A model as [field values..., fields-set bitmask]."""
    try:
        codecs = [_field_codec(info) for info in cls.model_fields.values()]
        # Validators that run on the whole model would have to run again; `before` ones only shape raw input.
        if any(d.info.mode != "before" for d in cls.__pydantic_decorators__.model_validators.values()):
            raise TypeError(f"{cls.__name__} has a model validator")
        privates = {name: attr.get_default() for name, attr in cls.__private_attributes__.items()}
        if set(privates) - {"_content_hash"}:  # a record's memoised hash is carried beside it
            raise TypeError(f"{cls.__name__} has private state")
    except TypeError as err:
        _UNCACHEABLE[cls.__name__] = str(err)
        return _uncacheable(str(err))
    names = tuple(cls.model_fields)
    width = len(names)
    # Text, flags and None need only their type checked (in one pass); the rest goes through its encoder.
    text = [i for i, c in enumerate(codecs) if c.plain and int not in c.types]
    text_types = tuple(codecs[i].types for i in text)
    texts = operator.itemgetter(*text) if len(text) > 1 else lambda out: tuple(out[i] for i in text)
    rest = tuple((i, c.encode) for i, c in enumerate(codecs) if i not in text)
    bits = {name: 1 << i for i, name in enumerate(names)}
    in_set = frozenset.__contains__

    def encode(v: Any) -> Any:
        if type(v) is not cls or v.__pydantic_extra__:
            raise Uncacheable(f"not exactly a {cls.__name__}")
        d = v.__dict__
        try:
            out = list(map(d.__getitem__, names))
            mask = sum(map(bits.__getitem__, v.__pydantic_fields_set__))
        except KeyError:
            raise Uncacheable("fields differ from the model's") from None
        if len(d) != width or not all(map(in_set, text_types, map(type, texts(out)))):
            raise Uncacheable("fields differ from the model's")
        for i, enc in rest:
            out[i] = enc(out[i])
        out.append(mask)
        return out

    sets: dict[int, frozenset[str]] = {}

    def fields_set(mask: int) -> frozenset[str]:
        if not 0 <= mask < (1 << width):
            raise Invalid
        given = sets[mask] = frozenset(name for i, name in enumerate(names) if mask >> i & 1)
        return given

    decode = _decoder(cls, codecs, privates or None, sets, fields_set)
    return Codec(encode, decode, frozenset({list}))


def _decoder(cls: type[BaseModel], codecs: list[Codec], privates: dict[str, Any] | None,
             sets: dict[int, frozenset[str]], fields_set: Callable[[int], frozenset[str]]) -> Callable[[Any], Any]:
    """The decoder of one model: a straight function written out from its field codecs, as dataclasses
    writes __init__, and taken ready-made from load.decoders when that file holds the same text.

    One straight function per model (unpack, inline type tests, one dict display) costs a third of a
    generic loop over fields, and a warm run rebuilds every record; load.decoders spares each run the
    compiling. Only names from the model class enter the source; the data is never part of it.
    """
    names = tuple(cls.model_fields)
    args: dict[str, Any] = {"cls": cls, "Invalid": Invalid, "new": _new, "setattr_": _set, "sets": sets,
                            "fields_set": fields_set, "privates": privates}
    values = [f"a{i}" for i in range(len(names))]
    refusals, entries = [], []  # the tests that refuse a value, one per plain field; the decoded fields
    for i, (arg, codec) in enumerate(zip(values, codecs)):
        if codec.plain:
            kinds = codec.types - {NONE}
            if len(kinds) == 1 and next(iter(kinds)) in (str, int, bool):
                test = f"type({arg}) is not {next(iter(kinds)).__name__}"
                refusals.append(f"({arg} is not None and {test})" if NONE in codec.types else test)
            else:
                args[f"T{i}"] = codec.types
                refusals.append(f"type({arg}) not in T{i}")
            entries.append(arg)
        else:
            args[f"D{i}"] = codec.some or codec.decode
            entries.append(f"(None if {arg} is None else D{i}({arg}))" if NONE in codec.types else f"D{i}({arg})")
    key = f"{cls.__module__}.{cls.__qualname__}"
    factory = "make_" + key.replace(".", "_")  # one name per model, so load/decoders.py defines each once
    source = "\n".join([
        f"def {factory}({', '.join(args)}):",
        "    def decode(v, private=None):",
        f"        if type(v) is not list or len(v) != {len(names) + 1}:",
        "            raise Invalid",
        f"        {''.join(a + ', ' for a in values)}mask = v",
        f"        if {''.join(r + ' or ' for r in refusals)}type(mask) is not int:",
        "            raise Invalid",
        "        d = {" + ", ".join(f"{name!r}: {value}" for name, value in zip(names, entries)) + "}",
        "        given = sets.get(mask)",
        "        if given is None:",
        "            given = fields_set(mask)",
        "        obj = new(cls)",
        "        setattr_(obj, '__dict__', d)",
        "        setattr_(obj, '__pydantic_fields_set__', given)",
        "        setattr_(obj, '__pydantic_extra__', None)",
        "        setattr_(obj, '__pydantic_private__', private or (None if privates is None else dict(privates)))",
        "        return obj",
        "    return decode",
    ])
    digest = hashlib.blake2b(source.encode(), digest_size=8).hexdigest()
    _SOURCES[key] = (digest, source)
    ready = _ready_decoders().get(key)
    if ready is not None and ready[0] == digest:
        make = ready[1]
    else:  # load.decoders is stale (a model changed since it was written): compile the current text
        space: dict[str, Any] = {}
        exec(compile(source, f"<load cache decoder of {cls.__name__}>", "exec"), space)  # noqa: S102 - our own source
        make = space[factory]
    return make(**args)


_SOURCES: dict[str, tuple[str, str]] = {}  # model -> (digest, source) of its decoder factory, as written now


@cache
def _ready_decoders() -> dict[str, tuple[str, Callable[..., Any]]]:
    from . import decoders

    return decoders.DECODERS


def decoders_module() -> str:
    """The text of load/decoders.py: every cached model's decoder factory as this module writes it now."""
    for cls in RECORD_CLASSES.values():
        _model(cls)
    parts = ['"""Decoders of the load cache\'s models, written by load.codec from the models: do not edit.\n\n'
             "After changing a model, rewrite this file with `python -m generator.load.codec` (a test checks that it\n"
             "is current). load.codec takes a factory from here only when its digest matches the text it writes\n"
             'now, and compiles that text otherwise: a stale file makes a warm run slower, never wrong.\n"""\n',
             "from collections.abc import Callable\nfrom typing import Any\n",
             "DECODERS: dict[str, tuple[str, Callable[..., Any]]] = {}"]
    for key in sorted(_SOURCES):
        digest, source = _SOURCES[key]
        factory = source[len("def "):source.index("(")]
        parts.append(f"\n\n{source}\n\n\nDECODERS[{key!r}] = ({digest!r}, {factory})")
    return "\n".join(parts) + "\n"


# A link is most often a bare ID that was never reviewed: carried as that text alone, and rebuilt once
# per ID (a Ref is frozen, so the records that name the same ID can share one, as they share its text).
_REF_ID_ONLY = frozenset({"id"})


def _ref() -> Codec:
    full = _model(Ref)
    id_codec = _field_codec(Ref.model_fields["id"])
    check_id = None if id_codec.plain else id_codec.decode
    shared: dict[Any, Ref] = {}

    def encode(v: Any) -> Any:
        if type(v) is Ref and v.__dict__["fingerprint"] is None and v.__pydantic_fields_set__ == _REF_ID_ONLY:
            return id_codec.encode(v.__dict__["id"])
        return full.encode(v)

    def decode(v: Any) -> Any:
        if type(v) is not str:
            if type(v) is not list or len(v) != 3:
                raise Invalid
            key = (v[0], v[1], v[2])  # id, fingerprint, fields-set mask; unhashable parts raise TypeError
            ref = shared.get(key)
            if ref is None:
                ref = full.decode(v)
                if len(shared) < _MEMO_LIMIT:
                    shared[key] = ref
            return ref
        ref = shared.get(v)
        if ref is None:
            ref = _new(Ref)
            _set(ref, "__dict__", {"id": v if check_id is None else check_id(v), "fingerprint": None})
            _set(ref, "__pydantic_fields_set__", set(_REF_ID_ONLY))
            _set(ref, "__pydantic_extra__", None)
            _set(ref, "__pydantic_private__", None)
            if len(shared) < _MEMO_LIMIT:
                shared[v] = ref
        return ref
    return Codec(encode, decode, frozenset({str, list}))


_REF = _ref()


def _record_classes() -> dict[str, type[Record]]:
    return {model.__name__: model for kind in KINDS.values() for model in kind.models}


RECORD_CLASSES = _record_classes()


_UNCACHEABLE: dict[str, str] = {}


def uncacheable_models() -> dict[str, str]:
    """Models (records or nested) this format cannot carry, with the reason (a test keeps this empty)."""
    for cls in RECORD_CLASSES.values():
        _model(cls)
    return dict(_UNCACHEABLE)


# --------------------------------------------------------------------------- findings and sources

def _dataclass_codec(cls: type, known: dict[str, Codec]) -> Codec:
    """A frozen dataclass as a list; its field annotations (text, under `from __future__ import annotations`)
    pick each field's codec from `known`."""
    fields = dataclasses.fields(cls)
    names = tuple(f.name for f in fields)
    if any(str(f.type) not in known for f in fields):  # a field added since: that class is not cached
        return _uncacheable(f"{cls.__name__} has a field the load cache does not know")
    codecs = tuple(known[str(f.type)] for f in fields)
    encoders = tuple(c.encode for c in codecs)
    decoders = tuple(c.decode for c in codecs)
    width = len(names)

    def encode(v: Any) -> Any:
        if type(v) is not cls:
            raise Uncacheable(f"not exactly a {cls.__name__}")
        return [enc(getattr(v, name)) for name, enc in zip(names, encoders)]

    def decode(v: Any) -> Any:
        if type(v) is not list or len(v) != width:
            raise Invalid
        return cls(*[dec(x) for dec, x in zip(decoders, v)])
    return Codec(encode, decode, frozenset({list}))


_PLAIN = {"str": _STR, "int": _INT, "str | None": _optional(_STR)}
_LOCATION = _dataclass_codec(Location, _PLAIN)
_FINDING = _dataclass_codec(Finding, {**_PLAIN, "Location": _LOCATION})
_PATH_PARTS = frozenset({str, int})
_INTS = frozenset({int})
_LISTS = frozenset({list})
_TUPLES = frozenset({tuple})
_PAIRS = frozenset({2})


# A source's anchors are most of the cache (a position per value) and a warm run reads few of them:
# they stay one JSON text per source, parsed and checked only when a location is asked for.
def _encode_source(source: Source) -> list[Any]:
    """[file, sheet, root line, root column, anchors as JSON text: [[path...]...], [line, column, ...]]."""
    if type(source) is not Source:
        raise Uncacheable("not a Source")
    blob = source.packed_anchors()
    if blob is None:
        anchors = source.anchors
        paths, positions = list(anchors), list(chain.from_iterable(anchors.values()))
        # Whole-list checks (map and sets in C): a source has an anchor per value.
        if not (_TUPLES.issuperset(map(type, paths)) and _PATH_PARTS.issuperset(map(type, chain.from_iterable(paths)))
                and _TUPLES.issuperset(map(type, anchors.values())) and _PAIRS.issuperset(map(len, anchors.values()))
                and _INTS.issuperset(map(type, positions))):
            raise Uncacheable("anchors of another shape")
        try:
            blob = orjson.dumps([paths, positions]).decode()  # also refuses ints beyond 64 bits
        except orjson.JSONEncodeError as err:
            raise Uncacheable(str(err)) from None
    line, column = source.root
    return [_STR.encode(source.file), _STR.encode(source.sheet), _INT.encode(line), _INT.encode(column), blob]


_packed_source = Source.packed


def unpack_anchors(blob: str) -> dict[tuple[Any, ...], tuple[int, int]]:
    """A source's anchors from their cached text; text of any other shape gives none, so every value
    is then located at its record (a damaged cache can misplace a finding's line, never crash)."""
    try:
        paths, positions = orjson.loads(blob)
        if (type(paths) is list and type(positions) is list and len(positions) == 2 * len(paths)
                and _INTS.issuperset(map(type, positions)) and _LISTS.issuperset(map(type, paths))
                and _PATH_PARTS.issuperset(map(type, chain.from_iterable(paths)))):
            return dict(zip(map(tuple, paths), zip(positions[::2], positions[1::2])))
    except (orjson.JSONDecodeError, TypeError, ValueError):
        pass
    return {}


# --------------------------------------------------------------------------- one file's load result

Result = tuple[list[tuple[Record, Source]], list[Finding], list[Unvalidated]]


def encode_result(result: Result) -> list[Any]:
    records, findings, unvalidated = result
    out_records = []
    for record, source in records:
        cls = type(record)
        if RECORD_CLASSES.get(cls.__name__) is not cls:
            raise Uncacheable(f"{cls.__name__} is not a record class")
        content = record._content_hash
        out_records.append([cls.__name__, _model(cls).encode(record),
                            None if content is None else _STR.encode(content), _encode_source(source)])
    return [out_records, [_FINDING.encode(f) for f in findings], [_encode_unvalidated(u) for u in unvalidated]]


def encode_packed(result: Result) -> bytes:
    """encode_result as JSON text (the load cache's entry for one file); the sources in `result` then keep
    their anchors packed, as a warm run's do, so the positions of a cold run's records cost no more memory."""
    data = encode_result(result)
    try:
        blob = orjson.dumps(data)
    except orjson.JSONEncodeError as err:
        raise Uncacheable(str(err)) from None
    for (_, source), item in zip(result[0], data[0]):
        source.pack(item[3][4], unpack_anchors)
    for u, item in zip(result[2], data[2]):
        u.source.pack(item[2][4], unpack_anchors)
    return blob


def decode_result(v: object) -> Result:
    """Raises Invalid (or, from a value no check foresaw, TypeError/ValueError...) on anything unexpected."""
    if type(v) is not list or len(v) != 3 or type(v[0]) is not list or type(v[1]) is not list \
            or type(v[2]) is not list:
        raise Invalid
    records = []
    for item in v[0]:
        if type(item) is not list or len(item) != 4:
            raise Invalid
        name, data, content, source = item
        cls = RECORD_CLASSES.get(name) if type(name) is str else None
        if cls is None or (content is not None and type(content) is not str):
            raise Invalid
        decode = _RECORD_DECODERS.get(name) or _RECORD_DECODERS.setdefault(name, _model(cls).decode)
        # The source, inline: one per record.
        records.append((decode(data, {"_content_hash": content}), _decode_source(source)))
    return records, [_FINDING.decode(f) for f in v[1]], [_decode_unvalidated(u) for u in v[2]]


def _decode_source(v: Any) -> Source:
    if type(v) is not list or len(v) != 5:
        raise Invalid
    file, sheet, line, column, blob = v
    if type(file) is not str or type(sheet) is not str or type(line) is not int or type(column) is not int \
            or type(blob) is not str:
        raise Invalid
    return _packed_source(file, sheet, (line, column), blob, unpack_anchors)


def _encode_unvalidated(u: Unvalidated) -> list[Any]:
    """[id, kind, source, [[path, role, ref, [target kinds...]]...]]."""
    if type(u) is not Unvalidated:
        raise Uncacheable("not an Unvalidated record")
    links = []
    for path, role, ref, targets in u.links:
        if not (type(path) is tuple and _PATH_PARTS.issuperset(map(type, path))):
            raise Uncacheable("link path of another shape")
        links.append([list(path), _STR.encode(role), _REF.encode(ref), [_STR.encode(t) for t in targets]])
    return [_STR.encode(u.id), _STR.encode(u.kind), _encode_source(u.source), links]


def _decode_unvalidated(v: Any) -> Unvalidated:
    if type(v) is not list or len(v) != 4 or type(v[0]) is not str or type(v[1]) is not str or v[1] not in KINDS \
            or type(v[3]) is not list:
        raise Invalid
    links = []
    for item in v[3]:
        if type(item) is not list or len(item) != 4:
            raise Invalid
        path, role, ref, targets = item
        if type(path) is not list or not _PATH_PARTS.issuperset(map(type, path)) or type(role) is not str \
                or type(targets) is not list or not all(type(t) is str for t in targets):
            raise Invalid
        links.append((tuple(path), role, _REF.decode(ref), tuple(targets)))
    return Unvalidated(v[0], v[1], _decode_source(v[2]), tuple(links))


_RECORD_DECODERS: dict[str, Callable[..., Any]] = {}


if __name__ == "__main__":  # python -m generator.load.codec: rewrite load/decoders.py
    from pathlib import Path

    from generator.load import codec as package_codec  # the package's module, whose models the decoders are for

    Path(package_codec.__file__).with_name("decoders.py").write_text(package_codec.decoders_module(), encoding="utf-8")
