"""Web accounts: scrypt password hashes, the accounts file, and `replikasi akun hash`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from app import service
from app.accounts import AccountsError, hash_password, load_accounts, verify_password
from app.yamlio import load_yaml
from workflows.approval import chain_for

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CLI = [sys.executable, "-c", "from app.cli import main; main()"]


def test_a_hash_verifies_its_password_only() -> None:
    stored = hash_password("sandi-rahasia")

    assert stored.startswith("scrypt$16384$8$1$")
    assert verify_password("sandi-rahasia", stored)
    assert not verify_password("sandi-rahasia ", stored)
    assert not verify_password("sandi-rahasia", "scrypt$bukan$hash")


def test_each_hash_has_its_own_salt() -> None:
    assert hash_password("sama") != hash_password("sama")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"user": "sekda.palopo", "peran": "penyetuju", "sandi": "rahasia"}, "bukan sandi asli"),
        ({"user": "sekda.palopo", "peran": "kepala", "sandi": "x"}, "'peran' harus penyetuju"),
        ({"user": "Sekda Palopo", "peran": "penyetuju", "sandi": "x"}, "'user' harus huruf"),
        ({"user": "sekda.palopo", "peran": "penyetuju", "kata": "x"}, "kolom tidak dikenal"),
    ],
)
def test_a_bad_account_is_refused_with_its_reason(
    tmp_path: Path, entry: dict[str, str], message: str
) -> None:
    path = tmp_path / "akun.yaml"
    path.write_text(f"akun:\n  - {entry}\n".replace("'", '"'))

    with pytest.raises(AccountsError, match=message):
        load_accounts(path)


def test_a_user_listed_twice_is_refused(tmp_path: Path) -> None:
    entry = {"user": "sekda.palopo", "peran": "penyetuju", "sandi": hash_password("x")}
    path = tmp_path / "akun.yaml"
    path.write_text(f"akun:\n  - {entry}\n  - {entry}\n".replace("'", '"'))

    with pytest.raises(AccountsError, match="dua kali"):
        load_accounts(path)


def test_seed_accounts_are_every_approver_of_the_palopo_scenario_and_a_coordinator() -> None:
    accounts = load_accounts(EXAMPLES / "akun.yaml")
    replications = [
        service.parse_replication(load_yaml(path))
        for path in (EXAMPLES / "palopo-2020").glob("0*.yaml")
    ]
    # Everyone a chain may ask: its members (flat list or groups) and their delegates.
    approvers = {a.user for r in replications for g in chain_for(r) for a in g.anggota}
    approvers |= {d.delegasi for r in replications for d in r.delegasi}

    assert approvers == {a.user for a in accounts.values() if a.peran == "penyetuju"}
    assert any(a.peran == "koordinator" for a in accounts.values())


def test_demo_passwords_in_examples_readme_sign_in() -> None:
    """The README's table of demo passwords stays true to examples/akun.yaml."""
    accounts = load_accounts(EXAMPLES / "akun.yaml")
    readme = (EXAMPLES / "README.md").read_text()
    listed = dict(re.findall(r"^\| `([a-z0-9.]+)` \| `([^`]+)` \|", readme, re.MULTILINE))

    assert set(accounts) == set(listed)
    for user, password in listed.items():
        assert verify_password(password, accounts[user].sandi), user


def test_cli_hashes_a_password_from_stdin() -> None:
    done = subprocess.run(
        [*CLI, "akun", "hash"], input="kata-sandi-baru\n", capture_output=True, text=True
    )
    short = subprocess.run([*CLI, "akun", "hash"], input="pendek\n", capture_output=True, text=True)

    assert 0 == done.returncode
    assert verify_password("kata-sandi-baru", done.stdout.strip())
    assert 1 == short.returncode
    assert "replikasi: kata sandi paling sedikit 8 karakter.\n" == short.stderr
