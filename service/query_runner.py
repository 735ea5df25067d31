"""Bounded execution of public queries: a hard time limit, a memory limit, a concurrency limit.

pyoxigraph cannot cancel a running query, and a thread cannot be stopped, so the embedded
store's queries run in worker processes forked from the server. A worker inherits the
in-memory store copy-on-write, runs one query at a time and writes the serialised result back
through a pipe; at the deadline the server kills it with SIGKILL, answers 503 and forks a
fresh worker when the slot is next used. Other requests are answered meanwhile by the other
workers and by the server's own threads.

Workers are kept between queries (a pre-forked pool with one worker per allowed concurrent
query): forking per query costs ~2.6 ms at 100k triples and ~18 ms at 1M (the page tables
are copied), a pipe round trip to a waiting worker ~0.1 ms (see benchmarks/query_workers.py).
A worker holds the store as it was when it was forked, so every write in this process must
run inside `exclusive()` and call `store_changed()` afterwards: idle workers of an older
generation are then replaced before their next query, and no fork happens during a write.

In a worker, sockets and the other workers' pipes are closed; with a memory-only store the
open-file limit is then set to 0, so the engine cannot open a connection even if a SERVICE
clause got past the guard. A remote store has no process to kill: its query runs in a thread
that the caller stops waiting for at the deadline; the thread, and with it the query's slot,
ends when the answer is given up, `REMOTE_GRACE` later, even if the server keeps streaming
rows (see `RemoteStore.bounded`). The server may go on computing: the protocol has no way to
stop a query.
"""

from __future__ import annotations

import contextlib
import faulthandler
import itertools
import json
import math
import os
import queue
import resource
import select
import signal
import stat
import struct
import threading
import time
import traceback
import weakref
from collections.abc import Iterator
from dataclasses import dataclass

from .query_execution import QueryAnswer, QueryJob, execute
from .rdf_output import NotWritableAsXml
from .store import QueryEvaluationError, QuerySyntaxError, RemoteStore, Store, StoreError

_FRAME = struct.Struct("!II")
_READ_SIZE = 1 << 16
"""What one read asks for at least: a pipe's default capacity, so a small frame takes one."""


REMOTE_GRACE = 2.0
"""Seconds a remote store's answer may take beyond the time limit before it is given up."""


class QueryTimeout(Exception):
    """The query ran past the time limit: it was stopped, or (a remote store's) given up."""

    def __init__(self, seconds: float, *, stopped: bool = True) -> None:
        super().__init__(f"{'stopped' if stopped else 'given up'} after {seconds:g} s")
        self.seconds = seconds
        self.stopped = stopped
        """False when the query may still run elsewhere (on a remote store's server)."""


class QueryBusy(Exception):
    """Every query slot stayed taken while the request waited."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"all query slots busy; retry after {retry_after} s")
        self.retry_after = retry_after


class AnswerTooLarge(Exception):
    """The serialised answer is larger than the endpoint sends."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the answer is {size} bytes, more than {limit}")
        self.size = size
        self.limit = limit


class QueryWorkerLost(Exception):
    """The worker running the query ended without an answer (its memory limit, most likely)."""


@dataclass(frozen=True)
class Limits:
    """How much one query and all queries together may take."""

    timeout: float = 10.0
    concurrent: int = 2
    queue_wait: float = 5.0
    waiting: int | None = None
    """Queries that may wait for a slot at once while the slots are held by slow queries
    (each waiting query holds a server thread); more get QueryBusy at once. None: as many as
    may run. While queries come and go quickly, any number may wait."""
    slow_after: float = 0.5
    """Seconds after which a query holding a slot counts as slow, and a slot not given back
    for as long means the queue does not move."""
    memory_bytes: int | None = 1024 * 1024 * 1024
    in_workers: bool = True
    """Run queries in worker processes (an embedded store); False for a remote store."""
    sealed_workers: bool = True
    """Forbid workers to open any file or socket (only right for a memory-only store)."""
    answer_bytes: int | None = None
    """Largest serialised answer a worker hands back (None: any); a larger one is
    AnswerTooLarge. The row cap does not bound the bytes: one row can be 80 MB."""
    recycle_bytes: int = 256 * 1024 * 1024
    """Replace a worker whose resident memory grew by more than this while answering."""


