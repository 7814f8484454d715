"""Incremental, idempotent indexing: the index mirrors one folder of articles."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import lexical
from .chunking import chunk_article
from .embed import Embedder
from .errors import AssistantError
from .ingest import Article, Skipped, find_files, read_article
from .settings import Settings
from .spans import StoredChunk
from .store import ChunkStore

Progress = Callable[[int, int, str], None]


@dataclass
class IndexReport:
    files_seen: int = 0
    unchanged: list[str] = field(default_factory=list)
    indexed: list[str] = field(default_factory=list)
    removed_files: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    chunks_added: int = 0
    chunks_deleted: int = 0
    embedded: int = 0

    def summary(self) -> str:
        return (
            f"{self.files_seen} files: {len(self.indexed)} indexed, {len(self.unchanged)} unchanged, "
            f"{len(self.skipped)} skipped, {len(self.removed_files)} removed; "
            f"{self.chunks_added} chunks added, {self.chunks_deleted} deleted, {self.embedded} embedded"
        )


def stored_chunks_for(article: Article, settings: Settings) -> list[StoredChunk]:
    chunks = chunk_article(article, max_tokens=settings.chunk_max_tokens, min_tokens=settings.chunk_min_tokens)
    return [
        StoredChunk(
            source=c.source,
            start=c.start,
            end=c.end,
            text=c.text,
            file_hash=article.file_hash,
            n_chunks=len(chunks),
            title=article.title,
            path=str(article.path.resolve()),
        )
        for c in chunks
    ]


# New chunks of several files are embedded together: the embedder is fastest on full batches. Files are
# still committed one by one after that, so an interrupted run loses at most one batch of work.
EMBED_BATCH = 256


@dataclass
class _Change:
    path: Path
    wanted: list[StoredChunk]
    existing: list[StoredChunk]

    @property
    def new(self) -> list[StoredChunk]:
        have = {c.id for c in self.existing}
        return [c for c in self.wanted if c.id not in have]


def sync_folder(
    folder: Path,
    store: ChunkStore,
    embedder: Embedder,
    settings: Settings,
    *,
    progress: Progress | None = None,
) -> IndexReport:
    """Bring the index in line with the folder. Unchanged files cost no model call; each file is committed
    on its own (new chunks first, then its stale ones), so an interrupted run leaves a usable index."""
    report = IndexReport()
    by_source: dict[str, list[StoredChunk]] = defaultdict(list)
    for chunk in store.all_chunks():
        by_source[chunk.source].append(chunk)

    files = find_files(folder)
    report.files_seen = len(files)
    names = [p.name for p in files]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise AssistantError(
            f"file names must be unique across subfolders (citations name the file): {sorted(duplicates)}"
        )

    pending: list[_Change] = []
    for number, path in enumerate(files, 1):
        if progress:
            progress(number, len(files), path.name)
        article = read_article(path, settings.max_file_bytes)
        if isinstance(article, Skipped):
            report.skipped.append(article)
            continue
        if article.encoding != "utf-8":
            report.notes.append(f"{path.name}: not valid UTF-8, decoded as {article.encoding}")
        existing = by_source.pop(path.name, [])
        if (
            existing
            and all(c.file_hash == article.file_hash for c in existing)
            and len(existing) == existing[0].n_chunks
        ):
            report.unchanged.append(path.name)
            continue
        pending.append(_Change(path, stored_chunks_for(article, settings), existing))
        if sum(len(change.new) for change in pending) >= EMBED_BATCH:
            _commit_all(store, embedder, pending, report)
            pending = []
    _commit_all(store, embedder, pending, report)

    # Whatever is left in by_source has no file in the folder any more, or is now skipped as bad.
    for source, chunks in by_source.items():
        store.delete([c.id for c in chunks])
        report.chunks_deleted += len(chunks)
        report.removed_files.append(source)
    lexical.refresh(store)  # so the next process's first query loads BM25 instead of building it
    return report


def _commit_all(store: ChunkStore, embedder: Embedder, changes: list[_Change], report: IndexReport) -> None:
    """Embed the new chunks of these files in one go (only texts the index has no vector for), then commit
    each file."""
    new = [c for change in changes for c in change.new]
    vectors = store.embeddings_by_text_hash([c.text_hash for c in new])
    missing = {c.text_hash: c.text for c in new if c.text_hash not in vectors}
    if missing:
        vectors.update(zip(missing, embedder.embed_documents(list(missing.values()))))
        report.embedded += len(missing)
    for change in changes:
        _commit(store, change, vectors, report)


def _commit(store: ChunkStore, change: _Change, vectors: dict[str, np.ndarray], report: IndexReport) -> None:
    new = change.new
    if new:
        store.add(new, np.stack([vectors[c.text_hash] for c in new]))
    # A chunk whose text and place are unchanged keeps its id and vector; only its file hash moves on.
    have = {c.id for c in change.existing}
    store.update_metadata([c for c in change.wanted if c.id in have])
    wanted_ids = {c.id for c in change.wanted}
    stale = [c.id for c in change.existing if c.id not in wanted_ids]
    store.delete(stale)
    report.chunks_added += len(new)
    report.chunks_deleted += len(stale)
    report.indexed.append(change.path.name)
