"""The shared vocabulary of the pipeline: where text stands in a file (spans and excerpts), the passages retrieval
hands on, the citations answers and briefings print, the one `[n]` mark that links them, and the one test of
whether anything retrieved is about the question at all."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import numpy as np


@dataclass(frozen=True)
class Span:
    """A character range [start, end) of one text."""

    start: int
    end: int


@dataclass(frozen=True)
class Excerpt:
    """Exactly the characters [start, end) of one file: file_text[start:end] == text."""

    source: str
    start: int
    end: int
    text: str

    @cached_property
    def text_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @cached_property
    def id(self) -> str:
        # Content-derived: the same text at the same place of the same file always gets the same id.
        return hashlib.sha256(f"{self.source}\0{self.start}\0{self.text}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class StoredChunk(Excerpt):
    """An indexed chunk: the excerpt and what the index keeps beside it."""

    file_hash: str = ""
    n_chunks: int = 0  # chunks of its file when it was indexed: a shortfall means an interrupted commit
    cleaning: str = ""  # the version of the cleaning rules that chose its text (ingest.CLEANING_VERSION)
    title: str = ""
    path: str = ""
    date: str = ""  # the article's publication date, ISO
    date_from: str = ""  # "text" (its date line or front matter) or "file time" (the file's mtime)
    language: str = ""  # the article's language, ISO 639-1
    flagged: int = 0  # lines of its article left out as instructions to an AI: its other claims are suspect too


@dataclass(frozen=True)
class Citation:
    """Numbered evidence as answers and briefings print it; one number may stand in several files (wire copies)."""

    n: int
    source: str
    start: int
    end: int
    quote: str
    date: str = ""  # the article's publication date, ISO


def citation(n: int, excerpt: StoredChunk) -> Citation:
    return Citation(n, excerpt.source, excerpt.start, excerpt.end, excerpt.text, excerpt.date)


@dataclass(frozen=True)
class Retrieved:
    source: str
    start: int
    end: int
    score: float


@dataclass
class Passage:
    """A retrieved chunk, with the same text in other files (wire copies) as further locations."""

    text: str
    locations: list[StoredChunk]
    score: float  # fused RRF score
    dense: float  # best cosine similarity of the question to this passage
    lexical: float  # best BM25 score
    vector: np.ndarray | None = field(default=None, repr=False)

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(loc.source for loc in self.locations))

    @property
    def flagged(self) -> bool:
        """Every file it stands in carries instructions to an AI (left out at ingest): its claims are suspect."""
        return all(loc.flagged for loc in self.locations)

    @property
    def published(self) -> date | None:
        """The publication date of the article it was found in first."""
        stamp = self.locations[0].date if self.locations else ""
        try:
            return date.fromisoformat(stamp) if stamp else None
        except ValueError:
            return None

    @property
    def dated_by_text(self) -> date | None:
        """The publication date where the article states it: "on Friday" is counted back from that date only,
        never from a file time (a copied file's mtime is the day it was copied)."""
        return self.published if self.locations and self.locations[0].date_from == "text" else None


# Below this cosine similarity of the best passage, and with no lexical match, nothing retrieved is about the
# question: answers abstain and topic briefings refuse without spending a model call.
MIN_RELEVANCE = 0.30


def is_relevant(passages: Sequence[Passage]) -> bool:
    return bool(passages) and (max(p.dense for p in passages) >= MIN_RELEVANCE or max(p.lexical for p in passages) > 0)


# The citation mark: "[1]", and as the model sometimes writes it, "[1, 2]".
MARK = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_MARK_WITH_SPACE = re.compile(r"\s*" + MARK.pattern)


def mark(numbers: Iterable[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def mark_numbers(text: str) -> list[int]:
    """Every number the marks in text cite, in order of appearance."""
    return [int(n) for group in MARK.findall(text) for n in re.split(r"\s*[,;]\s*", group)]


def strip_marks(text: str) -> str:
    return _MARK_WITH_SPACE.sub("", text).strip()


def by_number(citations: Sequence[Citation]) -> dict[int, list[Citation]]:
    """Citations grouped by their number, in order: one number may stand in several files."""
    grouped: dict[int, list[Citation]] = {}
    for citation in citations:
        grouped.setdefault(citation.n, []).append(citation)
    return grouped
