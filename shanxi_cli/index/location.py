"""Whether a store is read through an index, and where that index lives.

Deliberately free of heavy imports: every lookup asks these questions, and the bundled
store (far below the threshold) must not pay for sqlite3 or anything else to hear "no".
"""

import os
import sys
from pathlib import Path

NO_CACHE_ENV_VAR = "SHANXI_NO_CACHE"
THRESHOLD_ENV_VAR = "SHANXI_INDEX_THRESHOLD"
# Stores smaller than this are read whole: parsing them costs less than a process start,
# and the bundled store stays on the path that writes nothing.
DEFAULT_THRESHOLD_BYTES = 4 * 1024 * 1024
APP_FOLDER = "shanxi"
INDEX_SUFFIX = ".sqlite3"


def cache_disabled(flag: bool) -> bool:
    """--no-cache, or $SHANXI_NO_CACHE set to anything but empty or 0."""
    return flag or os.environ.get(NO_CACHE_ENV_VAR, "") not in ("", "0")


def index_threshold() -> int:
    """The store size from which an index is used; $SHANXI_INDEX_THRESHOLD overrides it."""
    text = os.environ.get(THRESHOLD_ENV_VAR, "").strip()
    return int(text) if text.isdigit() else DEFAULT_THRESHOLD_BYTES


def wants_index(store_size: int, no_cache: bool) -> bool:
    return not cache_disabled(no_cache) and store_size >= index_threshold()


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/shanxi, else the platform's per-user cache folder."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # the XDG spec: a relative value is to be ignored
        return Path(xdg) / APP_FOLDER
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / APP_FOLDER / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / APP_FOLDER
    return Path.home() / ".cache" / APP_FOLDER


def index_path(store_path: Path) -> Path:
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
    return cache_dir() / f"{stem}-{digest:016x}{INDEX_SUFFIX}"


_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_64_BITS = (1 << 64) - 1


def note(message: str) -> None:
    """One line on stderr about the index; paths in it shown with control characters escaped."""
    shown = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in message)
    sys.stderr.write(f"shanxi: note: {shown}\n")
    sys.stderr.flush()
