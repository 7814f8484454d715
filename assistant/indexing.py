"""Incremental, idempotent indexing: the index mirrors one folder of articles."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from .chunking import chunk_article
from .embed import Embedder
from .errors import AssistantError
from .ingest import Article, Skipped, find_files, read_article
from .store import ChunkStore, StoredChunk

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


def stored_chunks_for(article: Article, max_tokens: int, min_tokens: int) -> list[StoredChunk]:
    chunks = chunk_article(article, max_tokens=max_tokens, min_tokens=min_tokens)
    return [
        StoredChunk(
            id=c.id, text=c.text, source=c.source, start=c.start, end=c.end, text_hash=c.text_hash,
            file_hash=article.file_hash, n_chunks=len(chunks), title=article.title, path=str(article.path.resolve()),
        )
        for c in chunks
    ]


def sync_folder(
    folder: Path,
    store: ChunkStore,
    embedder: Embedder,
    *,
    max_tokens: int,
    min_tokens: int,
    max_file_bytes: int,
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
        raise AssistantError(f"file names must be unique across subfolders (citations name the file): {sorted(duplicates)}")

    for number, path in enumerate(files, 1):
        if progress:
            progress(number, len(files), path.name)
        article = read_article(path, max_file_bytes)
        if isinstance(article, Skipped):
            report.skipped.append(article)
            continue
        if article.encoding != "utf-8":
            report.notes.append(f"{path.name}: not valid UTF-8, decoded as {article.encoding}")
        existing = by_source.pop(path.name, [])
        if existing and all(c.file_hash == article.file_hash for c in existing) and len(existing) == existing[0].n_chunks:
            report.unchanged.append(path.name)
            continue
        wanted = stored_chunks_for(article, max_tokens, min_tokens)
        have = {c.id for c in existing}
        new = [c for c in wanted if c.id not in have]
        if new:
            report.embedded += _add_with_embeddings(store, embedder, new)
        # A chunk whose text and place are unchanged keeps its id and vector; only its file hash moves on.
        store.update_metadata([c for c in wanted if c.id in have])
        wanted_ids = {c.id for c in wanted}
        stale = [c.id for c in existing if c.id not in wanted_ids]
        store.delete(stale)
        report.chunks_added += len(new)
        report.chunks_deleted += len(stale)
        report.indexed.append(path.name)

    # Whatever is left in by_source has no file in the folder any more, or is now skipped as bad.
    for source, chunks in by_source.items():
        store.delete([c.id for c in chunks])
        report.chunks_deleted += len(chunks)
        report.removed_files.append(source)
    return report


def _add_with_embeddings(store: ChunkStore, embedder: Embedder, chunks: list[StoredChunk]) -> int:
    """Add chunks, embedding only texts the index has no vector for yet; returns how many were embedded."""
    known = store.embeddings_by_text_hash([c.text_hash for c in chunks])
    missing = list(dict.fromkeys(c.text for c in chunks if c.text_hash not in known))
    if missing:
        vectors = embedder.embed_documents(missing)
        fresh = dict(zip(missing, vectors))
    else:
        fresh = {}
    matrix = np.stack([known[c.text_hash] if c.text_hash in known else fresh[c.text] for c in chunks])
    store.add(chunks, matrix)
    return len(missing)
