"""Share large batches of new strings between this process and one forked helper process.

Matching is pure Python, so one process uses one core. A matcher asked for `processes` of 2
or more forks a helper the first time a batch has at least `PARALLEL_MIN` strings it has not
matched yet; from then on, every such batch is split: the helper matches one part while this
process matches the rest. The helper is forked once, early, and kept: forking again for each
batch would copy the pages of a process whose caches have grown (Python's reference counts
write to every object it touches), which costs more than it saves. The helper inherits the
built matcher through fork, so nothing is rebuilt or sent to it but the strings; results come
back pickled (features and candidates are named tuples, cheap to pickle and rebuild).

A helper is only forked where that is safe: an operating system with fork and a process
running a single thread (forking a threaded process, such as a web server, can copy a lock
another thread holds). Whenever the helper is missing or fails, the batch is matched here.
The helper stops when its matcher is closed or collected, or when this process ends.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Container, Hashable, Sequence
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from risk_models.matching.collector import collector_paused

PARALLEL_MIN = 1_000  # a smaller batch is matched faster than it is sent and received

Item = TypeVar("Item")
Result = TypeVar("Result")


def can_fork() -> bool:
    """Say whether this process may fork a helper (fork exists, no other thread runs)."""
    return hasattr(os, "fork") and threading.active_count() == 1


# This process's ends of the helpers' connections. A helper forked later closes its copies,
# or an earlier helper would never see its connection close.
_OPEN: set[Connection] = set()


def may_share(items: Sequence[Hashable], known: Container[Hashable]) -> bool:
    """Say cheaply whether a batch may hold `PARALLEL_MIN` new items, from a spread sample.

    Long lists repeat their strings: most batches after the first are nearly all known, and
    listing a batch's new items costs as much as answering the known ones.
    """
    if len(items) < PARALLEL_MIN:
        return False
    step = max(1, len(items) // 200)
    new = sum(1 for item in items[::step] if item not in known)
    return new * step >= PARALLEL_MIN


class Helper(Generic[Item, Result]):
    """A forked process that matches the batches it is sent, with the matcher it inherited.

    The helper object keeps no reference to the matcher (`work` is passed to each call), so
    that the matcher can be collected, and its helper stopped, when nothing else uses it.
    """

    def __init__(self) -> None:
        self._pid = 0
        self._connection: Connection | None = None
        self._failed = False

    def map(
        self, work: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item]
    ) -> list[Result]:
        """Return work(items), a part computed by the helper (always with the same work)."""
        if len(items) < PARALLEL_MIN or not self._start(work):
            return work(items)
        # Pickling the results costs the helper more than unpickling them costs this
        # process: the helper gets a little less than half.
        share = len(items) * 19 // 40
        theirs, mine = items[:share], items[share:]
        try:
            assert self._connection is not None
            self._connection.send(theirs)
        except (OSError, ValueError):
            self._fail()
            return work(items)
        done = work(mine)
        try:
            found: list[Result] = self._connection.recv()
        except (OSError, EOFError, ValueError):
            self._fail()
            return work(theirs) + done
        return found + done

    def stop(self) -> None:
        """Stop the helper (it sees the connection close) and wait for it to end."""
        connection, pid = self._connection, self._pid
        self._connection, self._pid = None, 0
        if connection is not None:
            _OPEN.discard(connection)
            connection.close()
        if pid:
            with contextlib.suppress(ChildProcessError):  # already reaped
                os.waitpid(pid, 0)

    def _start(self, work: Callable[[Sequence[Item]], list[Result]]) -> bool:
        if self._connection is not None:
            return True
        if self._failed or not can_fork():
            return False
        ours, theirs = Pipe()
        pid = os.fork()
        if pid == 0:  # the helper: serve until this process closes the connection
            status = 1
            try:
                ours.close()
                for other in _OPEN:
                    other.close()
                _serve(theirs, work)
                status = 0
            finally:
                os._exit(status)  # no clean-up of the parent's: it is still running
        theirs.close()
        self._pid, self._connection = pid, ours
        _OPEN.add(ours)
        return True

    def _fail(self) -> None:
        self._failed = True  # one failure is enough: the rest is matched here
        self.stop()


def _serve(connection: Connection, work: Callable[[Sequence[Any]], list[Any]]) -> None:
    while True:
        try:
            items = connection.recv()
        except EOFError:
            return
        with collector_paused():
            found = work(items)
        connection.send(found)
