"""The index's cheap freshness check: one stat of every paper file, summed into a fingerprint.

An index that holds the same fingerprint as the files (and the same taxonomy signature) is up to
date and nothing is read; otherwise only the files whose (mtime_ns, size) changed are re-read.
"""

from __future__ import annotations

import os
import sys
import zlib
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

#: From this many files in the folder, :func:`current_sums` shares the stats with a forked child.
SPLIT_FROM = 4_000

#: A file modified this close to an index update is re-read next time (mtime granularity, as git's "racy" files).
RACY_NS = 1_000_000_000


class Sums(NamedTuple):
    """An order-independent summary of a set of (name, mtime_ns, size): any change to the set alters it."""

    files: int = 0
    names: int = 0
    mtimes: int = 0
    sizes: int = 0

    def __str__(self) -> str:
        return f"{self.files}:{self.names:x}:{self.mtimes:x}:{self.sizes:x}"

    @classmethod
    def parse(cls, text: str) -> Sums:
        """The sums ``str()`` gave as ``text``; ValueError if it is not such a text."""
        count, names, mtimes, sizes = text.split(":")
        return cls(int(count), int(names, 16), int(mtimes, 16), int(sizes, 16))

    def plus(self, name: str, mtime_ns: int, size: int, sign: int = 1) -> Sums:
        """The sums with the file (name, mtime_ns, size) added (``sign`` -1: taken out)."""
        return Sums(
            self.files + sign,
            self.names + sign * zlib.crc32(name.encode()),
            self.mtimes + sign * mtime_ns,
            self.sizes + sign * size,
        )

    def with_mtimes_replaced(self, old: Iterable[int], new: int) -> Sums:
        """The sums had each mtime in ``old`` been ``new`` instead."""
        old = list(old)
        return Sums(self.files, self.names, self.mtimes - sum(old) + new * len(old), self.sizes)


def fingerprint(states: Iterable[tuple[str, int, int]]) -> Sums:
    """The :class:`Sums` of a set of (name, mtime_ns, size)."""
    count = names = mtimes = sizes = 0
    for name, mtime_ns, size in states:
        count += 1
        names += zlib.crc32(name.encode())
        mtimes += mtime_ns
        sizes += size
    return Sums(count, names, mtimes, sizes)


class Scan:
    """What one stat of every paper file saw: names, mtimes and sizes (kept compact), and their sums."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.mtimes = array("q")
        self.sizes = array("q")
        self.sums = Sums()

    def __len__(self) -> int:
        return len(self.names)

    def states(self) -> dict[str, tuple[int, int]]:
        """``{file name: (mtime_ns, size)}``."""
        return dict(zip(self.names, zip(self.mtimes, self.sizes, strict=True), strict=True))


def current_sums(papers_dir: Path) -> Sums:
    """The :class:`Sums` that :func:`scan_papers` would give, without keeping what each file showed.

    This is the whole cost of confirming a fresh index, so on Linux a big folder is stat-ed on two
    cores: a forked child sums half the names while this process sums the other half (the stats are
    system calls, so threads would wait for each other on the GIL). If the child gives no answer,
    its half is summed here.
    """
    if not (os.stat in os.supports_dir_fd and os.listdir in os.supports_fd):  # Windows
        return scan_papers(papers_dir).sums
    try:
        fd = os.open(papers_dir, os.O_RDONLY)
    except OSError:
        return Sums()
    try:
        try:
            listing = os.listdir(fd)
        except OSError:
            return Sums()
        half = len(listing) // 2
        child = _fork_summing(listing[half:], fd) if len(listing) >= SPLIT_FROM and forking_helps() else None
        if child is None:
            return Sums(*_summed(listing, fd))
        mine = _summed(listing[:half], fd)
        theirs = _child_sums(*child) or _summed(listing[half:], fd)
        return Sums(*(a + b for a, b in zip(mine, theirs, strict=True)))
    finally:
        os.close(fd)


def _summed(names: list[str], fd: int) -> tuple[int, int, int, int]:
    """(count, name crc sum, mtime sum, size sum) of the paper files among ``names`` in folder ``fd``."""
    stat, crc32 = os.stat, zlib.crc32
    count = crcs = mtimes = sizes = 0
    for name in names:
        if name.endswith(".toml") and name[0] != ".":
            try:
                st = stat(name, dir_fd=fd)
            except OSError:
                continue
            count += 1
            crcs += crc32(name.encode())
            mtimes += st.st_mtime_ns
            sizes += st.st_size
    return count, crcs, mtimes, sizes


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


def _child_sums(pid: int, read_end: int) -> tuple[int, int, int, int] | None:
    """The child's answer, once it has ended; None if it gave none."""
    with os.fdopen(read_end, "rb") as pipe:
        answer = pipe.read()
    try:
        _pid, status = os.waitpid(pid, 0)
    except ChildProcessError:
        status = 1
    try:
        count, crcs, mtimes, sizes = map(int, answer.split())
    except ValueError:
        return None
    return (count, crcs, mtimes, sizes) if status == 0 else None


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
        keep, keep_mtime, keep_size = scan.names.append, scan.mtimes.append, scan.sizes.append
        names = mtimes = sizes = 0
        for name in listing:
            if name.endswith(".toml") and name[0] != ".":
                try:
                    st = stat(name, dir_fd=fd) if by_fd else stat(os.path.join(papers_dir, name))
                except OSError:
                    continue
                names += crc32(name.encode())  # the sums of fingerprint(), inline: this loop is hot
                mtimes += st.st_mtime_ns
                sizes += st.st_size
                keep(name)
                keep_mtime(st.st_mtime_ns)
                keep_size(st.st_size)
        scan.sums = Sums(len(scan.names), names, mtimes, sizes)
        return scan
    finally:
        if by_fd:
            os.close(fd)


def stat_signature(path: Path, now_ns: int) -> str:
    """mtime and size of ``path``; a file modified just now gets a signature that never matches twice."""
    try:
        st = path.stat()
    except OSError:
        return "absent"
    racy = f":racy{now_ns}" if st.st_mtime_ns >= now_ns - RACY_NS else ""
    return f"{st.st_mtime_ns}:{st.st_size}{racy}"
