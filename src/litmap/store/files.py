"""Safe writes: atomic single-file writes, the library lock, and atomic multi-file changes.

A multi-file change (a merge, a category rename) is written as temp files first, then a journal
listing what to rename and delete is made durable, then it is applied. A crash before the journal
exists leaves the old state (stray temp files are swept away); a crash after it is rolled forward
the next time the library is opened. Either way no reader sees half of a change.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litmap.errors import InvalidFile, LitmapError
from litmap.store.layout import PAPERS_DIR, STATE_DIR

if TYPE_CHECKING:
    from litmap.models import Paper

TMP_SUFFIX = ".litmap-tmp"
JOURNAL = "journal.json"
STAGING = "staging"
#: How long a writer waits for another one to finish before giving up.
LOCK_TIMEOUT_SECONDS = 300.0
#: After this long waiting for the lock, the wait notice (see :func:`set_lock_wait_notice`) is given.
LOCK_NOTICE_SECONDS = 1.0
#: A change writing more files than this syncs them all at once (see :func:`commit`).
BULK_SYNC_FILES = 64
#: A change replacing this many files or more replaces them by :data:`REPLACE_THREADS` threads.
PARALLEL_REPLACES = 64
REPLACE_THREADS = 4


def read_text(path: Path) -> str:
    """A library file's text; InvalidFile when it cannot be read as UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidFile(str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InvalidFile(str(path), exc.strerror or "cannot be read") from None


def content_digest(data: bytes) -> str:
    """A digest of a file's bytes: the index compares it to tell an unchanged file from an edited one."""
    import hashlib

    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_text_digest(path: Path) -> tuple[str, str]:
    """A library file's text (as :func:`read_text` reads it) and the :func:`content_digest` of its bytes."""
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidFile(str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InvalidFile(str(path), exc.strerror or "cannot be read") from None
    if "\r" in text:  # universal newlines, as read_text
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, content_digest(data)


def state_dir(root: Path) -> Path:
    """The library's git-ignored working folder (lock, journal, index)."""
    return root / STATE_DIR


def _fsync_dir(directory: Path | str) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def temp_path_for(path: Path) -> Path:
    """Where the new content of ``path`` is staged before the rename."""
    return path.with_name(f".{path.name}.{os.getpid()}{TMP_SUFFIX}")


def _temp_name(path: str) -> str:
    """:func:`temp_path_for` on a path's text (an import stages thousands: no Path made)."""
    folder, name = os.path.split(path)
    return os.path.join(folder, f".{name}.{os.getpid()}{TMP_SUFFIX}")


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


def write_temp(path: Path, text: str, sync: bool = True) -> Path:
    """Write ``text`` to a temp file beside ``path`` (durably unless ``sync`` is False); return its path.

    The text is written as UTF-8 with its line ends as they are (what ``open(..., "w", newline="\\n")``
    writes), through the file descriptor: an import writes thousands of files.
    """
    tmp = temp_path_for(path)
    _write_new(str(tmp), path, text, sync)
    return tmp


def _write_new(tmp: str, path: Path, text: str, sync: bool) -> None:
    """:func:`write_temp`'s work: ``text`` written to the file ``tmp`` beside ``path``."""
    data = text.encode("utf-8")
    try:
        fd = os.open(tmp, _NEW_FILE, 0o666)
    except FileNotFoundError:  # the folder is new
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, _NEW_FILE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if sync:
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)  # no stray left behind (a change's commit sweeps none)
        raise
    os.close(fd)


def atomic_write(path: Path, text: str, mode: int | None = None) -> None:
    """Replace ``path`` with ``text`` atomically: readers see the old file or the new one.

    ``mode``: the permissions the new file gets (default: the process's defaults).
    """
    try:
        tmp = write_temp(path, text)
    except BaseException:
        with contextlib.suppress(OSError):
            temp_path_for(path).unlink()
        raise
    try:
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


