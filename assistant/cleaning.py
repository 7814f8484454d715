"""What on a saved news page is site furniture rather than article text, decided line by line from features any
news site shares (de/en/fr/es): navigation and section trails, read/listen/share/comment counters, audio and
AI-voice notices, cookie, newsletter and subscription text, "read more" teasers and the lists under them, ads,
photo credits in their many formats and the captions printed with them, pasted tweets, bylines and datelines that
only name an agency, and mastheads (the outlet's name, from the file name or from a line several articles of the
folder share).

Every rule is judged on the 48 articles of evals/corpus (`bench/labels.py`): it must remove furniture there without
taking article text (target: at most 1% of text lines). A rule is a feature of furniture in general, never the
wording of one page. Removed lines are logged with the rule's name (Article.removed), so the library view and the
source panel show what went and why."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from .dates import find_dates
from .errors import AssistantError
from .text import containment, shingles, unaccented

# A line that starts the site furniture at the end of an article: it and everything after it is dropped.
TAIL_START = re.compile(
    r"^(Die Wiedergabe wurde unterbrochen\.?|Merkliste|Jetzt anmelden|Mehrfachnutzung erkannt"
    r"|Sie haben noch kein \S+-Konto\b.*|Zur Startseite)$",
    re.IGNORECASE,
)
# "mes/dpa/AFP", "— AFP", "(dpa)", "By AFP", "Von dpa", "Kiew/Cherson (dpa) -": author initials, agencies and a
# dateline with nothing after it; kept as metadata, never as text.
AGENCIES = ("dpa", "afp", "ap", "reuters", "kna", "epd", "rnd", "sid", "apa", "ddp", "efe", "ansa", "anp", "tass")
_AGENCY = "(?:" + "|".join(AGENCIES) + ")"
_DATELINE = rf"(?:[A-ZÄÖÜ][\w-]+/?)+\s+\({_AGENCY}(?:/{_AGENCY})*\)"
AGENCY_LINE = re.compile(
    rf"^(?:[-–—]\s*|(?:by|von|par|por)\s+)?\(?(?:[a-zäöü]{{2,4}}/)*{_AGENCY}(?:/[A-Za-z]+)*\)?$"
    rf"|^{_DATELINE}\s*[-–—]?$",
    re.I,
)
# The dateline a wire report's first sentence opens with: "Eriwan/Baku (dpa/AFP) - Armeniens Staatspräsident ...".
DATELINE_OPENING = re.compile(rf"^{_DATELINE}\s*[-–—]\s+", re.I)

_SHORT_WORDS = 14  # furniture is short: a line of more words is article text unless a strong feature says otherwise
_SEPARATORS = re.compile(r"\s[›>|·•/–—-]\s|\s\|\s?|›")
_SENTENCE_END = re.compile(r"[.!?…:]([\"“”»«'’)*]*)$")

# Features of a whole line, whatever its length: name -> pattern.
_ANY_LENGTH: list[tuple[str, re.Pattern[str]]] = [
    ("cookie notice", re.compile(r"\bcookies?\b", re.I)),
    (
        "paywall/subscription",
        re.compile(
            r"SPIEGEL\+|SPIEGEL-Konto|Jetzt registrieren|Jetzt abonnieren|Zu unseren Angeboten|Abo abschließen"
            r"|\bfree (?:articles|preview)\b|for subscribers|\bsubscribe\b.{0,40}\b(?:access|month|week|year|free)\b"
            r"|(?:für|nur für) Abonnenten|Plus-Artikel|kostenlosen? .{0,20}Artikel|\b\d+ Wochen für\b|gratis testen"
            r"|réservé aux abonnés|abonnez-vous|exclusivo para suscriptores|suscríbete desde"
            r"|become a (?:\w+ )?member|support independent journalism|\bweiterlesen mit\b",
            re.I,
        ),
    ),
    (
        "newsletter",
        re.compile(
            r"\bnewsletter\b|\bsign up\b.{0,60}\b(?:briefing|alerts?|newsletter|inbox)\b|in your inbox"
            r"|suscríbete a nuestro boletín|inscrivez-vous à notre lettre",
            re.I,
        ),
    ),
    ("pasted post", re.compile(r"[—–-]\s*@\w+|#\w+.*#\w+.*[—–-]\s*@?\w+,\s*\d", re.I)),
    (
        "read-more teaser",
        re.compile(
            r"^\W*(?:read more|lesen sie (?:auch|mehr)|related|lee también|te puede interesar|(?:à )?lire aussi"
            r"|mehr zum thema|more on this story)\s*:",
            re.I,
        ),
    ),
    (
        "photo credit",
        re.compile(r"^[\[(*]*(?:foto|fotos|bild|image|imagen|photo|photograph|credit|crédit)s?\s*:.{0,250}$", re.I),
    ),
    ("video player", re.compile(r"^Video\b.*\b\d{1,2}:\d{2}\s*min\b", re.I)),
    ("AI-voice notice", re.compile(r"\baudio (?:created|generated) with AI\b|KI-generiert|voz generada", re.I)),
]
# Features that mark a line as furniture only when it is short.
_SHORT: list[tuple[str, re.Pattern[str]]] = [
    (
        "audio/listen",
        re.compile(
            r"^\W*(?:listen\b|artikel (?:anhören|vorlesen)|abspielen|audio:|escuchar|écouter)|\bpodcast\b.*\bmin\b"
            r"|artikel vorlesen lassen|\blisten to this (?:article|story)\b",
            re.I,
        ),
    ),
    (
        "reading time",
        re.compile(
            r"^(?:lesezeit|temps de lecture|lecture|reading time)\s*:?\s*\d|\b\d+\s*min(?:utes?|uten)?\.? read\b"
            r"|^\d+ min(?:utes?)? read$|lesezeit \d+ minuten",
            re.I,
        ),
    ),  # fmt: skip
    (
        "share/comment bar",
        re.compile(
            r"^\W*(?:teilen|share|compartir|partager|drucken|merken|speichern|guardar|save|copy link|kommentieren"
            r"|gefällt mir|réagir|comments?|kommentare|comentarios|commentaires|artikel teilen|diesen artikel teilen"
            r"|share this (?:article|dispatch)|\*share)\b"
            r"|\b(?:facebook|whatsapp|linkedin|e-mail|email|twitter)\b.*[|·–•,].*\b(?:x|facebook|whatsapp|linkedin"
            r"|e-mail|email|mail|threads|drucken|twitter|courriel|copy link|copier le lien)\b"
            r"|\bcomments are closed\b|kommentare sind für diesen artikel geschlossen|kommentare anzeigen",
            re.I,
        ),
    ),
    (
        "counter",
        re.compile(
            r"^\W*[\d.,]+\s*k?\s+(?:shares|comments|kommentare|commentaires|comentarios)\b|\b\d[\d.,]*\s*mal gelesen\b"
            r"|\b[\d.,]+ (?:leser|leserinnen|readers|lecteurs)\b.*\b(?:artikel|article)\b"
            r"|\b(?:artikel|article)\b.*\b[\d.,]+ (?:leser|leserinnen|readers|lecteurs)\b|\(\d+\s*(?:commentaires)?\)$"
            r"|^\W*[\d.,]+k? (?:views|aufrufe|vues)\b",
            re.I,
        ),
    ),
    (
        "read-more teaser",
        re.compile(
            r"^\W*(?:read more|lesen sie (?:auch|mehr)|mehr zum thema|more on this story|related(?: coverage)?|most read"
            r"|most popular|meistgelesen|weitere artikel|lee también|te puede interesar|à lire aussi|lire aussi"
            r"|filed under|dieser artikel ist teil|mehr aus dem ressort|das könnte sie auch interessieren)\b",
            re.I,
        ),
    ),
    ("ad", re.compile(r"^\W*(?:anzeige|advertisement|werbung|publicidad|publicité|sponsored)\b", re.I)),
    (
        "page chrome",
        re.compile(
            r"^(?:skip to (?:main )?content|menu\b|font size|schriftgröße|home$|startseite$)|\bwas this article helpful\b"
            r"|\bte ha resultado útil\b|\bartikel hilfreich\b|\bhilfreich\?",
            re.I,
        ),
    ),
    (
        "photo credit",
        re.compile(
            r"^[\[(*]*(?:foto|fotos|bild|image|imagen|photo|photograph|credit|quelle|crédit)s?\s*:"
            r"|^!\[[^\]]*\]\([^)]*\)$|\b(?:photo|foto|credit|crédit)\s*:\s*[^.]{2,60}[\])*]*$"
            r"|^\(?(?:AFP|AP|dpa|Reuters|EPA|Getty Images)\s+(?:photo|foto)\)?$|\((?:photo|foto)\s*:[^)]*\)"
            r"|^[\w .,'’-]{2,60}\s/\s(?:AP|AFP|dpa|Reuters|Getty Images|imago[\w ]*|picture alliance[\w ]*|EPA|ddp)$"
            r"|\((?:Archivbild|archive photo|file photo)[^)]*\)$",
            re.I,
        ),
    ),
    ("copyright line", re.compile(r"^©\s?\S.{0,60}$")),
]
_CREDIT_REASONS = {"photo credit", "copyright line"}
# Words of share and comment bars ("👍 215  💬 48  ↗ Teilen"): a short line of nothing else is one.
_BAR_WORDS = set(
    """teilen share compartir partager drucken merken speichern guardar save kommentieren kommentare comments
    comentarios commentaires facebook x whatsapp linkedin e-mail email mail threads twitter courriel copy link
    copier le lien print imprimir imprimer""".split()
)
# "By Jane Doe", "Von der Redaktion mit dpa": who wrote it is article metadata worth keeping, unless only an
# agency is named (AGENCY_LINE).
_BYLINE = re.compile(r"^\W*(?:by|von|por|par)\s", re.I)
_TEASER_ITEM = re.compile(r"^(?:[-•›»*]|\d+\.)\s+\S")


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str
    block: int  # lines of one block follow each other with no blank line between


def lines_of(text: str, start: int = 0) -> list[Line]:
    """The non-blank lines of text from start on, stripped, with exact offsets and their block numbers."""
    found: list[Line] = []
    block = 0
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\n|\r|$)", text[start:]):
        raw = match.group().rstrip("\r\n")
        stripped = raw.strip()
        if not stripped:
            block += 1
            if not match.group():
                break
            continue
        lead = len(raw) - len(raw.lstrip())
        at = start + match.start() + lead
        found.append(Line(at, at + len(stripped), stripped, block))
    return found


def _words(line: str) -> int:
    return len(line.split())


def _is_trail(line: str) -> bool:
    """'tagesecho.de › Ausland › Krieg in der Ukraine', 'Politik | Wirtschaft | Kultur': short parts between
    separators, no sentence; a byline or a date line ("By Jane Doe | Brussels", "2 May 2023 · 10:05") is not."""
    if _SENTENCE_END.search(line) or _words(line) > 12 or _BYLINE.match(line) or _dated(line):
        return False
    parts = [p for p in _SEPARATORS.split(line) if p.strip()]
    strong = any(mark in line for mark in ("›", "|", " > ", "•"))
    return len(parts) >= (2 if strong else 3) and all(_words(p) <= 5 for p in parts[:-1]) and _words(parts[-1]) <= 7


def _is_bar(line: str) -> bool:
    found = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)?", line.lower())
    return bool(found) and all(word in _BAR_WORDS for word in found)


def _dated(line: str) -> bool:
    return any(m.month and (m.day or m.year) for m in find_dates(line))


def is_metadata_line(line: str) -> bool:
    """A date line or a byline ("9. Februar 2023 um 12:30", "Von Lea Marquardt"): kept in the article as who wrote
    it and when, but no statement of fact to answer from."""
    return _words(line) <= 8 and not _SENTENCE_END.search(line) and bool(_BYLINE.match(line) or _dated(line))


def _squash(text: str) -> str:
    return re.sub(r"[^a-zß]", "", unaccented(text))


def outlet_names(path: Path) -> list[str]:
    """Parts of a file name that may be the outlet's name ("kakhovka-01-tagesecho.txt" -> tagesecho); whether one
    is, the article decides (a masthead line names it; article text hardly ever does)."""
    return [part for part in re.split(r"[^a-zß]+", unaccented(path.stem)) if len(part) >= 5]


def _is_masthead(line: str, outlets: Sequence[str], counts: dict[str, int]) -> bool:
    if _words(line) > 8 or _SENTENCE_END.search(line) or _BYLINE.match(line) or _dated(line):
        return False
    # The outlet's name opens it ("tagesecho.de › Ausland", "THE COASTLINE TIMES", "La Voz Atlántica · Mundo").
    squashed = _squash(line)
    bare = re.sub(r"^(?:the|la|le|el|der|die|das)", "", squashed)
    if any((squashed.startswith(name) or bare.startswith(name)) and counts[name] <= 3 for name in outlets):
        return True
    # A short line in capitals only ("NECKARBLICK", "THE HARBOUR TIMES", "MOST READ"): a masthead or a label.
    letters = re.sub(r"[^A-Za-zÄÖÜäöüß]", "", line)
    return len(letters) >= 4 and letters.isupper() and _words(line) <= 4


def furniture(
    lines: Sequence[Line], outlets: Sequence[str] = (), shared: frozenset[str] = frozenset()
) -> dict[int, str]:
    """Index of each furniture line -> the reason. outlets: file-name parts that may name the outlet; shared:
    short lines other (non-copy) articles of the folder carry too."""
    body = [_squash(line.text) for line in lines]
    counts = {name: sum(name in text for text in body) for name in outlets}
    reasons: dict[int, str] = {}
    for i, line in enumerate(lines):
        text = line.text
        short = _words(text) <= _SHORT_WORDS
        reason = next((name for name, pattern in _ANY_LENGTH if pattern.search(text)), None)
        if reason is None and short:
            reason = next((name for name, pattern in _SHORT if pattern.search(text)), None)
        if reason is None and short and _is_bar(text):
            reason = "share/comment bar"
        if reason is None and _is_trail(text):
            reason = "navigation trail"
        if reason is None and _is_masthead(text, outlets, counts):
            reason = "masthead"
        if reason is None and text in shared and not _BYLINE.match(text):
            reason = "line shared across the site"
        if reason:
            reasons[i] = reason
    # A credit's caption stands in the credit's block ("Helfer suchen ...\nFoto: Emin Yildiz / dpa"); the line
    # right after "Foto:" is its credit, whatever form it takes.
    for i, reason in list(reasons.items()):
        if reason not in _CREDIT_REASONS:
            continue
        for j in (i - 1, i + 1, i + 2):
            if 0 <= j < len(lines) and j not in reasons and lines[j].block == lines[i].block:
                if _words(lines[j].text) <= 40:
                    reasons[j] = "photo caption"
    # Under a teaser heading ("Mehr zum Thema", "Related"), its teasers: list items, or short unfinished lines
    # in the heading's block.
    for i, reason in sorted(reasons.items()):
        if reason != "read-more teaser" or _words(lines[i].text) > 5:
            continue
        for j in range(i + 1, len(lines)):
            if j in reasons:
                continue
            item = lines[j].text
            unfinished = _words(item) <= 12 and (not _SENTENCE_END.search(item) or item.endswith("?"))
            if not (_TEASER_ITEM.match(item) or (unfinished and lines[j].block == lines[i].block)):
                break
            reasons[j] = "read-more teaser"
    return reasons


def agencies_in(line: str) -> list[str]:
    return [word for word in re.findall(r"[a-z]+", line.lower()) if word in AGENCIES]


def _texts(folder: Path, suffixes: Iterable[str]) -> list[tuple[str, str]]:
    found = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix.lower() in suffixes and not path.name.startswith("."):
            try:
                found.append((path.name, path.read_bytes().decode("utf-8", errors="replace")))
            except OSError:
                continue
    return found


@lru_cache(maxsize=8)
def _shared(folder: Path, listing: tuple, suffixes: tuple[str, ...]) -> dict[str, frozenset[str]]:
    texts = _texts(folder, suffixes)
    grams = {name: shingles(text) for name, text in texts}
    where: dict[str, set[str]] = {}
    for name, text in texts:
        for line in {line.text for line in lines_of(text)}:
            if _words(line) <= 8:
                where.setdefault(line, set()).add(name)
    shared: dict[str, set[str]] = {name: set() for name, _ in texts}
    for line, names in where.items():
        # Three articles at least: a headline also stands in another article's list of teasers.
        if len(names) < 3:
            continue
        for name in names:
            # Wire copies share their headline and text; only lines of articles that are not copies count.
            if any(other != name and containment(grams[name], grams[other]) < 0.5 for other in names):
                shared[name].add(line)
    return {name: frozenset(lines) for name, lines in shared.items()}


def shared_lines(path: Path, suffixes: tuple[str, ...]) -> frozenset[str]:
    """Short lines of this file that other articles of its folder, not copies of it, carry too ("Teilen",
    "Anzeige", the outlet's masthead): furniture of the site. Cached per folder state."""
    folder = path.parent
    try:
        listing = tuple(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.iterdir()) if p.is_file()
        )
    except OSError:
        return frozenset()
    return _shared(folder, listing, suffixes).get(path.name, frozenset())


def page_text(html: str) -> tuple[str, date | None] | None:
    """The article text of a saved web page, as trafilatura extracts it (paragraphs separated by a blank line),
    and the publication date the page's metadata gives; None when the page holds no article text."""
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise AssistantError(f"reading .html needs trafilatura ({exc}); run `bash scripts/setup.sh`") from exc
    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_precision=True)
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        return None
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    published = None
    stated = getattr(document, "date", None)
    if stated:
        try:
            published = date.fromisoformat(stated[:10])
        except ValueError:
            published = None
    return "\n\n".join(paragraphs) + "\n", published