@dataclass(eq=False)
class _Worker:
    pid: int
    requests: int
    answers: int
    generation: int

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        for fd in (self.requests, self.answers):
            with contextlib.suppress(OSError):
                os.close(fd)


class QueryRunner:
    """Run public queries within the limits; one runner per process and store."""

    def __init__(self, store: Store, limits: Limits) -> None:
        self.store = store
        self.limits = limits
        self._public_store: Store = store
        if isinstance(store, RemoteStore):
            # Its thread ends (and frees the slot) once the answer is given up, a little after
            # the request got its 503; the server's answer is read whole by then or not at all.
            self._public_store = store.bounded(limits.timeout + REMOTE_GRACE, limits.memory_bytes)
        self._pid = os.getpid()
        self._generation = 0
        self._fork_lock = threading.RLock()
        self._workers: set[_Worker] = set()
        self._slots: queue.Queue[_Worker | None] = queue.Queue()
        self._waiting_allowed = limits.concurrent if limits.waiting is None else limits.waiting
        self._waiting = 0
        self._queue_lock = threading.Lock()
        self._holds = itertools.count()
        self._started: dict[int, float] = {}  # slots held: hold number -> when it was taken
        self._last_given_back = -math.inf
        for _ in range(limits.concurrent):
            self._slots.put(None)
        self._finalizer = weakref.finalize(self, _stop_all, self._workers)

    def run(self, job: QueryJob) -> QueryAnswer:
        """Run a job; raise QueryTimeout, QueryBusy, QueryWorkerLost or QuerySyntaxError."""
        if os.getpid() != self._pid:
            raise RuntimeError("a QueryRunner cannot be used in a forked copy of its process")
        slot = self._take_slot()
        held = next(self._holds)
        self._started[held] = time.monotonic()
        if not self.limits.in_workers:
            return self._run_in_thread(job, held)
        holder = [slot]
        try:
            return self._run_in_worker(holder, job)
        finally:
            self._give_back(holder[0], held)

    def _take_slot(self) -> _Worker | None:
        """Take a free slot, or wait for one; raise QueryBusy when waiting is pointless."""
        retry_after = max(1, math.ceil(self.limits.timeout))
        try:
            return self._slots.get_nowait()
        except queue.Empty:
            pass
        # A waiting query holds a server thread. While the slots are held by slow queries,
        # only a few may wait, so that slow queries cannot take every thread from the pages
        # and from /health; while queries come and go, any number may.
        with self._queue_lock:
            if self._waiting >= self._waiting_allowed and not self._queue_moves():
                raise QueryBusy(retry_after)
            self._waiting += 1
        try:
            return self._slots.get(timeout=self.limits.queue_wait)
        except queue.Empty:
            raise QueryBusy(retry_after) from None
        finally:
            with self._queue_lock:
                self._waiting -= 1

    def _queue_moves(self) -> bool:
        now = time.monotonic()
        slow = self.limits.slow_after
        if now - self._last_given_back < slow:
            return True
        return any(now - started < slow for started in list(self._started.values()))

    def _give_back(self, slot: _Worker | None, held: int) -> None:
        self._started.pop(held, None)
        self._last_given_back = time.monotonic()
        self._slots.put(slot)

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold while writing to the store: no worker is forked meanwhile."""
        with self._fork_lock:
            yield

    def store_changed(self) -> None:
        """Note that the store changed: workers forked before now are replaced before use."""
        with self._fork_lock:
            self._generation += 1

    @property
    def owned_by_this_process(self) -> bool:
        return os.getpid() == self._pid

    def worker_pids(self) -> set[int]:
        """Return the process ids of the live workers."""
        return {worker.pid for worker in self._workers}

    def close(self) -> None:
        """Stop every worker."""
        self._finalizer()

    def _run_in_worker(self, holder: list[_Worker | None], job: QueryJob) -> QueryAnswer:
        deadline = time.monotonic() + self.limits.timeout
        worker = self._ready(holder)
        header = json.dumps(job.to_json()).encode("utf-8")
        try:
            _send(worker.requests, header, b"")
        except OSError:  # the idle worker died (killed from outside): replace it once
            self._retire(holder)
            worker = self._ready(holder)
            _send(worker.requests, header, b"")
        try:
            answer_header, body = _receive(worker.answers, deadline)
        except _Deadline:
            self._retire(holder)
            raise QueryTimeout(self.limits.timeout) from None
        except _Closed:
            self._retire(holder)
            raise QueryWorkerLost("the query worker ended without an answer") from None
        except BaseException:  # the pipe's state is unknown: the worker is not used again
            self._retire(holder)
            raise
        meta = json.loads(answer_header)
        if meta.get("retire"):
            self._retire(holder)
        if meta["status"] == "syntax":
            raise QuerySyntaxError(meta["message"])
        if meta["status"] == "too-large":
            raise AnswerTooLarge(int(meta["size"]), self.limits.answer_bytes or 0)
        if meta["status"] == "evaluation":
            raise QueryEvaluationError(meta["message"])
        if meta["status"] == "store":
            raise StoreError(meta["message"])
        if meta["status"] == "not-xml":
            raise NotWritableAsXml(meta["message"])
        if meta["status"] != "ok":
            raise RuntimeError(f"query worker failed:\n{meta['message']}")
        return QueryAnswer(
            body, meta["media_type"], meta["truncated"], meta["count"], meta["seconds"]
        )

    def _ready(self, holder: list[_Worker | None]) -> _Worker:
        worker = holder[0]
        if worker is not None and worker.generation != self._generation:
            self._retire(holder)
            worker = None
        if worker is None:
            worker = holder[0] = self._spawn()
        return worker

    def _retire(self, holder: list[_Worker | None]) -> None:
        worker, holder[0] = holder[0], None
        if worker is not None:
            self._workers.discard(worker)
            worker.stop()

    def _spawn(self) -> _Worker:
        with self._fork_lock:
            request_read, request_write = os.pipe()
            answer_read, answer_write = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child
                code = 0
                try:
                    _serve(self.store, request_read, answer_write, self.limits)
                except BaseException:  # a worker must never return into the server's code
                    code = 1
                finally:
                    os._exit(code)
            os.close(request_read)
            os.close(answer_write)
            worker = _Worker(pid, request_write, answer_read, self._generation)
            self._workers.add(worker)
            return worker

    def _run_in_thread(self, job: QueryJob, held: int) -> QueryAnswer:
        outcome: dict[str, object] = {}
        done = threading.Event()

        def work() -> None:
            try:
                outcome["answer"] = execute(self._public_store, job)
            except BaseException as error:  # handed to the waiting request
                outcome["error"] = error
            finally:
                done.set()
                self._give_back(None, held)  # free only when the store has answered

        threading.Thread(target=work, name="remote-query", daemon=True).start()
        if not done.wait(self.limits.timeout):
            raise QueryTimeout(self.limits.timeout, stopped=False)
        error = outcome.get("error")
        if isinstance(error, BaseException):
            raise error
        answer = outcome["answer"]
        assert isinstance(answer, QueryAnswer)
        return answer


def _stop_all(workers: set[_Worker]) -> None:
    for worker in list(workers):
        worker.stop()
    workers.clear()


def _serve(store: Store, requests: int, answers: int, limits: Limits) -> None:  # pragma: no cover
    """The worker's loop: read a job, run it, write the answer; end when the server is gone."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    # A worker stopped by its memory limit aborts; that is reported to the client, and a
    # Python traceback of the abort (pytest turns the handler on) would only alarm readers.
    faulthandler.disable()
    _close_inherited({requests, answers})
    resident = _ResidentMemory()
    baseline = resident()
    _seal(limits)
    while True:
        try:
            header, _ = _receive(requests, None)
        except _Closed:
            return
        job = QueryJob.from_json(json.loads(header))
        meta: dict[str, object]
        body = b""
        try:
            answer = execute(store, job)
            meta = {
                "status": "ok",
                "media_type": answer.media_type,
                "truncated": answer.truncated,
                "count": answer.count,
                "seconds": answer.seconds,
            }
            body = answer.body
        except QuerySyntaxError as error:
            meta = {"status": "syntax", "message": str(error)}
        except QueryEvaluationError as error:
            meta = {"status": "evaluation", "message": str(error)}
        except StoreError as error:
            meta = {"status": "store", "message": str(error)}
        except NotWritableAsXml as error:
            meta = {"status": "not-xml", "message": str(error)}
        except Exception:  # reported to the server, which answers 500
            meta = {"status": "error", "message": traceback.format_exc()}
        if limits.answer_bytes is not None and len(body) > limits.answer_bytes:
            meta = {"status": "too-large", "size": len(body)}
            body = b""
        # Memory a big query took is seldom given back; such a worker is replaced.
        meta["retire"] = resident() - baseline > limits.recycle_bytes
        _reply(answers, meta, body)


