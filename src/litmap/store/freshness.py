"""The index's cheap freshness check: one stat of every paper file, summed into a fingerprint.

An index that holds the same fingerprint as the files (and the same taxonomy signature) is up to
date and nothing is read; otherwise only the files whose (stamp_ns, size) changed are re-read.
"""

from __future__ import annotations

import os
import sys
import zlib
from array import array
from collections.abc import Callable, Iterable
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

#: From this many files in the folder, :func:`current_sums` shares the stats with a forked child.
SPLIT_FROM = 4_000

#: A file changed this close to an index update is re-read next time (timestamp granularity, as git's "racy" files).
RACY_NS = 1_000_000_000

#: The stamp of a stat result (see the module's docstring), in nanoseconds.
stamp_of: Callable[[os.stat_result], int] = attrgetter("st_mtime_ns" if os.name == "nt" else "st_ctime_ns")


class Sums(NamedTuple):
    """An order-independent summary of a set of (name, stamp_ns, size): any change to the set alters it."""

    files: int = 0
    names: int = 0
    stamps: int = 0
    sizes: int = 0

    def __str__(self) -> str:
        return f"{self.files}:{self.names:x}:{self.stamps:x}:{self.sizes:x}"

    @classmethod
    def parse(cls, text: str) -> Sums:
        """The sums ``str()`` gave as ``text``; ValueError if it is not such a text."""
        count, names, stamps, sizes = text.split(":")
        return cls(int(count), int(names, 16), int(stamps, 16), int(sizes, 16))

    def plus(self, name: str, stamp_ns: int, size: int, sign: int = 1) -> Sums:
        """The sums with the file (name, stamp_ns, size) added (``sign`` -1: taken out)."""
        return Sums(
            self.files + sign,
            self.names + sign * zlib.crc32(name.encode()),
            self.stamps + sign * stamp_ns,
            self.sizes + sign * size,
        )

    def with_stamps_replaced(self, old: Iterable[int], new: int) -> Sums:
        """The sums had each stamp in ``old`` been ``new`` instead."""
        old = list(old)
        return Sums(self.files, self.names, self.stamps - sum(old) + new * len(old), self.sizes)


def fingerprint(states: Iterable[tuple[str, int, int]]) -> Sums:
    """The :class:`Sums` of a set of (name, stamp_ns, size)."""
    count = names = stamps = sizes = 0
    for name, stamp_ns, size in states:
        count += 1
        names += zlib.crc32(name.encode())
        stamps += stamp_ns
        sizes += size
    return Sums(count, names, stamps, sizes)


