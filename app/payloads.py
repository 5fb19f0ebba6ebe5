"""YAML/JSON data to payload dataclasses, with errors a coordinator can act on.

Unknown fields and wrong types are refused here, before anything reaches Temporal: a typo
such as `angaran:` must not silently become a budget of zero.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")


class PayloadError(ValueError):
    """The data does not fit the payload; the message names the field."""


def from_dict(cls: type[T], data: Any, path: str = "") -> T:
    """Build dataclass `cls` from plain data (as loaded from YAML or JSON)."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PayloadError(f"{path or 'data'}: harus berupa pasangan kolom: nilai.")
    hints = get_type_hints(cls)
    fields = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - fields)
    if unknown:
        where = f" pada {path}" if path else ""
        raise PayloadError(
            f"kolom tidak dikenal{where}: {', '.join(map(str, unknown))}. "
            f"Kolom yang dikenal: {', '.join(sorted(fields))}."
        )
    values = {name: _convert(hints[name], value, _join(path, name)) for name, value in data.items()}
    return cls(**values)


def _join(path: str, name: str | int) -> str:
    return f"{path}[{name}]" if isinstance(name, int) else (f"{path}.{name}" if path else name)


def _convert(hint: Any, value: Any, path: str) -> Any:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [arg for arg in get_args(hint) if arg is not type(None)]
        return None if value is None else _convert(options[0], value, path)
    if origin is list:
        if not isinstance(value, list):
            raise PayloadError(f"{path}: harus berupa daftar (list).")
        return [_convert(get_args(hint)[0], item, _join(path, i)) for i, item in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise PayloadError(f"{path}: harus berupa pasangan kolom: nilai.")
        item = get_args(hint)[1] if get_args(hint) else Any
        return {str(k): _convert(item, v, f"{path}.{k}") for k, v in value.items()}
    if dataclasses.is_dataclass(hint):
        return from_dict(typing.cast(type, hint), value, path)
    return _scalar(hint, value, path)


def _scalar(hint: Any, value: Any, path: str) -> Any:
    if hint is str:
        # YAML reads 2020-10-13 as a date and 09:00 as a number of minutes; keep the text.
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, bool) or value is None:
            raise PayloadError(f"{path}: harus berupa teks.")
        return str(value)
    if hint is bool:
        if not isinstance(value, bool):
            raise PayloadError(f"{path}: harus true atau false.")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise PayloadError(f"{path}: harus berupa bilangan bulat, misalnya 15000000.")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise PayloadError(f"{path}: harus berupa angka.")
        return float(value)
    return value


def to_dict(obj: Any) -> Any:
    """A payload as plain data (for --json output)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    return obj
