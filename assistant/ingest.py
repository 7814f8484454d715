"""Reading article files and cleaning site boilerplate out of them, keeping exact offsets into the original."""

from __future__ import annotations

import codecs
import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import cleaning, injection
from .dates import front_matter_end, publication_date
from .spans import Span

HTML_SUFFIXES = (".html", ".htm")
SUFFIXES = (".txt", ".md", *HTML_SUFFIXES)
# Bumped when the cleaning rules change what is kept: the index re-chunks files cleaned by older rules (text
# that did not change keeps its chunk and vector), so nothing an older rule let through stays indexed.
CLEANING_VERSION = "5"  # 2: lines addressing an AI are left out; 3: cleaning.py's line features; 4: chunks
# record how many lines of their article were left out as instructions to an AI; 5: and where its date came from


@dataclass(frozen=True)
class Removed(Span):
    """Boilerplate taken out of a file before indexing, and why."""

    reason: str
    text: str


@dataclass
class Article:
    source: str
    path: Path
    text: str  # the whole decoded file (of a web page: its extracted article text): every offset points into it
    encoding: str
    segments: list[Span]  # the kept lines of article text
    removed: list[Removed] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    date: str = ""  # publication date, ISO: from front matter or the date line, else the file's mtime
    date_from: str = ""  # "text" or "file time"

    @property
    def file_hash(self) -> str:
        # Of the text offsets point into: for a web page, the extracted text.
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def dated_by_text(self) -> datetime.date | None:
        """The publication date its text gives; None where only the file's time stands in, which says when the
        file was saved, not what "am Freitag" means."""
        return datetime.date.fromisoformat(self.date) if self.date and self.date_from == "text" else None

    @property
    def flagged(self) -> list[Removed]:
        """Lines left out because they address an AI or give it orders."""
        return [r for r in self.removed if r.reason == injection.REASON]

    @property
    def title(self) -> str:
        if not self.segments:
            return self.source
        first = self.segments[0]
        line = self.text[first.start : first.end]
        return line if len(line) <= 120 else line[:117].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str


_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _legacy(data: bytes) -> tuple[str, str]:
    """The encodings German web copies use; latin-1 decodes any byte string."""
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def decode(data: bytes) -> tuple[str, str]:
    """Decoded text and the encoding used: UTF-16 by its byte-order mark, UTF-8, or else line by line (a file
    pasted together from a UTF-8 and a cp1252 copy keeps both halves readable)."""
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16"), "utf-16"
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    parts, used = [], []
    for line in data.splitlines(keepends=True):
        try:
            parts.append(line.decode("utf-8"))
            encoding = "utf-8"
        except UnicodeDecodeError:
            text, encoding = _legacy(line)
            parts.append(text)
        if encoding not in used:
            used.append(encoding)
    return "".join(parts), "+".join(used)


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control > len(sample) * 0.05


def clean(source: str, path: Path, text: str, encoding: str) -> Article:
    """The article's text lines as segments and everything else as Removed, with the reason (cleaning.py)."""
    article = Article(source=source, path=path, text=text, encoding=encoding, segments=[])
    # YAML front matter is metadata (its date is the article's), never article text.
    front = front_matter_end(text)
    lines = cleaning.lines_of(text)
    if front:
        article.removed.append(Removed(lines[0].start, front, "front matter", text[lines[0].start : front]))
        lines = [line for line in lines if line.start >= front]

    tail_at = next((i for i, line in enumerate(lines) if cleaning.TAIL_START.match(line.text)), None)
    if tail_at is not None:
        tail = lines[tail_at:]
        article.removed.append(
            Removed(tail[0].start, tail[-1].end, "paywall/site tail", text[tail[0].start : tail[-1].end])
        )
        lines = lines[:tail_at]

    reasons = cleaning.furniture(lines, cleaning.outlet_names(path), cleaning.shared_lines(path, SUFFIXES))
    # Text that speaks to an AI is never article text, whatever else it looks like (a caption, a comment).
    planted = set(injection.flag_lines(text, [Span(line.start, line.end) for line in lines]))
    # A line printed twice is a photo caption repeated by the page layout, not article text.
    counts = Counter(line.text for line in lines)
    for i, line in enumerate(lines):
        reason = None
        if i in planted:
            reason = injection.REASON
        elif cleaning.AGENCY_LINE.match(line.text):
            reason = "agency tag"
            article.agencies.extend(a for a in cleaning.agencies_in(line.text) if a not in article.agencies)
        elif counts[line.text] > 1 and len(line.text) < 300:
            reason = "repeated caption"
        else:
            reason = reasons.get(i)
        if reason:
            article.removed.append(Removed(line.start, line.end, reason, line.text))
        else:
            article.segments.append(Span(line.start, line.end))
    article.removed.sort(key=lambda r: r.start)
    return article


def read_article(path: Path, max_bytes: int) -> Article | Skipped:
    """An Article, or a Skipped with a one-line reason; never raises for a bad file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Skipped(path, f"cannot read: {exc.strerror or exc}")
    if len(data) > max_bytes:
        return Skipped(path, f"too large ({len(data):,} bytes, limit {max_bytes:,})")
    if not data.strip():
        return Skipped(path, "empty file")
    if not data.startswith(_UTF16_BOMS) and _looks_binary(data):
        return Skipped(path, "binary content, not text")
    text, encoding = decode(data)
    published = None
    if path.suffix.lower() in HTML_SUFFIXES:
        # A saved web page: the article text trafilatura extracts is the file's text from here on; it is what is
        # indexed and shown, and every offset (chunks, citations) points into it, not into the HTML.
        page = cleaning.page_text(text)
        if page is None:
            return Skipped(path, "no article text found in the web page")
        text, published = page
    article = clean(path.name, path, text, encoding)
    if not article.segments:
        what = "instructions to an AI" if article.flagged else "boilerplate"
        return Skipped(path, f"no article text left after removing {what}")
    published = published or publication_date(text)
    if published is not None:
        article.date, article.date_from = published.isoformat(), "text"
    else:
        article.date, article.date_from = datetime.date.fromtimestamp(path.stat().st_mtime).isoformat(), "file time"
    return article


def find_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
    )
