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
from .ingest import CLEANING_VERSION, Article, Skipped, find_files, read_article
from .language import detect
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
    flagged: dict[str, int] = field(default_factory=dict)  # file: lines left out as instructions to an AI
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
    language = detect(" ".join(article.text[s.start : s.end] for s in article.segments)[:3000])
    return [
        StoredChunk(
            source=c.source,
            start=c.start,
            end=c.end,
            text=c.text,
            file_hash=article.file_hash,
            n_chunks=len(chunks),
            title=article.title,
            date=article.date,
            date_from=article.date_from,
            language=language,
            path=str(article.path.resolve()),
            cleaning=CLEANING_VERSION,
            flagged=len(article.flagged),
        )
        for c in chunks
    ]


@dataclass
class _Change:
    path: Path
    wanted: list[StoredChunk]
    existing: list[StoredChunk]

    @property
    def new(self) -> list[StoredChunk]:
        have = {c.id for c in self.existing}
        return [c for c in self.wanted if c.id not in have]


class _Batches:
    """New chunks of several files are embedded together (the embedder is fastest on full batches), and each
    batch is committed as soon as it is embedded, so a kill loses at most one batch. A file is finished (its
    stale chunks deleted, its metadata moved on) once all its new chunks are in. A file cut off half-way has
    fewer chunks than its n_chunks says: the next run finishes it, embedding only what is still missing."""

    def __init__(self, store: ChunkStore, embedder: Embedder, report: IndexReport, size: int):
        self.store, self.embedder, self.report, self.size = store, embedder, report, size
        self.open: list[tuple[_Change, set[str]]] = []  # files with the ids of their chunks still to commit
        self.todo: list[StoredChunk] = []

    def add(self, change: _Change) -> None:
        new = change.new
        self.open.append((change, {c.id for c in new}))
        self.todo.extend(new)
        while len(self.todo) >= self.size:
            self._commit(self.size)

    def flush(self) -> None:
        while self.todo:
            self._commit(self.size)
        self._finish()

    def _commit(self, size: int) -> None:
        batch, self.todo = self.todo[:size], self.todo[size:]
        # Texts the index has a vector for already (wire copies, moved paragraphs) are not embedded again.
        vectors = self.store.embeddings_by_text_hash([c.text_hash for c in batch])
        # A wire copy's text keeps the vector it was embedded with under its first copy's headline.
        missing = {c.text_hash: c for c in batch if c.text_hash not in vectors}
        if missing:
            texts, titles = [c.text for c in missing.values()], [c.title for c in missing.values()]
            vectors.update(zip(missing, self.embedder.embed_documents(texts, titles)))
            self.report.embedded += len(missing)
        self.store.add(batch, np.stack([vectors[c.text_hash] for c in batch]))
        self.report.chunks_added += len(batch)
        committed = {c.id for c in batch}
        for _, waiting in self.open:
            waiting -= committed
        self._finish()

    def _finish(self) -> None:
        for change, waiting in self.open:
            if not waiting:
                _finish_file(self.store, change, self.report)
        self.open = [(change, waiting) for change, waiting in self.open if waiting]


def sync_folder(
    folder: Path,
    store: ChunkStore,
    embedder: Embedder,
    settings: Settings,
    *,
    progress: Progress | None = None,
) -> IndexReport:
    """Bring the index in line with the folder. Unchanged files cost no model call; new chunks are committed
    in batches of settings.index_batch as they are embedded, and a file's stale chunks go once its new ones are
    in, so an interrupted run leaves a usable index and the next run continues where it stopped."""
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

    batches = _Batches(store, embedder, report, settings.index_batch)
    for number, path in enumerate(files, 1):
        if progress:
            progress(number, len(files), path.name)
        article = read_article(path, settings.max_file_bytes)
        if isinstance(article, Skipped):
            report.skipped.append(article)
            continue
        if article.flagged:
            report.flagged[path.name] = len(article.flagged)
        if article.encoding != "utf-8":
            report.notes.append(f"{path.name}: not valid UTF-8, decoded as {article.encoding}")
        existing = by_source.pop(path.name, [])
        if (
            existing
            and all(c.file_hash == article.file_hash and c.cleaning == CLEANING_VERSION for c in existing)
            and len(existing) == existing[0].n_chunks
        ):
            report.unchanged.append(path.name)
            continue
        batches.add(_Change(path, stored_chunks_for(article, settings), existing))
    batches.flush()

    # Whatever is left in by_source has no file in the folder any more, or is now skipped as bad.
    for source, chunks in by_source.items():
        store.delete([c.id for c in chunks])
        report.chunks_deleted += len(chunks)
        report.removed_files.append(source)
    lexical.refresh(store)  # so the next process's first query loads BM25 instead of building it
    return report


def _finish_file(store: ChunkStore, change: _Change, report: IndexReport) -> None:
    # A chunk whose text and place are unchanged keeps its id and vector; only its file hash moves on.
    have = {c.id for c in change.existing}
    store.update_metadata([c for c in change.wanted if c.id in have])
    wanted_ids = {c.id for c in change.wanted}
    stale = [c.id for c in change.existing if c.id not in wanted_ids]
    store.delete(stale)
    report.chunks_deleted += len(stale)
    report.indexed.append(change.path.name)
