"""The Chroma index: our own vectors only, cosine space, stamped with the embedder and chunker that built it."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from .errors import DiskFullError, IndexLockedError, IndexMismatchError, IndexMissingError, IndexUnreadableError
from .spans import StoredChunk

COLLECTION = "chunks"
# Changes with every write of chunks, from any process: caches of the chunks (all_chunks, the saved lexical index
# of lexical.py) compare it to tell whether they are current.
WRITE_STAMP = "write_stamp"
_BATCH = 1000


def _from_record(chunk_id: str, text: str, meta: dict) -> StoredChunk:
    chunk = StoredChunk(
        source=meta["source"],
        start=int(meta["start"]),
        end=int(meta["end"]),
        text=text,
        file_hash=meta["file_hash"],
        n_chunks=int(meta["n_chunks"]),
        title=meta.get("title", ""),
        path=meta.get("path", ""),
        date=meta.get("date", ""),
        date_from=meta.get("date_from", ""),
        language=meta.get("language", ""),
        cleaning=meta.get("cleaning", ""),
        flagged=int(meta.get("flagged", 0)),
    )
    # The id and text hash are derived from the content; the stored ones are known already.
    chunk.__dict__.update(id=chunk_id, text_hash=meta["text_hash"])
    return chunk


def _metadata(c: StoredChunk) -> dict:
    return {
        "source": c.source,
        "start": c.start,
        "end": c.end,
        "text_hash": c.text_hash,
        "file_hash": c.file_hash,
        "n_chunks": c.n_chunks,
        "title": c.title,
        "date": c.date,
        "date_from": c.date_from,
        "language": c.language,
        "path": c.path,
        "cleaning": c.cleaning,
        "flagged": c.flagged,
    }


def index_exists(index_dir: Path) -> bool:
    return (index_dir / "chroma.sqlite3").exists()


@contextmanager
def writing(index_dir: Path) -> Iterator[None]:
    """One writer at a time (an `assistant index` and the app's upload would interleave their commits). The
    lock is the kernel's, so a killed writer never leaves a stale one behind."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "unknown"
            raise IndexLockedError(
                f"the index at {index_dir} is being written by another process (pid {holder}); wait for it to "
                "finish or stop it, then run the command again"
            ) from None
        lock.truncate(0)
        lock.write(str(os.getpid()))
        lock.flush()
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _forget_client(index_dir: Path) -> None:
    """Chroma keeps one client per folder and process, holding its database open; a folder rebuilt under the
    same name needs a new one."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(str(index_dir), None)
    SharedSystemClient._identifier_to_refcount.pop(str(index_dir), None)


def _disk_full(exc: BaseException) -> bool:
    return (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or any(
        sign in str(exc).lower() for sign in ("disk is full", "no space left", "disk full")
    )


def _unreadable(index_dir: Path, exc: Exception) -> IndexUnreadableError:
    reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
    return IndexUnreadableError(
        f"the index at {index_dir} cannot be read ({reason}); run `assistant index --rebuild` to build it anew "
        "from the articles (the damaged folder is kept beside it)"
    )


def open_embedded(index_dir: Path, rebuild: bool):
    """(the Chroma client of the embedded index in index_dir, where an unreadable index was moved aside or None).
    A damaged index is reported with the --rebuild hint; asked to rebuild it, it is moved aside (never deleted)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    def client():
        opened = chromadb.PersistentClient(
            path=str(index_dir), settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        )
        if COLLECTION in {c.name for c in opened.list_collections()}:
            opened.get_collection(COLLECTION, embedding_function=None).count()
        return opened

    index_dir.mkdir(parents=True, exist_ok=True)
    try:
        return client(), None
    except Exception as exc:
        if not rebuild:
            raise _unreadable(index_dir, exc) from exc
        aside = index_dir.with_name(f"{index_dir.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
        index_dir.rename(aside)
        index_dir.mkdir()
        _forget_client(index_dir)
        return client(), aside


class ChunkStore:
    """One Chroma collection, in whichever Chroma client backends.py opened (embedded or a server); `where` names
    it in messages. Opening an index built with another embedder or chunker is refused."""

    def __init__(
        self,
        client: Any,
        where: str,
        folder: Path,
        embedder_name: str,
        chunker_id: str,
        *,
        create: bool = False,
        rebuild: bool = False,
        kept_aside: Path | None = None,
    ):
        self.where = where
        self.folder = folder  # the local index folder: what is kept beside the vectors (the lexical index)
        self.kept_aside = kept_aside  # where --rebuild moved an unreadable index
        self._client = client
        stamp = {"embedder": embedder_name, "chunker": chunker_id}
        existing = {c.name for c in self._client.list_collections()}
        if rebuild and COLLECTION in existing:
            self._client.delete_collection(COLLECTION)
            existing.discard(COLLECTION)
        if COLLECTION in existing:
            self._collection: Any = self._client.get_collection(COLLECTION, embedding_function=None)
            built = self._collection.metadata or {}
            if any(built.get(key) != value for key, value in stamp.items()):
                raise IndexMismatchError(
                    f"the index at {where} was built with embedder {built.get('embedder')!r} and chunker "
                    f"{built.get('chunker')!r}, but the settings use {embedder_name!r} and {chunker_id!r}; "
                    "run `assistant index --rebuild` to rebuild it"
                )
        elif create:
            self._collection = self._client.create_collection(
                COLLECTION,
                metadata={**stamp, WRITE_STAMP: uuid.uuid4().hex},
                configuration={"hnsw": {"space": "cosine"}},
                embedding_function=None,
            )
        else:
            raise IndexMissingError(f"the index at {where} is empty; run `assistant index` first")
        self._cache: list[StoredChunk] | None = None
        self._cache_stamp = ""

    def write_stamp(self) -> str:
        """Read afresh: another process may have written since this one opened the collection."""
        metadata = self._client.get_collection(COLLECTION, embedding_function=None).metadata or {}
        return str(metadata.get(WRITE_STAMP, ""))

    @contextmanager
    def _write(self) -> Iterator[None]:
        """A write that fails for want of space says what to free; what was committed before stays usable. Every
        write gives the collection a new stamp, so the caches of other processes notice it."""
        try:
            yield
        except Exception as exc:
            if not _disk_full(exc):
                raise
            free = shutil.disk_usage(self.folder).free
            raise DiskFullError(
                f"the disk holding {self.folder} is full ({free / 2**20:.0f} MiB free); free some space there "
                "(or point ASSISTANT_INDEX_DIR at another disk) and run `assistant index` again: it continues "
                "where it stopped"
            ) from exc
        else:
            metadata = self._client.get_collection(COLLECTION, embedding_function=None).metadata or {}
            self._collection.modify(metadata={**metadata, WRITE_STAMP: uuid.uuid4().hex})
        finally:
            self._cache = None

    def count(self) -> int:
        return self._collection.count()

    def all_chunks(self) -> list[StoredChunk]:
        """Every chunk with its text, cached until the next write from this process or another."""
        stamp = self.write_stamp()
        if self._cache is None or self._cache_stamp != stamp:
            self._cache_stamp = stamp
            chunks: list[StoredChunk] = []
            total = self._collection.count()
            for offset in range(0, total, _BATCH * 10):
                got = self._collection.get(include=["documents", "metadatas"], limit=_BATCH * 10, offset=offset)
                chunks.extend(_from_record(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"]))
            self._cache = sorted(chunks, key=lambda c: (c.source, c.start, c.id))
        return self._cache

    def get(self, ids: Sequence[str], with_embeddings: bool = False) -> tuple[list[StoredChunk], np.ndarray | None]:
        include = ["documents", "metadatas"] + (["embeddings"] if with_embeddings else [])
        got = self._collection.get(ids=list(ids), include=include)
        order = {chunk_id: n for n, chunk_id in enumerate(got["ids"])}
        chunks = [_from_record(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
        positions = [order[i] for i in ids if i in order]
        chunks = [chunks[p] for p in positions]
        vectors = np.asarray(got["embeddings"], dtype=np.float32)[positions] if with_embeddings and positions else None
        return chunks, vectors

    def embeddings_by_text_hash(self, text_hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """Vectors already stored for these texts (wire copies and moved paragraphs are not embedded twice)."""
        found: dict[str, np.ndarray] = {}
        wanted = list(dict.fromkeys(text_hashes))
        for offset in range(0, len(wanted), _BATCH):
            batch = wanted[offset : offset + _BATCH]
            got = self._collection.get(where={"text_hash": {"$in": batch}}, include=["metadatas", "embeddings"])
            for meta, vector in zip(got["metadatas"], got["embeddings"]):
                found.setdefault(meta["text_hash"], np.asarray(vector, dtype=np.float32))
        return found

    def query(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity), best first."""
        total = self.count()
        if total == 0:
            return []
        got = self._collection.query(query_embeddings=[vector.tolist()], n_results=min(n, total), include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(got["ids"][0], got["distances"][0])]

    def add(self, chunks: Sequence[StoredChunk], vectors: np.ndarray) -> None:
        if not chunks:
            return
        with self._write():
            for offset in range(0, len(chunks), _BATCH):
                batch = chunks[offset : offset + _BATCH]
                self._collection.add(
                    ids=[c.id for c in batch],
                    documents=[c.text for c in batch],
                    embeddings=vectors[offset : offset + _BATCH],
                    metadatas=[_metadata(c) for c in batch],
                )

    def update_metadata(self, chunks: Sequence[StoredChunk]) -> None:
        if not chunks:
            return
        with self._write():
            for offset in range(0, len(chunks), _BATCH):
                batch = chunks[offset : offset + _BATCH]
                self._collection.update(ids=[c.id for c in batch], metadatas=[_metadata(c) for c in batch])

    def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        with self._write():
            for offset in range(0, len(ids), _BATCH):
                self._collection.delete(ids=list(ids[offset : offset + _BATCH]))
