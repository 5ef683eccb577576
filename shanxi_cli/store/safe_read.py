"""Read a file only if it is a regular file, and never more of it than a limit.

A store can be anything a user or a hostile author points at: a device that never ends,
a FIFO that never opens, a symlink swapped after a size check, or (for the articles a
store names) a path that climbs out of the store's folder. Every file a store comes from
or names is read through here.
"""

import os
import stat
import sys
from functools import cache
from pathlib import Path, PurePath

from shanxi_cli.errors import StoreError
from shanxi_cli.text.escape import brief

# Far beyond a newspaper article (tens of KiB); verify scans the article once per quote.
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
_CHUNK = 1024 * 1024

# Not O_NOFOLLOW here: a store may be a symlink. O_NONBLOCK: opening a FIFO with no
# writer returns at once instead of waiting for one. O_NOCTTY: a terminal device never
# becomes the process's controlling terminal.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | os.O_CLOEXEC
_PROC_FD = Path("/proc/self/fd")


class Refused(Exception):
    """Why a file was not read, as words that follow its name ("not found")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TooLarge(Refused):
    """The file is larger than the limit it was read with."""


# --- the store's size limit, which a user may raise ---

STORE_LIMIT_ENV_VAR = "SHANXI_MAX_STORE_BYTES"
# The most $SHANXI_MAX_STORE_BYTES may ask for: 1 TiB, beyond any store a machine could
# build an index of; a larger value is a mistake (a stray digit), not a wish.
MOST_STORE_BYTES = 1 << 40


def store_limit(default: int) -> int:
    """$SHANXI_MAX_STORE_BYTES if it is a whole number of bytes from 1 to 1 TiB, else `default`.

    An empty or unset variable is the default; anything else that is not such a number
    (`2GB`, `-1`, `²`, `1e9`, a thousand digits) is one note on stderr and the default.
    """
    return _store_limit(os.environ.get(STORE_LIMIT_ENV_VAR, ""), default)


@cache  # one note per process, however many times a store is read
def _store_limit(raw: str, default: int) -> int:
    text = raw.strip()
    if not text:
        return default
    # ASCII digits only: int() also reads other scripts' digits and "1_000"; at most 13
    # of them, so that a thousand digits are not even converted.
    if text.isascii() and text.isdigit() and len(text) <= 13:
        value = int(text)
        if 0 < value <= MOST_STORE_BYTES:
            return value
    shown = brief(raw, 40)  # repr() escapes what is not printable
    try:  # a note that cannot be written is dropped, never the run
        sys.stderr.write(
            f"shanxi: note: ${STORE_LIMIT_ENV_VAR} is {shown!r}, not a whole number of bytes"
            f" from 1 to {MOST_STORE_BYTES:,}; the limit stays {default:,} bytes\n"
        )
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    return default


def read_store_bytes(path: Path | str, default_limit: int) -> tuple[bytes, os.stat_result | None]:
    """A store's bytes, within `default_limit` or $SHANXI_MAX_STORE_BYTES, and the status
    of the file read (read_regular_file_with_status); Refused if not.

    A store refused for its size says how to raise the limit.
    """
    try:
        return read_regular_file_with_status(path, store_limit(default_limit))
    except TooLarge as refused:
        raise TooLarge(f"{refused.reason} (${STORE_LIMIT_ENV_VAR} raises it)") from None


def read_regular_file(path: Path | str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or Refused saying why not."""
    return read_regular_file_with_status(path, limit)[0]


def read_regular_file_with_status(
    path: Path | str, limit: int
) -> tuple[bytes, os.stat_result | None]:
    """The bytes, and the status of the very file they were read from (fstat on the
    descriptor read, not a second look at a path a symlink may by then point elsewhere);
    None for the status if the file changed while it was read."""
    fd = _open_regular(path, follow_last=True)
    try:
        try:
            before = os.fstat(fd)
            data = _read_descriptor(fd, limit)
            after = os.fstat(fd)
        except OSError as error:
            raise Refused(f"cannot be read: {error.strerror or error}") from None
        return data, after if _state(before) == _state(after) else None
    finally:
        os.close(fd)