def _reply(fd: int, meta: dict[str, object], body: bytes = b"") -> None:  # pragma: no cover
    _send(fd, json.dumps(meta).encode("utf-8"), body)


def _close_inherited(keep: set[int]) -> None:  # pragma: no cover - runs in the child
    """Close the server's sockets and the other workers' pipes in a new worker."""
    try:
        descriptors = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        return
    for fd in descriptors:
        if fd <= 2 or fd in keep:
            continue
        try:
            mode = os.fstat(fd).st_mode
        except OSError:
            continue
        if stat.S_ISSOCK(mode) or stat.S_ISFIFO(mode):
            with contextlib.suppress(OSError):
                os.close(fd)


def _seal(limits: Limits) -> None:  # pragma: no cover - runs in the child
    """Bound the worker's memory and, for a memory-only store, forbid new files and sockets."""
    if limits.memory_bytes is not None:
        current = _virtual_memory_bytes()
        if current is not None:
            ceiling = current + limits.memory_bytes
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard != resource.RLIM_INFINITY:
                ceiling = min(ceiling, hard)
            resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    if limits.sealed_workers:
        _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (0, hard))


class _ResidentMemory:  # pragma: no cover - runs in the child
    """Read the worker's resident memory; the file is opened before the worker is sealed."""

    def __init__(self) -> None:
        try:
            self._fd: int | None = os.open("/proc/self/statm", os.O_RDONLY)
        except OSError:
            self._fd = None

    def __call__(self) -> int:
        if self._fd is None:
            return 0
        return int(os.pread(self._fd, 200, 0).split()[1]) * resource.getpagesize()


