"""A large store through its index: open it if it is current, else build it, else load.

Every run checks the index against the store file (size, mtime_ns, ctime_ns, inode,
device), the index format, the shanxi version and the package's code. Anything short of
a current, sound index means today's full load: a missing or stale index is rebuilt
from it (and the run answers from the new index), and an index that cannot be written
leaves a note on stderr, since every later run will be as slow as this one.
"""

import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

from shanxi_cli.index.format import FORMAT_VERSION, Signature, code_fingerprint, header_codec
from shanxi_cli.index.indexed_store import IndexedStore
from shanxi_cli.index.location import cache_dir, index_path, note
from shanxi_cli.index.reader import Reader
from shanxi_cli.store.interface import Store
from shanxi_cli.store.json_store import JsonStore, load_store

# A build that lasts longer than this on a terminal says what it is doing.
PROGRESS_AFTER_SECONDS = 1.0


class Unusable(Exception):
    """The index is missing, stale, foreign or damaged: build another."""


def store_through_index(path: Path) -> Store:
    """The store at `path`, answered from a current index, building one when needed."""
    try:
        signature = Signature.of(os.stat(path))
    except OSError:
        return load_store(path)  # gone since it was chosen: load_store says so as usual
    try:
        target = index_path(path)
    except (RuntimeError, KeyError) as error:  # no home folder to hold a cache
        note(f"no cache folder ({error}); every lookup reads the whole store")
        return load_store(path)
    try:
        return open_index(target, path, signature)
    except Unusable:
        return _build(path, target, signature)


def open_index(
    target: Path, store_path: Path, signature: Signature, loaded: JsonStore | None = None
) -> IndexedStore:
    """The index at `target` if it is sound and current for the store; Unusable if not.
    `loaded` is the store itself when this run has just loaded it to build the index."""
    try:
        connection = sqlite3.connect(f"{target.as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as error:
        raise Unusable(str(error)) from None
    try:
        connection.execute("PRAGMA trusted_schema = OFF")
        meta = _current_meta(connection, target, store_path, signature)
        header = header_codec().decode(meta["header"])
    except (sqlite3.Error, OSError, ValueError, TypeError, IndexError, Unusable) as error:
        connection.close()
        raise Unusable(str(error)) from None
    reader = Reader(connection, target, store_path, signature, loaded)
    return IndexedStore(reader, header, meta["entity_count"], meta["fact_count"])


def _current_meta(
    connection: sqlite3.Connection, target: Path, store_path: Path, signature: Signature
) -> dict[str, Any]:
    cursor = connection.execute("SELECT * FROM meta")
    names = [column[0] for column in cursor.description]
    rows = cursor.fetchall()
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
    if pages * page_size != os.stat(target).st_size:
        raise Unusable("the file is not as long as its header says")
    return meta


def _build(path: Path, target: Path, signature: Signature) -> Store:
    """Load the store in full, as every run did before indexes, and index it for the next."""
    progress = _progressnote(path)
    try:
        store = load_store(path)  # invalid: the same StoreError as without an index
        if Signature.of(os.stat(path)) != signature:
            note(f"{path} changed while it was read; it is not indexed this time")
            return store
        from shanxi_cli.index.build import RoundTripFailed, write_index
        from shanxi_cli.index.codec import UnsupportedRecord

        try:
            write_index(store, target, signature)
            # Answered from the new index as every later run will be: the loaded store
            # needs no name index or search corpus of its own for this run.
            return open_index(target, path, signature, loaded=store)
        except Unusable:
            pass  # replaced at once by another run's: the store just loaded answers
        except (OSError, sqlite3.Error) as error:
            reason = getattr(error, "strerror", None) or str(error)
            note(
                f"cannot write an index in {cache_dir()} ({reason}); every lookup reads the"
                " whole store (--no-cache or SHANXI_NO_CACHE=1 skip this)"
            )
        except (UnsupportedRecord, RoundTripFailed, ValueError) as error:
            note(f"this store cannot be indexed ({error}); every lookup reads it whole")
        return store
    finally:
        if progress is not None:
            progress.cancel()


def _progressnote(path: Path) -> Any:
    if not sys.stderr.isatty():
        return None
    import threading

    timer = threading.Timer(
        PROGRESS_AFTER_SECONDS,
        note,
        (f"indexing {path} for faster lookups; this happens once per change to it",),
    )
    timer.daemon = True
    timer.start()
    return timer
