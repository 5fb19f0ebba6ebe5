"""`replikasi setup`, as an operator runs it once per deployment: against the real dev
server (a namespace of its own) and the real SeaweedFS (a bucket of its own)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid

from google.protobuf.duration_pb2 import Duration
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.api.workflowservice.v1 import RegisterNamespaceRequest
from temporalio.client import Client

from activities.archive import make_s3_client
from tests.fixtures.servers import S3Stack, unique_bucket
from tests.test_cli import CLI
from tests.test_replication_workflow import assert_eventually


async def new_namespace(client: Client) -> str:
    name = f"uji-{uuid.uuid4().hex[:12]}"
    await client.workflow_service.register_namespace(
        RegisterNamespaceRequest(
            namespace=name, workflow_execution_retention_period=Duration(seconds=86400)
        )
    )

    async def known() -> bool:
        try:
            await client.operator_service.list_search_attributes(
                ListSearchAttributesRequest(namespace=name)
            )
        except Exception:  # the server's namespace cache has not seen it yet
            return False
        return True

    await assert_eventually(known)
    return name


async def test_setup_registers_the_search_attribute_and_creates_the_bucket(
    client: Client, s3_stack: S3Stack
) -> None:
    """First run registers ReplicationStage and makes the bucket; the second finds both."""
    namespace, bucket = await new_namespace(client), unique_bucket("setup")
    env = {
        **os.environ,
        "TEMPORAL_ADDRESS": client.service_client.config.target_host,
        "TEMPORAL_NAMESPACE": namespace,
        "AWS_ENDPOINT_URL_S3": s3_stack.settings.s3_endpoint,
        "AWS_ACCESS_KEY_ID": s3_stack.settings.s3_access_key,
        "AWS_SECRET_ACCESS_KEY": s3_stack.settings.s3_secret_key,
        "REPLIKASI_BUCKET": bucket,
    }

    def setup() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*CLI, "setup"], capture_output=True, text=True, env=env, timeout=120, check=False
        )

    first = await asyncio.to_thread(setup)
    second = await asyncio.to_thread(setup)

    assert (0, 0) == (first.returncode, second.returncode), first.stderr + second.stderr
    registered = (
        "search attribute ReplicationStage, ReplicationWilayah, ReplicationInovasi, "
        f"ReplicationMenunggu, ReplicationTenggat: didaftarkan (namespace {namespace})"
    )
    assert registered in first.stdout
    assert (
        "search attribute ReplicationStage, ReplicationWilayah, ReplicationInovasi, "
        f"ReplicationMenunggu, ReplicationTenggat: sudah terdaftar (namespace {namespace})"
    ) in second.stdout
    assert f"bucket {bucket}: siap" in second.stdout
    listed = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=namespace)
    )
    assert "ReplicationStage" in listed.custom_attributes
    versioning = make_s3_client(s3_stack.settings).get_bucket_versioning(Bucket=bucket)
    assert "Enabled" == versioning.get("Status")


async def test_setup_without_temporal_is_one_line_error() -> None:
    """No Temporal at the address: exit 1 and one line that names it, no traceback."""
    env = {**os.environ, "TEMPORAL_ADDRESS": "127.0.0.1:1"}
    done = await asyncio.to_thread(
        subprocess.run, [*CLI, "setup"], capture_output=True, text=True, env=env, timeout=60
    )

    assert 1 == done.returncode
    assert "Temporal tidak dapat dihubungi di 127.0.0.1:1" in done.stderr
    assert "Traceback" not in done.stderr


async def test_setup_in_a_missing_namespace_says_how_to_create_it(client: Client) -> None:
    """A namespace nobody created: exit 1, and the command that creates it."""
    env = {
        **os.environ,
        "TEMPORAL_ADDRESS": client.service_client.config.target_host,
        "TEMPORAL_NAMESPACE": "tidak-ada-namespace-ini",
    }
    done = await asyncio.to_thread(
        subprocess.run, [*CLI, "setup"], capture_output=True, text=True, env=env, timeout=60
    )

    assert 1 == done.returncode
    assert "Namespace 'tidak-ada-namespace-ini' tidak dapat dibaca" in done.stderr
    assert "temporal operator namespace create tidak-ada-namespace-ini" in done.stderr
    assert "Traceback" not in done.stderr
