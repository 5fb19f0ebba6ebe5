"""Agencies kept as YAML files and named from a replication's YAML.

A replication file may give an agency inline (a mapping of `Instansi` fields) or by name:

    replikator: palopo-dinkes     # the mapping in $REPLIKASI_INSTANSI_DIR/palopo-dinkes.yaml

so the kop, address, numbering pattern, logo, head and sign-off chains (`rantai`, per
document kind) of an agency are written once and shared by every replication it takes
part in. The folder is REPLIKASI_INSTANSI_DIR, by
default examples/instansi/ of this project. A logo named anywhere must exist under
templates/logos/: a typo is reported when the replication is started, not weeks later
when its first letter is rendered.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, get_type_hints

from app.payloads import PayloadError
from app.yamlio import YamlError, load_yaml
from workflows.models import Instansi, ReplicationInput

ENV_DIR = "REPLIKASI_INSTANSI_DIR"
DEFAULT_DIR = Path(__file__).resolve().parents[1] / "examples" / "instansi"

# The ReplicationInput fields that hold an Instansi: inovator, replikator, koordinator.
INSTANSI_FIELDS = tuple(
    name for name, hint in get_type_hints(ReplicationInput).items() if hint is Instansi
)
# A file name without folders: "palopo-dinkes", never "../secret".
_NAMA = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class InstansiError(PayloadError):
    """An agency named in a replication cannot be found or read."""


def instansi_dir() -> Path:
    return Path(os.environ.get(ENV_DIR) or DEFAULT_DIR)


def known(directory: Path | None = None) -> list[str]:
    """Names that may be used: the .yaml files of the folder, without their extension."""
    folder = directory or instansi_dir()
    return sorted(path.stem for path in folder.glob("*.yaml"))


def load_instansi(name: str, directory: Path | None = None) -> dict[str, Any]:
    """The Instansi mapping in `<folder>/<name>.yaml`."""
    folder = directory or instansi_dir()
    path = folder / f"{name}.yaml"
    if not _NAMA.match(name) or not path.is_file():
        daftar = ", ".join(known(folder)) or "(belum ada)"
        raise InstansiError(
            f"instansi '{name}' tidak dikenal: tidak ada berkas {name}.yaml di {folder}. "
            f"Instansi yang dikenal: {daftar}."
        )
    try:
        data = load_yaml(path)
    except YamlError as exc:
        raise InstansiError(str(exc)) from exc
    if not isinstance(data, dict):
        raise InstansiError(f"berkas {path} harus berisi pasangan kolom: nilai sebuah instansi.")
    return data


def resolve(data: Any, directory: Path | None = None) -> Any:
    """`data` (a replication as plain YAML data) with each agency given by name replaced by
    the mapping of its file; inline mappings are kept. Logos named are checked to exist."""
    if not isinstance(data, dict):
        return data
    resolved = dict(data)
    for name in INSTANSI_FIELDS:
        if isinstance(resolved.get(name), str):
            resolved[name] = load_instansi(resolved[name], directory)
        if isinstance(resolved.get(name), dict):
            _check_logo(resolved[name], name)
    return resolved


def _check_logo(instansi: dict[str, Any], field: str) -> None:
    logo = instansi.get("logo")
    if not isinstance(logo, str) or not logo:
        return  # no logo, or a wrong type that from_dict reports with its path
    from activities.contexts import InvalidDocumentData
    from activities.contexts.common import logo_kop

    try:
        logo_kop(logo)
    except InvalidDocumentData as exc:
        raise InstansiError(f"{field}.logo: {exc}") from exc
