"""The corpus as a library: what is in it (titles, chunks, cleaning, wire copies), adding uploaded files
with the same checks indexing applies, and removing an article together with its chunks."""

from __future__ import annotations

import os
import shutil
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import injection
from .clusters import Cluster, cluster_articles
from .errors import AssistantError
from .ingest import SUFFIXES, Article, Removed, Skipped, find_files, read_article
from .store import ChunkStore


@dataclass
class Entry:
    source: str
    title: str
    chunks: int  # 0: in the folder but not (yet) in the index
    removed: list[Removed] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    problem: str = ""  # why the file is not indexed, or that the index holds chunks of a file that is gone

    @property
    def flagged(self) -> list[Removed]:
        """Lines kept out of the index because they address an AI or give it orders."""
        return [r for r in self.removed if r.reason == injection.REASON]

    @property
    def removed_summary(self) -> str:
        """ "paywall/site tail, 2× photo credit": what cleaning took out, by reason."""
        counts = Counter(r.reason for r in self.removed)
        return ", ".join(reason if n == 1 else f"{n}× {reason}" for reason, n in counts.items())


@dataclass
class Library:
    entries: list[Entry]
    clusters: list[Cluster]  # wire copies only: clusters of two or more articles

    @property
    def stories(self) -> int:
        """Independent stories: wire copies of one report count once."""
        articles = sum(1 for e in self.entries if e.chunks)
        return articles - sum(len(c.sources) - 1 for c in self.clusters)


@dataclass
class Upload:
    name: str
    error: str = ""  # empty when the file was added


def files_by_name(folder: Path) -> dict[str, Path]:
    """Citations and the index name a file by its name alone, which indexing keeps unique in the folder."""
    return {path.name: path for path in find_files(folder)} if folder.is_dir() else {}


def read_library(folder: Path, store: ChunkStore | None, max_file_bytes: int) -> Library:
    counts = Counter(c.source for c in store.all_chunks()) if store is not None else Counter()
    entries: list[Entry] = []
    indexed: list[Article] = []
    for name, path in files_by_name(folder).items():
        article = read_article(path, max_file_bytes)
        if isinstance(article, Skipped):
            entries.append(Entry(name, name, counts.pop(name, 0), problem=f"not indexed: {article.reason}"))
            continue
        chunks = counts.pop(name, 0)
        if chunks:
            indexed.append(article)
        entries.append(
            Entry(
                name,
                article.title,
                chunks,
                article.removed,
                sorted(set(article.agencies)),
                problem="" if chunks else "not indexed yet: sync the folder",
            )
        )
    for name, chunks in counts.items():
        entries.append(Entry(name, name, chunks, problem="file is gone; sync the folder to drop its chunks"))
    clusters = [c for c in cluster_articles(indexed) if c.is_wire_copy]
    return Library(sorted(entries, key=lambda e: e.source), clusters)


# Longest file name kept for an upload, in characters; a longer stem is cut (file systems allow 255 bytes).
MAX_NAME = 120


def upload_name(name: str) -> str:
    """The name an upload is stored under: one plain file name in the corpus folder. Path separators and
    control characters become "_", the text is NFC (one form of "ü"), and an over-long stem is cut."""
    name = unicodedata.normalize("NFC", name)
    name = "".join("_" if char in "/\\" or unicodedata.category(char)[0] == "C" else char for char in name).strip()
    stem, suffix = os.path.splitext(name)
    if len(name) > MAX_NAME:
        name = stem[: MAX_NAME - len(suffix)].rstrip() + suffix
    return name


def check_upload(path: Path, folder: Path, max_file_bytes: int) -> Article | str:
    """The upload as an Article, or why it cannot join the library (the folder is not touched either way)."""
    name = upload_name(path.name)
    if os.path.splitext(name)[1].lower() not in SUFFIXES:
        return f"{name}: only .txt and .md files (or saved .html pages) can be added"
    if name.startswith("."):
        return f"{name}: hidden files are not indexed; rename it"
    existing = files_by_name(folder)
    if name in existing:
        return f"{name}: a file of that name is already in the library; rename it or remove the old one first"
    article = read_article(path, max_file_bytes)
    if isinstance(article, Skipped):
        return f"{name}: {article.reason}"
    for other_name, other in existing.items():
        if other.stat().st_size == path.stat().st_size and other.read_bytes() == path.read_bytes():
            return f"{name}: the same text is already in the library as {other_name}"
    return article


def add_uploads(paths: Sequence[Path], folder: Path, max_file_bytes: int) -> tuple[list[Path], list[Upload]]:
    """Copies the files that pass check_upload into the folder; returns the copies and a verdict per file."""
    added: list[Path] = []
    verdicts: list[Upload] = []
    for path in paths:
        checked = check_upload(path, folder, max_file_bytes)
        if isinstance(checked, str):
            verdicts.append(Upload(path.name, checked))
            continue
        target = folder / upload_name(path.name)
        if target.resolve().parent != folder.resolve():  # never write outside the corpus folder
            verdicts.append(Upload(path.name, f"{path.name}: not a plain file name; rename it"))
            continue
        shutil.copyfile(path, target)
        added.append(target)
        verdicts.append(Upload(target.name))
    return added, verdicts


def remove_article(source: str, folder: Path, store: ChunkStore | None) -> int:
    """Deletes the file and its chunks; returns how many chunks went. Unknown names change nothing."""
    path = files_by_name(folder).get(source)
    chunk_ids = [c.id for c in store.all_chunks() if c.source == source] if store is not None else []
    if path is None and not chunk_ids:
        raise AssistantError(f"{source} is not in the library")
    if store is not None:
        store.delete(chunk_ids)
    if path is not None:
        path.unlink()
    return len(chunk_ids)
