"""A large store through its index: open it if it is current and trusted, else build it,
else load.

Every run checks the index against the store file (size, mtime_ns, ctime_ns, inode,
device), the index format, the shanxi version and the package's code. Anything short of
a current, sound index means today's full load: a missing or stale index is rebuilt
from it (and the run answers from the new index), and an index that cannot be written
leaves a note, since every later run will be as slow as this one.

Trust (README, "Large stores: the index"): the cache folder and the index must be owned
by the user and writable by no one else, and the index a regular file; otherwise one
note, and the run reads the JSON. Builds of one store are serialised by an `flock` on a
lock file beside its index; a run that finds a build under way waits for its index.
"""

import os
import sqlite3
import stat
import sys
from pathlib import Path
from typing import Any

from shanxi_cli.index.format import (
    FORMAT_VERSION,
    TABLES,
    Signature,
    code_fingerprint,
    header_codec,
)
from shanxi_cli.index.indexed_store import IndexedStore
from shanxi_cli.index.location import NoCacheFolder, Say, cache_dir, index_path
from shanxi_cli.index.reader import OPEN_SECONDS, Reader, guard
from shanxi_cli.store.interface import Store
from shanxi_cli.store.json_store import JsonStore, load_store, load_store_with_status

# The first SQLite with FTS5's trigram tokenizer (entity_grams, index/word_build.py):
# with an older one every build would fail, on every run.
MINIMUM_SQLITE = (3, 34, 0)
# A build that lasts longer than this on a terminal says what it is doing.
PROGRESS_AFTER_SECONDS = 1.0
# How long a run waits for another run's build of the same store before it reads the
# JSON itself: a build of a 20,000-entity store takes about 3 s alone. Waiting wins:
# twenty first runs at once that each loaded the JSON took 34 s and 3.8 GB together;
# waiting for the one build, far less (README).
BUILD_WAIT_SECONDS = 30.0
# The flags every file in the cache is opened with: never through a symlink, never
# waiting on a FIFO, never becoming the controlling terminal.
_OPEN_FLAGS = (
    os.O_RDONLY
    | os.O_CLOEXEC
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
)


class Unusable(Exception):
    """The index is missing, stale, foreign or damaged: build another."""


class Untrusted(Exception):
    """The index or its folder could have been written by someone else: do not use it."""


def store_through_index(path: Path, say: Say) -> Store:
    """The store at `path`, answered from a current index, building one when needed."""
    if sqlite3.sqlite_version_info < MINIMUM_SQLITE:
        needed = ".".join(map(str, MINIMUM_SQLITE))
        say(
            f"note: this Python's SQLite {sqlite3.sqlite_version} cannot hold an index"
            f" ({needed} or later can); every lookup reads the whole store"
        )
        return load_store(path)
    try:
        folder = cache_dir()
    except NoCacheFolder as error:
        say(f"note: no cache folder ({error}); every lookup reads the whole store")
        return load_store(path)
    try:
        signature = Signature.of(os.stat(path))
        target = index_path(path, folder)
    except (OSError, ValueError):
        return load_store(path)  # gone since it was chosen: load_store says so as usual
    try:
        check_folder(folder)
        return open_index(target, path, signature, say)
    except Untrusted as error:
        say(f"note: the index cache is not used ({error}); reading the whole store")
        return load_store(path)
    except Unusable:
        return _build(path, target, say)


def check_folder(folder: Path) -> None:
    """Untrusted unless the folder is missing (a build creates it, 0700) or is a folder
    owned by the user that no one else may write to, as ssh and gpg require of theirs."""
    try:
        status = os.stat(folder)
    except OSError:
        return  # missing, or not reachable: a build says why it cannot write there
    if stat.S_ISDIR(status.st_mode):
        _require_own(status, f"the folder {folder}")


def _require_own(status: os.stat_result, what: str) -> None:
    if status.st_uid != os.geteuid():
        raise Untrusted(f"{what} belongs to user {status.st_uid}, not to this user")
    if status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise Untrusted(f"{what} may be written by others (mode {stat.S_IMODE(status.st_mode):o})")


def open_index(
    target: Path, store_path: Path, signature: Signature, say: Say, loaded: JsonStore | None = None
) -> IndexedStore:
    """The index at `target` if it is sound and current for the store; Unusable if not,
    Untrusted if another user could have written it.
    `loaded` is the store itself when this run has just loaded it to build the index."""
    status = _index_status(target)
    try:
        connection = sqlite3.connect(f"{target.as_uri()}?mode=ro&immutable=1", uri=True)
    except (sqlite3.Error, ValueError) as error:
        raise Unusable(str(error)) from None
    deadline = guard(connection)
    try:
        deadline.start(OPEN_SECONDS)
        connection.execute("PRAGMA trusted_schema = OFF")
        _check_schema(connection)
        meta = _current_meta(connection, store_path, signature, status)
        header = header_codec().decode(meta["header"])
    except (sqlite3.Error, OSError, ValueError, TypeError, IndexError, Unusable) as error:
        connection.close()
        raise Unusable(str(error)) from None
    reader = Reader(connection, deadline, target, store_path, signature, header, say, loaded)
    return IndexedStore(reader, header, meta["entity_count"], meta["fact_count"])


