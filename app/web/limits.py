"""Sign-in attempts, limited per account and per client address (issue 6).

Only failures count. Five wrong passwords for one user id lock it for the window, so a
password cannot be guessed slowly from many addresses; twenty failures from one address
lock that address, so one client cannot try many user ids. Successes do not count: a whole
office behind one NAT address signs in on a forum morning. Kept in the web process's
memory: a restart forgets them, and each web process counts on its own.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
# Bounds the memory an attacker can make us use by inventing user ids or addresses.
MAX_TRACKED = 10_000


@dataclass
class SignInLimiter:
    window: float = WINDOW_SECONDS
    max_failures: int = MAX_FAILURES_PER_ACCOUNT
    max_address_failures: int = MAX_FAILURES_PER_ADDRESS
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _address_failures: dict[str, deque[float]] = field(default_factory=dict)

    def retry_after(self, user: str, address: str) -> int:
        """Seconds until `address` may try to sign in as `user` again; 0 = now."""
        now = self.clock()
        waits = [
            self._wait(self._failures, user, self.max_failures, now),
            self._wait(self._address_failures, address, self.max_address_failures, now),
        ]
        return max(waits)

    def record(self, user: str, address: str, succeeded: bool) -> None:
        if succeeded:
            self._failures.pop(user, None)
            return
        now = self.clock()
        self._add(self._failures, user, now)
        self._add(self._address_failures, address, now)

    def _wait(self, table: dict[str, deque[float]], key: str, limit: int, now: float) -> int:
        stamps = table.get(key)
        if stamps is None:
            return 0
        while stamps and stamps[0] <= now - self.window:
            stamps.popleft()
        if not stamps:
            del table[key]
            return 0
        if len(stamps) < limit:
            return 0
        return max(1, int(stamps[0] + self.window - now + 0.999))

    def _add(self, table: dict[str, deque[float]], key: str, now: float) -> None:
        if key not in table and len(table) >= MAX_TRACKED:
            table.pop(next(iter(table)))  # the oldest key: dicts keep insertion order
        table.setdefault(key, deque()).append(now)