_lock_wait_notice: list[Callable[[Path], None]] = []


def set_lock_wait_notice(notice: Callable[[Path], None] | None) -> None:
    """Call ``notice(root)`` once when a writer has waited a second for another writer's lock.

    The store never prints: the command line fills this in with a line on stderr.
    """
    _lock_wait_notice[:] = [notice] if notice else []


def create_exclusive(path: Path, text: str) -> None:
    """Create ``path`` holding ``text``, atomically and never over an existing file.

    The text is written to a temp file first and then hard-linked into place (``link`` fails when
    the name exists, unlike ``rename``), so a reader sees no file or the whole file.
    """
    tmp = write_temp(path, text)
    try:
        _link_new(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    _fsync_dir(path.parent)


def _link_new(tmp: Path | str, path: Path | str) -> None:
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise LitmapError(f"{path}: this file appeared while litmap was writing; nothing was written over it") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        # A file system without hard links: O_EXCL claims the name, then the rename fills it.
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        except FileExistsError:
            raise LitmapError(
                f"{path}: this file appeared while litmap was writing; nothing was written over it"
            ) from None
        os.replace(tmp, path)


@contextlib.contextmanager
def library_lock(root: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the library's writer lock (a lock file under ``.litmap/``).

    A writer that waits longer than :data:`LOCK_NOTICE_SECONDS` says so through the wait notice.
    """
    directory = state_dir(root)
    directory.mkdir(exist_ok=True)
    lock = _FileLock(str(directory / "lock"))
    if not lock.acquire(min(LOCK_NOTICE_SECONDS, timeout)):
        if timeout > LOCK_NOTICE_SECONDS:
            for notice in _lock_wait_notice:
                notice(root)
        if timeout <= LOCK_NOTICE_SECONDS or not lock.acquire(timeout - LOCK_NOTICE_SECONDS):
            raise LitmapError(f"the library {root} is locked by another litmap process; try again in a moment")
    try:
        yield
    finally:
        lock.release()


class _FileLock:
    """An exclusive lock on a file: ``flock`` where the system has it (what filelock's Unix lock
    does, so both keep each other out), else the filelock package. Importing filelock costs more
    than a whole ``litmap tag``, so on Linux and macOS it is not imported."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.fd: int | None = None
        self.other: Any = None

    def acquire(self, timeout: float) -> bool:
        """Take the lock, waiting up to ``timeout`` seconds; whether it was taken."""
        try:
            import fcntl
        except ImportError:  # Windows
            from filelock import FileLock, Timeout

            self.other = self.other or FileLock(self.path)
            try:
                self.other.acquire(timeout=timeout)
            except Timeout:
                return False
            return True
        import time

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    return False
                time.sleep(0.05)
                continue
            except BaseException:
                os.close(fd)
                raise
            self.fd = fd
            return True

    def release(self) -> None:
        """Give the lock back (closing the file releases the flock)."""
        if self.other is not None:
            self.other.release()
        elif self.fd is not None:
            os.close(self.fd)
            self.fd = None


class Changes:
    """A set of file writes and deletions to apply as one atomic change."""

    def __init__(self) -> None:
        self.writes: dict[Path, str] = {}
        self.deletes: set[Path] = set()
        #: Paths among ``writes`` that must not exist: they are created exclusively, never written over.
        self.creates: set[Path] = set()
        #: The paper each staged paper file's text holds (reading the text gives that paper), when
        #: known: the index takes it from here instead of parsing the file again.
        self.papers: dict[Path, Paper] = {}
        #: Or the JSON record of that paper (:meth:`~litmap.models.Paper.to_json`), staged without a model.
        self.records: dict[Path, dict[str, Any]] = {}
        #: The tree a staged taxonomy file holds, as the index stores it (:meth:`~litmap.store.index.Index.taxonomy`).
        self.trees: dict[Path, dict[str, Any]] = {}

    def write(
        self,
        path: Path,
        text: str,
        paper: Paper | None = None,
        record: dict[str, Any] | None = None,
        tree: dict[str, Any] | None = None,
    ) -> None:
        """Stage ``text`` as the new content of ``path`` (``paper`` or its ``record``, or the ``tree`` of
        a taxonomy file: what it holds, if known)."""
        self.deletes.discard(path)
        self.writes[path] = text
        self.papers.pop(path, None)
        self.records.pop(path, None)
        self.trees.pop(path, None)
        if paper is not None:
            self.papers[path] = paper
        elif record is not None:
            self.records[path] = record
        elif tree is not None:
            self.trees[path] = tree

    def create(self, path: Path, text: str, paper: Paper | None = None) -> None:
        """Stage a new file ``path``: the change fails rather than write over a file of that name."""
        self.write(path, text, paper)
        self.creates.add(path)

    def delete(self, path: Path) -> None:
        """Stage the removal of ``path``."""
        self.writes.pop(path, None)
        self.papers.pop(path, None)
        self.records.pop(path, None)
        self.trees.pop(path, None)
        self.creates.discard(path)
        self.deletes.add(path)

    def __bool__(self) -> bool:
        return bool(self.writes or self.deletes)

    def clear(self) -> None:
        """Forget everything staged (once it is committed)."""
        self.writes.clear()
        self.deletes.clear()
        self.creates.clear()


_committed = [0]


def committed_changes() -> int:
    """How many changes this process has committed (so an interrupted command can say whether it wrote)."""
    return _committed[0]


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold a Ctrl-C (SIGINT) that comes during the block until the block is done, then deliver it.

    What the block writes is then written whole, and what it records about it (a count) is true.
    Outside the main thread, where a signal handler cannot be set, the block runs as it is.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[object] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: held.append(frame))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if held and callable(previous):
            previous(signal.SIGINT, None)


def commit(root: Path, changes: Changes) -> None:
    """Apply ``changes`` atomically. The caller must hold :func:`library_lock`."""
    if not changes:
        return
    appeared = [path for path in changes.creates if os.path.lexists(path)]
    if appeared:
        path = min(appeared)
        raise LitmapError(f"{path}: this file appeared while litmap was writing; nothing was written over it")
    if len(changes.writes) == 1 and not changes.deletes:
        ((path, text),) = changes.writes.items()
        if path in changes.creates:
            create_exclusive(path, text)
        else:
            atomic_write(path, text)
        _committed[0] += 1
        return
    staged: list[tuple[str, str]] = []
    # A marker says temp files may be about to appear: a writer killed before its journal exists
    # leaves them behind, and the next writer sweeps them (see needs_recovery).
    marker = state_dir(root) / STAGING
    marker.parent.mkdir(exist_ok=True)
    marker.write_text(str(os.getpid()), encoding="utf-8")
    # Thousands of files (an import) are made durable by one sync(2) instead of one fsync each:
    # on Linux sync waits for the data, and the journal is written only after it returns.
    bulk = len(changes.writes) > BULK_SYNC_FILES and sys.platform.startswith("linux")
    try:
        for path, text in changes.writes.items():
            final = str(path)
            tmp = _temp_name(final)
            _write_new(tmp, path, text, sync=not bulk)
            staged.append((tmp, final))
        if bulk:
            os.sync()
    except BaseException:
        for tmp, _final in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    with interrupts_held():  # once the journal is written, the change is applied before Ctrl-C stops us
        _apply(root, staged, changes)


def _apply(root: Path, staged: list[tuple[str, str]], changes: Changes) -> None:
    journal = state_dir(root) / JOURNAL
    journal.parent.mkdir(exist_ok=True)
    payload = {
        "renames": staged,
        "creates": sorted(str(p) for p in changes.creates),
        "deletes": sorted(str(p) for p in changes.deletes),
    }
    try:
        atomic_write(journal, json.dumps(payload))  # no indent: Python's C encoder
    except BaseException:
        if not journal.exists():  # the old state stands: leave no staged copies behind
            for tmp, _final in staged:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        raise
    roll_forward(root, sweep=False)
    _committed[0] += 1


def roll_forward(root: Path, sweep: bool = True) -> bool:
    """Finish a change whose journal was written; sweep stray temp files. True if any work.

    ``sweep=False``: a change this process just applied, whose every temp file the journal named (a
    failed write removes its own temp file): no folder is listed for strays. A writer killed before its
    journal leaves the staging marker, and the next one sweeps.
    """
    journal = state_dir(root) / JOURNAL
    did_work = False
    if journal.exists():
        try:
            payload = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            payload = {"renames": [], "deletes": []}
        creates = set(payload.get("creates", []))
        replaces: list[tuple[str, str]] = []
        for tmp, final in payload.get("renames", []):
            if final in creates:
                _place_new(tmp, final)
            elif os.path.exists(tmp):
                replaces.append((tmp, final))
        _replace_all(replaces)
        for path in payload.get("deletes", []):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        for directory in {os.path.dirname(final) or "." for _tmp, final in payload.get("renames", [])}:
            _fsync_dir(directory)
        journal.unlink()
        did_work = True
    with contextlib.suppress(FileNotFoundError):
        (state_dir(root) / STAGING).unlink()
    for directory in (root, root / PAPERS_DIR) if sweep else ():
        for stray in _strays(directory):
            with contextlib.suppress(OSError):
                os.unlink(stray)
                did_work = True
    return did_work


def _place_new(tmp: str, final: str) -> None:
    """Give the staged ``tmp`` its name ``final`` and remove ``tmp``; nothing if ``tmp`` is gone.

    A file already at ``final`` (linked before a crash whose removal of the temp file was lost, or a
    stranger's file) is kept. One ``link`` and one ``unlink`` per file, no ``stat``: an import makes thousands.
    """
    try:
        os.link(tmp, final)
    except FileExistsError:
        pass
    except FileNotFoundError:
        if os.path.exists(tmp):
            raise  # the folder of ``final`` is gone
        return
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        if not os.path.lexists(final):
            _link_new(tmp, final)  # a file system without hard links
    os.unlink(tmp)


def _replace_all(pairs: list[tuple[str, str]]) -> None:
    """``os.replace(tmp, final)`` of every pair, in any order (the journal stands until all are done).

    Many are done by a few threads: replacing a file frees the old one, which on a busy disk (or a
    file system mounted with ``discard``) waits for the device each time, and threads wait together.
    """
    if len(pairs) < PARALLEL_REPLACES:
        for tmp, final in pairs:
            os.replace(tmp, final)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(REPLACE_THREADS) as pool:
        done = [pool.submit(os.replace, tmp, final) for tmp, final in pairs]
    for future in done:  # every replace has ended: the first failure is raised
        future.result()


def _strays(directory: Path) -> list[str]:
    """The temp files (``.*`` + TMP_SUFFIX) in ``directory``: what ``glob(".*" + TMP_SUFFIX)`` finds."""
    try:
        with os.scandir(directory) as entries:
            return [
                e.path
                for e in entries
                if e.name.startswith(".") and e.name.endswith(TMP_SUFFIX) and len(e.name) > len(TMP_SUFFIX)
            ]
    except OSError:  # not a folder, or not readable: nothing to sweep
        return []


def pending_journal(root: Path) -> bool:
    """Whether an interrupted multi-file change is waiting to be rolled forward."""
    return (state_dir(root) / JOURNAL).exists()


def recover(root: Path) -> None:
    """Roll forward a change a crash interrupted (under the lock), before anything is read."""
    if pending_journal(root):
        with library_lock(root):
            roll_forward(root)


def needs_recovery(root: Path) -> bool:
    """Whether an interrupted change left a journal to roll forward or temp files to sweep."""
    return pending_journal(root) or (state_dir(root) / STAGING).exists()