def _index_status(target: Path) -> os.stat_result:
    """The index's status, looked at through a descriptor that cannot wait or follow."""
    try:
        fd = os.open(target, _OPEN_FLAGS)
    except OSError as error:  # missing, or a symlink (ELOOP): a build replaces it
        raise Unusable(error.strerror or str(error)) from None
    try:
        status = os.fstat(fd)
    finally:
        os.close(fd)
    if not stat.S_ISREG(status.st_mode):
        raise Unusable("not a regular file")  # a FIFO, a device: a build replaces it
    _require_own(status, f"the index {target}")
    return status


def _check_schema(connection: sqlite3.Connection) -> None:
    """The tables an index is written with, as tables: a view (which may never end) or a
    trigger in their place is not an index this code wrote."""
    objects = connection.execute("SELECT type, name FROM sqlite_master").fetchall()
    if any(kind not in ("table", "index") for kind, _ in objects):
        raise Unusable("holds a view or trigger")
    if TABLES - {name for kind, name in objects if kind == "table"}:
        raise Unusable("a table is missing")


def _current_meta(
    connection: sqlite3.Connection,
    store_path: Path,
    signature: Signature,
    status: os.stat_result,
) -> dict[str, Any]:
    cursor = connection.execute("SELECT * FROM meta")
    names = [column[0] for column in cursor.description]
    rows = cursor.fetchmany(2)
    if len(rows) != 1:
        raise Unusable("no single meta row")
    meta = dict(zip(names, rows[0], strict=True))
    from shanxi_cli.version import __version__

    expected = {
        "format": FORMAT_VERSION,
        "shanxi": __version__,
        "store": os.fsencode(os.path.realpath(store_path)),
        **signature._asdict(),
    }
    for name, value in expected.items():
        if meta.get(name) != value:
            raise Unusable(f"{name} differs")
    if meta.get("code") != code_fingerprint():
        raise Unusable("written by other code")
    # A truncated file still opens; its header says how long it ought to be.
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    if pages * page_size != status.st_size:
        raise Unusable("the file is not as long as its header says")
    if not isinstance(meta.get("entity_count"), int) or not isinstance(meta.get("fact_count"), int):
        raise Unusable("the counts are not numbers")
    return meta


def _build(path: Path, target: Path, say: Say) -> Store:
    """Index the store, read record by record (index/stream_build.py), or loaded whole
    when that reader does not take it, and answer from the new index.

    The store is opened once: the index records the status of the very file its records
    were read from, so a symlink flipped mid-build cannot file one store's records under
    another's signature. One build at a time per store: a run that finds another
    building waits for it and answers from the new index, up to BUILD_WAIT_SECONDS,
    then from the JSON (measured: README, "Large stores: the index").
    """
    from shanxi_cli.index.build_lock import BuildLock

    try:
        lock = BuildLock.taken(target, BUILD_WAIT_SECONDS)
    except OSError as error:
        store = load_store(path)
        _cannot_write(say, error)
        return store
    if lock is None:  # another run's build has not ended in time
        return load_store(path)
    progress = None
    try:
        try:  # built by the run that held the lock a moment ago?
            return open_index(target, path, Signature.of(os.stat(path)), say)
        except (Unusable, Untrusted, OSError):
            pass
        progress = _progress_note(path, say)
        from shanxi_cli.index.build import RoundTripFailed, write_index
        from shanxi_cli.index.codec import UnsupportedRecord
        from shanxi_cli.index.stream_build import write_streamed_index
        from shanxi_cli.store.stream_read import NotStreamed

        loaded = None
        try:
            lock.sweep()
            try:  # read record by record, in bounded memory (index/stream_build.py)
                signature = write_streamed_index(path, target)
            except NotStreamed:  # invalid, or laid out otherwise: loaded whole, as ever
                loaded, status = load_store_with_status(path)  # invalid: the same StoreError
                if status is None:
                    say(f"note: {path} changed while it was read; it is not indexed this time")
                    return loaded
                signature = Signature.of(status)
                write_index(loaded, target, signature)
            # Answered from the new index as every later run will be: a loaded store
            # needs no name index or search corpus of its own for this run.
            return open_index(target, path, signature, say, loaded=loaded)
        except (Unusable, Untrusted):
            pass  # the store changed since it was read, or the index was replaced
        except (OSError, sqlite3.Error) as error:
            # Loaded first: an invalid store is refused as such, with no note before.
            loaded = loaded if loaded is not None else load_store(path)
            _cannot_write(say, error)
        except (UnsupportedRecord, RoundTripFailed, ValueError) as error:
            loaded = loaded if loaded is not None else load_store(path)
            say(f"note: this store cannot be indexed ({error}); every lookup reads it whole")
        return loaded if loaded is not None else load_store(path)
    finally:
        lock.release()
        if progress is not None:
            progress.cancel()


def _cannot_write(say: Say, error: Exception) -> None:
    reason = getattr(error, "strerror", None) or str(error)
    try:
        where = f" in {cache_dir()}"
    except NoCacheFolder:
        where = ""
    say(
        f"note: cannot write an index{where} ({reason}); every lookup reads the"
        " whole store (--no-cache or SHANXI_NO_CACHE=1 skip this)"
    )


def _progress_note(path: Path, say: Say) -> Any:
    if not sys.stderr.isatty():
        return None
    import threading

    timer = threading.Timer(
        PROGRESS_AFTER_SECONDS,
        say,
        (f"note: indexing {path} for faster lookups; this happens once per change to it",),
    )
    timer.daemon = True
    timer.start()
    return timer