def _virtual_memory_bytes() -> int | None:  # pragma: no cover - runs in the child
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


class _Deadline(Exception):
    pass


class _Closed(Exception):
    pass


def _send(fd: int, header: bytes, body: bytes) -> None:
    view = memoryview(_FRAME.pack(len(header), len(body)) + header + body)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _receive(fd: int, deadline: float | None) -> tuple[bytes, bytes]:
    """Read one frame (sizes, header, body); a small frame takes one poll and one read."""
    buffer = bytearray()
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    wanted = _FRAME.size
    header_size = 0
    while len(buffer) < wanted:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not poller.poll(max(1, math.ceil(remaining * 1000))):
                raise _Deadline
        chunk = os.read(fd, min(max(wanted - len(buffer), _READ_SIZE), 1 << 20))
        if not chunk:
            raise _Closed
        buffer += chunk
        if wanted == _FRAME.size and len(buffer) >= wanted:
            header_size, body_size = _FRAME.unpack_from(buffer)
            wanted += header_size + body_size
    if len(buffer) > wanted:  # one writer, one frame at a time: nothing may follow it
        raise RuntimeError("a query pipe held more than one frame")
    start = _FRAME.size + header_size
    view = memoryview(buffer)
    return bytes(view[_FRAME.size : start]), bytes(view[start:])
