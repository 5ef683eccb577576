"""Whether a store is read through an index, and where that index lives.

Deliberately free of heavy imports: every lookup asks these questions, and the bundled
store (far below the threshold) must not pay for sqlite3 or anything else to hear "no".
"""

import os
import sys
from collections.abc import Callable
from pathlib import Path

from shanxi_cli.text.numbers import env_flag, plain_int

NO_CACHE_ENV_VAR = "SHANXI_NO_CACHE"
THRESHOLD_ENV_VAR = "SHANXI_INDEX_THRESHOLD"
# Stores smaller than this are read whole: parsing them costs less than a process start,
# and the bundled store stays on the path that writes nothing.
DEFAULT_THRESHOLD_BYTES = 4 * 1024 * 1024
APP_FOLDER = "shanxi"
INDEX_SUFFIX = ".sqlite3"


# Where a note about the index goes: the command line's Environment.say, passed down.
Say = Callable[[str], None]


class NoCacheFolder(Exception):
    """No absolute folder to keep a cache in: the index is neither read nor written."""


def cache_disabled(flag: bool) -> bool:
    """--no-cache, or $SHANXI_NO_CACHE set to anything but empty, 0, false, no or off."""
    return flag or env_flag(os.environ.get(NO_CACHE_ENV_VAR))


def index_threshold() -> int:
    """The store size from which an index is used; $SHANXI_INDEX_THRESHOLD overrides it
    when it is a number in ASCII digits ("²" and 5,000 nines are not)."""
    given = plain_int(os.environ.get(THRESHOLD_ENV_VAR))
    return DEFAULT_THRESHOLD_BYTES if given is None else given


def wants_index(store_size: int, no_cache: bool) -> bool:
    return not cache_disabled(no_cache) and store_size >= index_threshold()


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/shanxi, else the platform's per-user cache folder.

    NoCacheFolder if the folder would not be absolute: a relative or empty $HOME names
    no one's home (it would put the cache wherever the command runs, or at the root).
    """
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # the XDG spec: a relative value is to be ignored
        return Path(xdg) / APP_FOLDER
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
        if base.is_absolute():
            return base / APP_FOLDER / "Cache"
    home = os.environ.get("HOME")
    if home is not None and not os.path.isabs(home):
        raise NoCacheFolder(f"$HOME is {'empty' if not home else 'relative'}")
    try:
        found = Path.home()
    except (RuntimeError, KeyError) as error:  # no $HOME and no password entry
        raise NoCacheFolder(str(error)) from None
    if not found.is_absolute():
        raise NoCacheFolder("the home folder is not an absolute path")
    if sys.platform == "darwin":
        return found / "Library" / "Caches" / APP_FOLDER
    return found / ".cache" / APP_FOLDER


def index_path(store_path: Path, folder: Path) -> Path:
    """One index per store, named by its file name and a digest of its resolved path.

    FNV-1a rather than hashlib: importing hashlib costs more than the rest of opening
    an index. A collision is harmless: the index records the path it was built for, and
    one built for another store is rebuilt.
    """
    resolved = os.fsencode(os.path.realpath(store_path))
    digest = _FNV_OFFSET
    for byte in resolved:
        digest = ((digest ^ byte) * _FNV_PRIME) & _64_BITS
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in store_path.stem[:40])
    return folder / f"{stem}-{digest:016x}{INDEX_SUFFIX}"


_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_64_BITS = (1 << 64) - 1
