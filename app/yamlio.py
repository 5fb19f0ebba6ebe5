"""YAML loading for coordinators' files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps clock times as text.

    YAML 1.1 reads `09:00` as the base-60 integer 540; coordinators write times that way.
    """


_Loader.yaml_implicit_resolvers = {
    key: list(value) for key, value in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _digit in "0123456789":
    _Loader.yaml_implicit_resolvers.setdefault(_digit, []).insert(
        0, ("tag:yaml.org,2002:str", re.compile(r"^\d{1,2}:\d{2}$"))
    )


class YamlError(ValueError):
    pass


def load_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_Loader)
    except FileNotFoundError as exc:
        raise YamlError(f"berkas tidak ditemukan: {path}") from exc
    except yaml.YAMLError as exc:
        raise YamlError(f"berkas {path} bukan YAML yang sah: {exc}") from exc


def load_yaml_text(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise YamlError(f"data bukan YAML yang sah: {exc}") from exc
