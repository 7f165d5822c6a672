"""Work done beside the build, in a forked process (issue 18).

The reader's search index needs only the collection, which exists once the
pages are generated; Sphinx then spends most of a build reading and writing
pages in one process (writing is serial even under ``-j``).  Started then in a
process of its own, the index is ready by the time the build finishes, on the
core Sphinx leaves idle.  Without ``fork`` or with one core the work is done
where it is waited for, with the same result.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable


class BackgroundError(Exception):
    """The work failed in its process; the message is its traceback."""


def usable_cores() -> int:
    """The cores this process may run on (``taskset``, a container's CPU set), not the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and usable_cores() > 1


def in_shares(
    work: Callable[..., list], items: list, beside: bool, job: Callable[[list], object] = list, shared: object = None
) -> list:
    """``work`` over ``items``, the results in the items' order: one interleaved
    share of them per usable core, each share's ``job(share)`` in a worker
    process of its own when ``beside`` (and the process can fork), here
    otherwise.  ``job`` gives a worker only what its share needs (it is pickled
    to it); ``work`` returns one result per item of the share.  With ``shared``
    (not None), ``work(shared, job)``: what every share reads, never pickled
    (the workers are forked with it; it must not change while they run)."""
    workers = usable_cores() if beside and can_fork() else 1
    jobs = [job(share) for k in range(workers) if (share := items[k::workers])]  # interleaved: similar work in each
    if len(jobs) <= 1:
        results = [work(j) if shared is None else work(shared, j) for j in jobs]
    else:
        from concurrent.futures import ProcessPoolExecutor

        # The first share is done here while the workers do the others: one
        # process fewer to fork (a large collection's heap makes that dear).
        # (A forked pool's initializer and its arguments are inherited, not pickled.)
        initializer, initargs = (None, ()) if shared is None else (_receive_shared, (work, shared))
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(len(jobs) - 1, mp_context=context, initializer=initializer, initargs=initargs) as pool:
            others = pool.map(work if shared is None else _with_shared, jobs[1:])  # submitted now
            results = [work(jobs[0]) if shared is None else work(shared, jobs[0]), *others]
    out: list = [None] * len(items)
    for k, result in enumerate(results):
        out[k::workers] = result
    return out


_worker_task: tuple[Callable, object] | None = None  # in a worker of in_shares(shared=...): (work, shared)


def _receive_shared(work: Callable, shared: object) -> None:
    global _worker_task
    _worker_task = (work, shared)


def _with_shared(job: object) -> list:
    work, shared = _worker_task
    return work(shared, job)


class Background:
    """``work()`` run in a forked process from now (or, ``forked=False``, in
    :meth:`wait`).  Forked, it sees the memory as it is now; not, as it is when
    waited for: what ``work`` reads must not change in between, and what it makes
    must be written to files.  Either way its error is raised by :meth:`wait` as
    a :class:`BackgroundError` carrying its traceback."""

    def __init__(self, work: Callable[[], None], forked: bool | None = None):
        self._work = work
        self._process = None
        if forked if forked is not None else can_fork():
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            self._process = context.Process(target=_run, args=(work, send), daemon=True)
            self._process.start()
            send.close()  # the child's end only: its exit is then seen as the end of the pipe

    @property
    def forked(self) -> bool:
        return self._process is not None

    def wait(self) -> None:
        """Until the work is done (done here if it was not forked); its error is raised here."""
        if self._process is None:
            try:
                self._work()
            except Exception as error:
                raise BackgroundError(traceback.format_exc()) from error
            return
        try:
            problem = self._receive.recv()
        except EOFError:  # killed (out of memory, a signal) before it could say
            self._process.join()
            problem = f"the process ended without a result (exit code {self._process.exitcode})"
        finally:
            self._receive.close()
        self._process.join()
        self._process = None
        if problem:
            raise BackgroundError(problem)

    def cancel(self) -> None:
        """Stop the work if it is still running (the build failed: its result is not wanted)."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._receive.close()
            self._process = None


def _run(work: Callable[[], None], send) -> None:
    try:
        work()
    except BaseException:  # noqa: BLE001 - everything goes back to the build, which reports it
        send.send(traceback.format_exc())
    else:
        send.send(None)
    finally:
        send.close()
