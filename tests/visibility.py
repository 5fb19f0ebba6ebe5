"""Polling helpers: Temporal visibility is eventually consistent, so tests never sleep a
fixed time; they ask again until the answer holds or a generous timeout passes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from temporalio.client import Client

from app import service

T = TypeVar("T")


async def eventually(
    fetch: Callable[[], Awaitable[T]], holds: Callable[[T], bool], timeout: float = 20
) -> T:
    """The first value of `fetch()` for which `holds` is true; fails after `timeout`."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await fetch()
        if holds(value):
            return value
        assert asyncio.get_running_loop().time() < deadline, f"never held; last: {value!r}"
        await asyncio.sleep(0.2)


async def listed_ids(client: Client, chosen: service.ListFilter, expected: set[str]) -> set[str]:
    """The ids `replikasi list` returns for `chosen`, once visibility shows `expected`."""

    async def fetch() -> set[str]:
        return {row["id"] for row in await service.list_replications(client, chosen)}

    return await eventually(fetch, lambda ids: ids == expected)
