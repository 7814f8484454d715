"""Reading article files and cleaning site boilerplate out of them, keeping exact offsets into the original."""

from __future__ import annotations

import codecs
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import injection
from .spans import Span

SUFFIXES = (".txt", ".md")
# Bumped when the cleaning rules change what is kept: the index re-chunks files cleaned by older rules (text
# that did not change keeps its chunk and vector), so nothing an older rule let through stays indexed.
CLEANING_VERSION = "2"  # 2: lines addressing an AI are left out

# A line that starts the site furniture at the end of an article: it and everything after it is dropped.
_TAIL_START = re.compile(
    r"^(Die Wiedergabe wurde unterbrochen\.?|Merkliste|Jetzt anmelden|Mehrfachnutzung erkannt"
    r"|Sie haben noch kein \S+-Konto\b.*|Zur Startseite|Mehr zum Thema|Lesen Sie auch:?)$",
    re.IGNORECASE,
)
# Single lines that are never article text, with the reason logged when one is removed.
_LINE_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "paywall/login",
        re.compile(
            r"(SPIEGEL\+|SPIEGEL-Konto|Jetzt registrieren|Jetzt abonnieren|Zu unseren Angeboten"
            r"|Artikel (verschenken|merken)|Anmelden|Abo abschließen|Newsletter)",
            re.I,
        ),
    ),
    ("video player", re.compile(r"^Video\b.*\b\d{1,2}:\d{2}\s*min\b", re.I)),
    ("photo credit", re.compile(r"^(Foto|Fotos|Bild|Quelle|Credit)\s*:.{0,80}$", re.I)),
    (
        "photo credit",
        re.compile(
            r"^[\w .,'’-]{2,60}\s/\s(AP|AFP|dpa|Reuters|Getty Images|imago[\w ]*|picture alliance[\w ]*|EPA|ddp)$", re.I
        ),
    ),
    ("copyright line", re.compile(r"^©\s?\S.{0,60}$")),
]
# "mes/dpa/AFP": author initials and news agencies; kept as metadata, never as text.
_AGENCY_LINE = re.compile(r"^(?:[a-zäöü]{2,4}/)*(?:dpa|afp|ap|reuters|kna|epd|rnd|sid|apa|ddp)(?:/[A-Za-z]+)*$", re.I)
_KNOWN_AGENCIES = {"dpa", "afp", "ap", "reuters", "kna", "epd", "rnd", "sid", "apa", "ddp"}


@dataclass(frozen=True)
class Removed(Span):
    """Boilerplate taken out of a file before indexing, and why."""

    reason: str
    text: str


@dataclass
class Article:
    source: str
    path: Path
    text: str  # the whole decoded file: every offset points into it
    encoding: str
    segments: list[Span]  # the kept lines of article text
    removed: list[Removed] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)

    @property
    def file_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

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


def _lines(text: str):
    """(start, end) of each line without its line break."""
    start = 0
    for match in re.finditer(r"\r\n|\n|\r", text):
        yield start, match.start()
        start = match.end()
    if start < len(text):
        yield start, len(text)


def clean(source: str, path: Path, text: str, encoding: str) -> Article:
    article = Article(source=source, path=path, text=text, encoding=encoding, segments=[])
    lines = []
    for start, end in _lines(text):
        # Offsets of the stripped line, so a citation never starts or ends in whitespace.
        raw = text[start:end]
        lead = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        if stripped:
            lines.append((start + lead, start + lead + len(stripped), stripped))

    tail_at = next((i for i, (_, _, line) in enumerate(lines) if _TAIL_START.match(line)), None)
    if tail_at is not None:
        tail = lines[tail_at:]
        article.removed.append(Removed(tail[0][0], tail[-1][1], "paywall/site tail", text[tail[0][0] : tail[-1][1]]))
        lines = lines[:tail_at]

    # Text that speaks to an AI is never article text, whatever else it looks like (a caption, a comment).
    planted = set(injection.flag_lines(text, [Span(start, end) for start, end, _ in lines]))
    # A line printed twice is a photo caption repeated by the page layout, not article text.
    counts = Counter(line for _, _, line in lines)
    previous_removed_reason = None
    for number, (start, end, line) in enumerate(lines):
        reason = None
        if number in planted:
            reason = injection.REASON
        elif _AGENCY_LINE.match(line):
            reason = "agency tag"
            article.agencies.extend(part.lower() for part in line.split("/") if part.lower() in _KNOWN_AGENCIES)
        elif counts[line] > 1 and len(line) < 300:
            reason = "repeated caption"
        else:
            reason = next((name for name, pattern in _LINE_RULES if pattern.search(line)), None)
        # The line right after "Foto:" is its credit, whatever form it takes, as long as it is short.
        if reason is None and previous_removed_reason == "photo credit" and len(line) < 60 and not line.endswith("."):
            reason = "photo credit"
        if reason:
            article.removed.append(Removed(start, end, reason, line))
        else:
            article.segments.append(Span(start, end))
        previous_removed_reason = reason
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
    article = clean(path.name, path, text, encoding)
    if not article.segments:
        what = "instructions to an AI" if article.flagged else "boilerplate"
        return Skipped(path, f"no article text left after removing {what}")
    return article


def find_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
    )