class Scan:
    """What one stat of every paper file saw: names, stamps and sizes (kept compact), and their sums."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.stamps = array("q")
        self.sizes = array("q")
        self.sums = Sums()

    def __len__(self) -> int:
        return len(self.names)

    def states(self) -> dict[str, tuple[int, int]]:
        """``{file name: (stamp_ns, size)}``."""
        return dict(zip(self.names, zip(self.stamps, self.sizes, strict=True), strict=True))


class Listing(NamedTuple):
    """The paper files of the folder as listed when the folder itself had the stamp ``folder``, and
    the sum of their names' CRCs. While the folder keeps that stamp, no entry was added, removed or
    renamed in it (every such change moves a folder's change time), so the listing needs no reading."""

    folder: str
    names: list[str]
    crcs: int

    def __str__(self) -> str:
        return "/".join([self.folder, str(self.crcs), *self.names])  # "/" is in no file name

    @classmethod
    def parse(cls, text: str) -> Listing | None:
        """The listing ``str()`` gave as ``text``; None if it is not such a text."""
        try:
            folder, crcs, *names = text.split("/")
            return cls(folder, names, int(crcs))
        except ValueError:
            return None


def current_sums(papers_dir: Path, known: Listing | None = None, started: int = 0) -> tuple[Sums, Listing | None]:
    """The :class:`Sums` that :func:`scan_papers` would give, without keeping what each file showed;
    and the folder's listing, when it had to be read and can be trusted next time (the folder
    changed before ``started`` - RACY_NS), for the caller to keep and pass as ``known``.

    This is the whole cost of confirming a fresh index, so it does the least it can: while the
    folder's stamp is ``known``'s, its listing and name sums are taken from there, and only the files
    are stat-ed. On Linux a big folder is stat-ed on two cores: a forked child sums half the names
    while this process sums the other half (the stats are system calls, so threads would wait for
    each other on the GIL). If the child gives no answer, its half is summed here.
    """
    if not (os.stat in os.supports_dir_fd and os.listdir in os.supports_fd):  # Windows
        return scan_papers(papers_dir).sums, None
    try:
        fd = os.open(papers_dir, os.O_RDONLY)
    except OSError:
        return Sums(), None
    try:
        try:
            st = os.fstat(fd)
            folder = f"{st.st_dev}:{st.st_ino}:{st.st_ctime_ns}:{st.st_mtime_ns}:{st.st_size}"
            fresh = None
            if known is not None and known.folder == folder:
                names, crcs = known.names, known.crcs
            else:
                names = [name for name in os.listdir(fd) if name.endswith(".toml") and name[0] != "."]
                crc32 = zlib.crc32
                crcs = sum(crc32(name.encode()) for name in names)
                if stamp_of(st) < started - RACY_NS:
                    fresh = Listing(folder, names, crcs)
        except OSError:
            return Sums(), None
        half = len(names) // 2
        child = _fork_summing(names[half:], fd) if len(names) >= SPLIT_FROM and forking_helps() else None
        if child is None:
            count, stamps, sizes = _summed(names, fd)
        else:
            mine = _summed(names[:half], fd)
            theirs = _child_sums(*child) or _summed(names[half:], fd)
            count, stamps, sizes = (a + b for a, b in zip(mine, theirs, strict=True))
        # A file that vanished (or one that cannot be stat-ed) leaves the count short of the names,
        # and the name sums are then unknown: any value that cannot match does.
        return Sums(count, crcs if count == len(names) else -1, stamps, sizes), fresh
    finally:
        os.close(fd)


def _summed(names: list[str], fd: int) -> tuple[int, int, int]:
    """(count, stamp sum, size sum) of the paper files ``names`` in folder ``fd`` (POSIX only: the
    stamp is the ctime)."""
    stat = os.stat
    count = stamps = sizes = 0
    for name in names:
        try:
            st = stat(name, dir_fd=fd)
        except OSError:
            continue
        count += 1
        stamps += st.st_ctime_ns
        sizes += st.st_size
    return count, stamps, sizes


def forking_helps() -> bool:
    """Work can be shared with forked children: Linux (elsewhere fork is not safe to rely on, and spawn
    would re-run the user's ``__main__``), two cores or more, and no other thread (a forked child would
    hold copies of its locks)."""
    if sys.platform != "linux" or (os.cpu_count() or 1) < 2:
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


def _fork_summing(names: list[str], fd: int) -> tuple[int, int] | None:
    """Start a child that writes the sums of ``names`` to a pipe: (pid, read end), or None if it cannot."""
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: sum, answer, and leave at once (no cleanup, no flushing of the parent's buffers)
        status = 1
        try:
            os.close(read_end)
            os.write(write_end, " ".join(map(str, _summed(names, fd))).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _child_sums(pid: int, read_end: int) -> tuple[int, int, int] | None:
    """The child's answer, once it has ended; None if it gave none."""
    with os.fdopen(read_end, "rb") as pipe:
        answer = pipe.read()
    try:
        _pid, status = os.waitpid(pid, 0)
    except ChildProcessError:
        status = 1
    try:
        count, stamps, sizes = map(int, answer.split())
    except ValueError:
        return None
    return (count, stamps, sizes) if status == 0 else None


def scan_papers(papers_dir: Path) -> Scan:
    """Stat every paper file; nothing is read. This is the whole cost of checking a fresh index.

    It is kept tight for 100k files: stat by name relative to the open folder (no path walk per
    file), plain sums, compact arrays rather than an object per file.
    """
    scan = Scan()
    by_fd = os.stat in os.supports_dir_fd and os.listdir in os.supports_fd  # not on Windows
    try:
        fd = os.open(papers_dir, os.O_RDONLY) if by_fd else -1
    except OSError:
        return scan
    try:
        try:
            listing = os.listdir(fd if by_fd else papers_dir)
        except OSError:
            return scan
        stat, crc32 = os.stat, zlib.crc32
        keep, keep_stamp, keep_size = scan.names.append, scan.stamps.append, scan.sizes.append
        names = stamps = sizes = 0
        for name in listing:
            if name.endswith(".toml") and name[0] != ".":
                try:
                    st = stat(name, dir_fd=fd) if by_fd else stat(os.path.join(papers_dir, name))
                except OSError:
                    continue
                names += crc32(name.encode())  # the sums of fingerprint(), inline: this loop is hot
                stamp = stamp_of(st)
                stamps += stamp
                sizes += st.st_size
                keep(name)
                keep_stamp(stamp)
                keep_size(st.st_size)
        scan.sums = Sums(len(scan.names), names, stamps, sizes)
        return scan
    finally:
        if by_fd:
            os.close(fd)


def stat_signature(path: Path, now_ns: int) -> str:
    """Stamp and size of ``path``; a file changed just now gets a signature that never matches twice."""
    try:
        st = path.stat()
    except OSError:
        return "absent"
    stamp = stamp_of(st)
    racy = f":racy{now_ns}" if stamp >= now_ns - RACY_NS else ""
    return f"{stamp}:{st.st_size}{racy}"
