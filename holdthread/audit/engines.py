"""Where chunks are linted: in this process, in a local process pool, or on a Dask cluster.

Every engine takes chunks (a caller's tag plus request JSON texts) and yields their outcomes in
input order, with a bounded number of chunks in flight so memory stays flat. Workers build their
Linter once (a pool initializer, a Dask worker plugin), never per chunk.

Local worker processes never outlive the audit: an interrupted audit (Ctrl-C, SIGTERM) terminates
them at once instead of letting them finish their chunks, and each worker exits by itself as
soon as the audit process is gone, however it died (kill -9 included), see :func:`start_worker`.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol, TypeVar

from holdthread.audit.work import Outcome, init_worker, lint_items, linter_for
from holdthread.linter.errors import HoldthreadError

T = TypeVar("T")
Chunks = Iterator[tuple[T, Sequence[str]]]


#: Linux's prctl option that sends a signal to a process when its parent dies.
PR_SET_PDEATHSIG = 1


class Engine(Protocol):
    def run(self, chunks: Chunks[T]) -> Iterator[tuple[T, list[Outcome]]]: ...

    def close(self, *, abort: bool = False) -> None:
        """Release the workers; ``abort``: the audit was interrupted, stop them without waiting."""
        ...


def _exit_when_parent_exits() -> None:
    """Exit this worker process the moment the audit process that started it is gone.

    multiprocessing keeps a pipe open from the parent to each child (``parent_process().sentinel``);
    the kernel closes the parent's end when the parent dies, whatever killed it, and the wait
    below returns. Portable (Linux, macOS), and no polling.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, name="holdthread-parent-watch", daemon=True).start()


def _ask_kernel_for_parent_death_signal() -> None:
    """On Linux, also have the kernel kill this worker when its parent process dies.

    A belt to the watch above, which a worker stuck in C code holding the GIL could not run: with
    the forkserver start method the parent is the fork server, which exits when the audit does.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return


def start_worker(policy_data: Mapping[str, Any]) -> None:
    """Process-pool initializer: tie the worker's life to the audit's, then build its Linter."""
    _ask_kernel_for_parent_death_signal()
    _exit_when_parent_exits()
    init_worker(policy_data)


class _Done:
    """A finished 'future' for an empty chunk (every ticket was a cache hit or rejected)."""

    def result(self) -> list[Outcome]:
        return []


def _ordered(
    submit: Callable[[Sequence[str]], Any], chunks: Chunks[T], in_flight: int
) -> Iterator[tuple[T, list[Outcome]]]:
    """Submit chunks ahead, up to ``in_flight``, and yield their results in submission order."""
    pending: deque[tuple[T, Any]] = deque()
    for tag, items in chunks:
        pending.append((tag, submit(items) if items else _Done()))
        while len(pending) >= in_flight:
            head_tag, future = pending.popleft()
            yield head_tag, future.result()
    while pending:
        head_tag, future = pending.popleft()
        yield head_tag, future.result()


class SerialEngine:
    """``--jobs 1``: lint in this process (no pickling, no second copy of spaCy)."""

    def __init__(self, policy_data: Mapping[str, Any]) -> None:
        self.policy_data = policy_data
        linter_for(policy_data)

    def run(self, chunks: Chunks[T]) -> Iterator[tuple[T, list[Outcome]]]:
        for tag, items in chunks:
            yield tag, lint_items(self.policy_data, items)

    def close(self, *, abort: bool = False) -> None:
        pass


class ProcessEngine:
    """``--jobs N``: a pool of N processes, each with its own Linter built by the initializer."""

    def __init__(self, policy_data: Mapping[str, Any], jobs: int) -> None:
        self.policy_data = dict(policy_data)
        self.jobs = jobs
        # forkserver: safe with the progress bar's thread, and each worker forks from a server
        # that has already imported holdthread (spaCy's import is paid once, not per worker).
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["holdthread.audit.engines"])
        self.pool = ProcessPoolExecutor(
            jobs, mp_context=context, initializer=start_worker, initargs=(self.policy_data,)
        )

    def run(self, chunks: Chunks[T]) -> Iterator[tuple[T, list[Outcome]]]:
        def submit(items: Sequence[str]) -> Future[list[Outcome]]:
            return self.pool.submit(lint_items, self.policy_data, list(items))

        return _ordered(submit, chunks, self.jobs * 2 + 1)

    def close(self, *, abort: bool = False) -> None:
        if not abort:
            self.pool.shutdown(wait=True, cancel_futures=True)
            return
        # The pool has no public way to stop running work (Python 3.14 adds terminate_workers()),
        # so its processes are terminated directly; a chunk in progress is redone on --resume.
        workers = dict(getattr(self.pool, "_processes", None) or {})
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in workers.values():
            process.terminate()
        for process in workers.values():
            process.join(timeout=5)


class DaskEngine:
    """``--engine dask``: chunks run on a dask.distributed cluster; each worker builds its Linter once."""

    def __init__(self, policy_data: Mapping[str, Any], scheduler: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise HoldthreadError("--engine dask needs dask.distributed: pip install 'holdthread[dask]'") from None
        from holdthread.audit.dask_plugin import LinterPlugin

        self.policy_data = dict(policy_data)
        try:
            self.client = Client(scheduler, timeout="30s")  # type: ignore[no-untyped-call]
        except OSError as exc:
            raise HoldthreadError(
                f"cannot reach the Dask scheduler at {scheduler}: {exc}; "
                "check the address (tcp://host:8786) and that the scheduler is running"
            ) from None
        self.client.register_plugin(LinterPlugin(self.policy_data), name="holdthread-linter")
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def run(self, chunks: Chunks[T]) -> Iterator[tuple[T, list[Outcome]]]:
        def submit(items: Sequence[str]) -> Any:
            return self.client.submit(lint_items, self.policy_data, list(items), pure=False)

        return _ordered(submit, chunks, self.workers * 2 + 1)

    def close(self, *, abort: bool = False) -> None:
        self.client.close()  # type: ignore[no-untyped-call]


def make_engine(policy_data: Mapping[str, Any], *, engine: str, jobs: int, scheduler: str | None) -> Engine:
    if engine == "dask":
        if not scheduler:
            raise HoldthreadError("--engine dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
        return DaskEngine(policy_data, scheduler)
    if jobs <= 1:
        return SerialEngine(policy_data)
    return ProcessEngine(policy_data, jobs)