def open_regular(path: Path | str) -> tuple[int, os.stat_result]:
    """A descriptor open on a regular file, and its status; Refused if not. The caller
    reads it (store/stream_read.py) and closes it."""
    fd = _open_regular(path, follow_last=True)
    try:
        status = os.fstat(fd)
        _require_regular(status)
    except OSError as error:
        os.close(fd)
        raise Refused(f"cannot be read: {error.strerror or error}") from None
    except BaseException:
        os.close(fd)
        raise
    return fd, status


def same_file_state(before: os.stat_result, after: os.stat_result) -> bool:
    """Whether nothing wrote the file between the two looks at it."""
    return _state(before) == _state(after)


def _state(status: os.stat_result) -> tuple[int, ...]:
    return (
        status.st_size,
        status.st_mtime_ns,
        status.st_ctime_ns,
        status.st_ino,
        status.st_dev,
    )


def _open_regular(path: Path | str, *, follow_last: bool) -> int:
    try:
        # Looked at before opening, so that a device is never even opened (opening some,
        # a watchdog for one, has effects); the descriptor is checked again after.
        _require_regular(os.stat(path, follow_symlinks=follow_last))
        return os.open(path, _OPEN_FLAGS | (0 if follow_last else getattr(os, "O_NOFOLLOW", 0)))
    except FileNotFoundError:
        raise Refused("not found") from None
    except PermissionError:
        raise Refused("cannot be read: permission denied") from None
    except OSError as error:
        raise Refused(f"cannot be read: {error.strerror or error}") from None
    except ValueError:  # a NUL character in the name
        raise Refused("is not a usable file name") from None


def _read_descriptor(fd: int, limit: int) -> bytes:
    try:
        status = os.fstat(fd)
        _require_regular(status)
        if status.st_size > limit:
            raise TooLarge(f"is {status.st_size:,} bytes; the limit is {limit:,}")
        # The size is a hint only: the file may grow, or be a /proc file that says 0. One
        # read of the size and one byte more, then one that finds the end, as a rule.
        chunks: list[bytes] = []
        total = 0
        hinted = status.st_size + 1
        while total <= limit:
            wanted = hinted - total if total < hinted else _CHUNK
            chunk = os.read(fd, min(wanted, limit + 1 - total))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            total += len(chunk)
    except OSError as error:
        raise Refused(f"cannot be read: {error.strerror or error}") from None
    raise TooLarge(f"is more than {limit:,} bytes; the limit is {limit:,}")


def _require_regular(status: os.stat_result) -> None:
    mode = status.st_mode
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise Refused("is a directory, not a file")
    kinds = (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    what = next((name for test, name in kinds if test(mode)), "not a regular file")
    raise Refused(f"is {what}, not a regular file")


def read_store_file(store_dir: Path, relative: str, field: str, limit: int) -> str:
    """The UTF-8 text of a file that a store names, relative to the store's folder.

    The name must be relative, and the file (symlinks resolved) inside the folder, a
    regular file and at most `limit` bytes. Anything else is a StoreError naming the field
    and the name as written, never the file's contents.
    """
    shown = _shown(relative)
    if "\x00" in relative or not relative.strip():
        raise StoreError(f"{field} {shown} is not a usable file name")
    if PurePath(relative).is_absolute():
        raise StoreError(f"{field} {shown} must be a path relative to the fact store's folder")
    folder = Path(os.path.realpath(store_dir))
    target = Path(os.path.realpath(folder / relative))
    if not target.is_relative_to(folder):
        raise StoreError(f"{field} {shown} is outside the fact store's folder {store_dir}")
    try:
        data = _read_inside(target, folder, limit)
    except Refused as refused:
        raise StoreError(f"{field} {shown} {refused.reason}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise StoreError(f"{field} {shown} is not UTF-8 (byte {error.start})") from None


def _read_inside(target: Path, folder: Path, limit: int) -> bytes:
    """Read a resolved path, refusing it if what was opened is no longer inside the folder.

    The last step is opened without following a symlink; where the system shows what a
    descriptor is open on, that is checked too, so a folder on the way swapped for a
    symlink after the path was resolved is caught as well.
    """
    fd = _open_regular(target, follow_last=False)
    try:
        try:
            opened = Path(os.readlink(_PROC_FD / str(fd)))
        except OSError:
            opened = target
        if not opened.is_relative_to(folder):
            raise Refused("is outside the fact store's folder")
        return _read_descriptor(fd, limit)
    finally:
        os.close(fd)


def _shown(name: str) -> str:
    """A file name as a message shows it: quoted, and cut short if long."""
    return repr(brief(name))
