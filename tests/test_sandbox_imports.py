"""A workflow run's sandbox executes only its own module again, never the helpers it imports
(issue 7: from-imports of `workflows` submodules bypassed the passthrough, ~20 ms a run)."""

from __future__ import annotations

import asyncio
import importlib._bootstrap_external as bootstrap
from typing import Any

import pytest
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner
from temporalio.workflow import _Definition

from worker import WORKFLOWS


def _modules_executed_by_a_new_run(
    workflow_class: type, monkeypatch: pytest.MonkeyPatch
) -> set[str]:
    runner = SandboxedWorkflowRunner()
    definition = _Definition.must_from_class(workflow_class)
    executed: set[str] = set()
    original = bootstrap._LoaderBasics.exec_module

    def counting(loader: Any, module: Any) -> None:
        executed.add(module.__name__)
        original(loader, module)

    async def two_runs() -> None:
        runner.prepare_workflow(definition)  # the first run may import what the host lacks
        monkeypatch.setattr(bootstrap._LoaderBasics, "exec_module", counting)
        runner.prepare_workflow(definition)

    asyncio.run(two_runs())
    return executed


@pytest.mark.parametrize("workflow_class", WORKFLOWS, ids=lambda c: c.__name__)
def test_a_new_run_reexecutes_only_its_own_module(
    workflow_class: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    executed = _modules_executed_by_a_new_run(workflow_class, monkeypatch)

    # The sandbox reloads the workflow's module (and so its package) on purpose.
    assert workflow_class.__module__ in executed
    assert executed <= {"workflows", workflow_class.__module__}
