"""The build lock: one build of a store's index at a time, in any process.

A build holds an `flock` on the store's lock file from start to end: one build per store
at a time, in any process, container or host that shares the folder; the builder
removes what earlier builds left (it holds the lock, so none of them is running).
"""

import errno
import os
import stat
from pathlib import Path


class BuildLock:
    """The exclusive `flock` on a store's lock file, held for the whole of one build.

    flock, not a PID in a file name: a PID says nothing about a process in another PID
    namespace (a container) or on another host sharing the cache (an NFS home), and the
    kernel drops the lock of a process however it ends.
    """

    def __init__(self, fd: int, target: Path, *, locked: bool = True) -> None:
        self._fd = fd
        self._target = target
        self._locked = locked

    @classmethod
    def taken(cls, target: Path, wait_seconds: float) -> "BuildLock | None":
        """The lock, waiting up to `wait_seconds` for another run's build to end; None if
        it has not by then; OSError if the folder cannot be made or the lock file opened."""
        import time

        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(lock_path(target), flags, 0o600)
        give_up = time.monotonic() + wait_seconds
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OSError(errno.EINVAL, "the lock file is not a regular file")
            try:
                import fcntl
            except ImportError:  # Windows: builds are not serialised, nothing is swept
                return cls(fd, target, locked=False)
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return cls(fd, target)
                except BlockingIOError:
                    if time.monotonic() >= give_up:
                        os.close(fd)
                        return None
                    time.sleep(LOCK_POLL_SECONDS)  # Ctrl-C ends the wait at once
        except BaseException:
            os.close(fd)
            raise

    def sweep(self) -> None:
        """Remove the temporary files of this store's earlier builds: with the lock held,
        none of them is still being written."""
        if not self._locked:
            return
        for leftover in self._target.parent.glob(f"{self._target.stem}.*.tmp"):
            leftover.unlink(missing_ok=True)

    def release(self) -> None:
        os.close(self._fd)  # closing the descriptor releases the lock


# How often a run waiting for another's build looks whether it has ended.
LOCK_POLL_SECONDS = 0.05


def lock_path(target: Path) -> Path:
    return target.with_suffix(".lock")
