"""Code checks of one answer sentence against the evidence it cites, for the mistakes a small model makes while
phrasing a right fact wrongly: a number that stands in the source as something else (the day in "27. September"
read as "27 civilians"), a date or year the source does not give, a negation dropped or added, a person the
source does not name, two people's roles swapped (the one who invited made the mediator), and a figure stated
without the party that gives it. What the question itself contains (its numbers, dates and names) is not a claim
of the answer.

Each check says why a sentence fails, or nothing; the answer then falls back to the evidence sentence itself."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .briefing.speakers import find_speakers
from .chunking import split_sentences
from .dates import MONTHS, WEEKDAYS, date_spans, find_dates
from .text import STOPWORDS, number_spans, spelled_numbers, stems, words

# Negation in the languages of the corpus; its presence must agree between a sentence and its evidence.
NEGATIONS = frozenset(
    "nicht kein keine keinen keiner keinem keines nie niemals nichts weder nein not no never none nothing neither "
    "nor without ohne ne pas jamais aucun aucune rien sans ni non nunca ningún ninguna nada sin tampoco".split()
)
# Contractions carry a negation too: "didn't", "won't".
_NEGATED_CONTRACTION = re.compile(r"\w+n['’]t\b", re.I)
# Words naming a role in an event, by their stem in any of the corpus languages; the person closest to one must
# be the same in the sentence and in its evidence.
_ROLES = {
    "mediates": ("vermittl", "vermitt", "mediat", "médiat", "mediad", "mediac"),
    "invites": ("einlad", "eingelad", "lud", "invit"),
    "accuses": ("vorwurf", "vorwarf", "warf", "wirft", "beschuldig", "accus", "acus", "blam"),
    "denies": ("bestritt", "bestreit", "dementi", "démenti", "deni", "deny", "niega", "neg", "zurückgewies", "wies"),
    "orders": ("befahl", "befehl", "angeordnet", "ordnete", "order", "ordonn", "orden"),
    "proposes": ("vorschlag", "vorgeschlag", "schlug", "propos", "propus", "suggest"),
}
# Capitalised words that are no names: sentence adverbs and answer particles; and any word holding an office or
# institution ("Außenministers", "Kremlchef", "Regierung").
_NOT_NAMES = frozenset("according laut however meanwhile also but and yes no ja nein oui non sí".split())
_OFFICES = (
    "präsident", "president", "minister", "kanzler", "chancellor", "sekretär", "secretary", "sprecher", "spokes",
    "chef", "chief", "gouverneur", "governor", "bürgermeister", "mayor", "regierung", "government", "behörde",
    "authorit", "ministerium", "ministry", "armee", "army", "premier", "general", "außen", "foreign",
)  # fmt: skip
_CAPITALISED = re.compile(r"\b[A-ZÄÖÜÀ-Þ][\w’'\-]+")
# A German article or determiner before a capitalised word makes it a noun, not a name.
_DETERMINERS = frozenset(
    "der die das den dem des ein eine einer eines einem einen kein keine jede jeder jedes diese dieser dieses im "
    "am vom zum zur beim ins the".split()
)


@dataclass(frozen=True)
class Source:
    """One piece of cited evidence: its text and its article's publication date."""

    text: str
    published: date | None
    language: str


_SPELLINGS = [("dsch", "j"), ("tsch", "ch"), ("sch", "sh"), ("ph", "f"), ("ck", "k"), ("w", "v"), ("z", "s"),
              ("j", "y"), ("c", "k"), ("h", ""), ("ß", "s")]  # fmt: skip


def _skeleton(name: str) -> str:
    """A name reduced so that its German, English, French and Spanish transliterations mostly coincide."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name.lower()) if not unicodedata.combining(c))
    for spelled, sound in _SPELLINGS:
        plain = plain.replace(spelled, sound)
    return re.sub(r"(.)\1+", r"\1", plain)


def _similar(a: str, b: str) -> bool:
    """The same name, perhaps transliterated ("Lawrow"/"Lavrov", "Selenskyj"/"Zelensky")."""
    a, b = _skeleton(a), _skeleton(b)
    if a == b or (min(len(a), len(b)) > 3 and (a.startswith(b) or b.startswith(a))):
        return True
    grams = lambda w: {w[i : i + 3] for i in range(max(1, len(w) - 2))}  # noqa: E731
    own, other = grams(a), grams(b)
    return len(own & other) / min(len(own), len(other)) >= 0.5


def _counts(text: str) -> list[tuple[int, int, str]]:
    """Numbers that count something: every number outside a date."""
    dated = date_spans(text)
    return [(s, e, v) for s, e, v in number_spans(text) if not any(a <= s < b for a, b in dated)]


def _around(text: str, start: int, end: int, language: str, before: int = 4, after: int = 6) -> set[str]:
    """Stems of the words just before and after a number: what it counts."""
    return set(stems(" ".join(text[:start].split()[-before:] + text[end:].split()[:after]), language))


def number_problem(sentence: str, sources: Sequence[Source], question: str, language: str) -> str | None:
    """Each count in the sentence must stand in its evidence as a count (not inside a date); in the same language
    the word it counts must stand next to it there too ("874 Soldaten", not "874 Menschen")."""
    given = {v for _, _, v in number_spans(question)}
    for _start, end, value in _counts(sentence):
        if value in given:
            continue
        places = [(s, c) for s in sources for c in _counts(s.text) if c[2] == value]
        if not places and any(value in spelled_numbers(s.text, s.language) for s in sources):
            continue  # "six trucks": the count in words
        if not places:
            if any(v == value for s in sources for _, _, v in number_spans(s.text)):
                return f"{value} stands in its source as part of a date, not as a count"
            return f"the number {value} is not in its source"
        counted = set(stems(" ".join(sentence[end:].split()[:2]), language)) - {value}
        same_language = [(s, c) for s, c in places if s.language == language]
        if (
            counted
            and same_language
            and not any(counted & _around(s.text, c[0], c[1], language) for s, c in same_language)
        ):
            return f"{value} counts something else in its source"
    return None


# "according to the governor": the question itself asks for a claimant's figure.
_ATTRIBUTING = re.compile(r"according to|\blaut\b|nach angaben|zufolge|\bselon\b|\bsegún\b|de acuerdo con", re.I)


def claimant_problem(sentence: str, sources: Sequence[Source], question: str, language: str) -> str | None:
    """A count its evidence gives as someone's claim ("874 soldiers, the Karabakh authorities said") must name
    them, unless the question asks for someone's figure itself: contested figures stay attributed, and a figure
    stated bare is where the small model flips who said it. A described claimant ("the authorities") is compared
    only within one language."""
    given = {v for _, _, v in number_spans(question)}
    stated = {value for _, _, value in _counts(sentence)} - given
    if not stated or _ATTRIBUTING.search(question):
        return None
    for source in sources:
        for span in split_sentences(source.text):
            text = source.text[span.start : span.end]
            if not stated & {value for _, _, value in _counts(text)}:
                continue
            speaker = find_speakers([text])[0]
            if speaker is None or (not speaker.person and source.language != language):
                continue
            if not speaker.mentioned_in(sentence) and not speaker.mentioned_in(question):
                return f"it leaves out who gives the figure: {speaker.label}"
    return None


def _stated(mention, published: date | None) -> tuple[int | None, int | None, int | None]:
    day = mention.resolve(published)
    if day is not None:
        return day.year, day.month, day.day
    return mention.year, mention.month, mention.day


def date_problem(sentence: str, sources: Sequence[Source], question: str) -> str | None:
    """Every date the sentence states must agree with one its evidence states (relative dates resolved against the
    article's date) or with the article's date itself; dates the question gives are not claims."""
    asked = {(m.year, m.month, m.day) for m in find_dates(question)}
    known = []
    for source in sources:
        known += [_stated(m, source.published) for m in find_dates(source.text)]
        if source.published:
            known.append((source.published.year, source.published.month, source.published.day))
    for mention in find_dates(sentence):
        if mention.weekday is not None or mention.days_back is not None:
            continue  # a weekday in the answer restates the source's own wording
        claim = (mention.year, mention.month, mention.day)
        if claim in asked:
            continue
        if not any(all(c is None or c == k for c, k in zip(claim, other)) for other in known):
            return f"the date '{sentence[mention.start : mention.end]}' is not in its source"
    return None


def negated(text: str) -> bool:
    return bool(set(words(text)) & NEGATIONS) or bool(_NEGATED_CONTRACTION.search(text))


def negation_problem(sentence: str, sources: Sequence[Source]) -> str | None:
    mine, theirs = negated(sentence), any(negated(source.text) for source in sources)
    if mine and not theirs:
        return "it adds a negation its source does not have"
    if theirs and not mine:
        return "it drops the negation of its source"
    return None


def names(text: str, initial: bool = True) -> list[tuple[int, str]]:
    """(position, word) of the capitalised words that may be names: no office, month or function word, not a German
    noun after its article; a sentence's first word only with `initial` (in German it is as often a noun)."""
    found = []
    for match in _CAPITALISED.finditer(text):
        word, lower = match.group(0), match.group(0).lower()
        before = text[: match.start()].split()
        if not initial and (not before or before[-1].endswith((".", ":", "!", "?", '"'))):
            continue
        if lower in _NOT_NAMES or lower in STOPWORDS or lower in _DETERMINERS or lower in MONTHS or lower in WEEKDAYS:
            continue
        if any(office in lower for office in _OFFICES) or (before and before[-1].lower() in _DETERMINERS):
            continue
        found.append((match.start(), word))
    return found


def name_problem(sentence: str, sources: Sequence[Source], question: str) -> str | None:
    known = [word for text in [question, *(s.text for s in sources)] for word in re.findall(r"[\w’'\-]+", text)]
    for _, name in names(sentence):
        parts = [p for p in re.split(r"[-’']", name) if len(p) > 2] or [name]
        if not any(_similar(part, other) for part in parts for other in known if len(other) > 2):
            return f"it names {name}, which its source does not"
    return None


def _role_holders(text: str, initial: bool) -> dict[str, str]:
    """For each role word in the text, the name closest to it in its sentence."""
    holders: dict[str, str] = {}
    for span in split_sentences(text):
        sentence = text[span.start : span.end]
        people = names(sentence, initial)
        for role, prefixes in _ROLES.items():
            for match in re.finditer(r"\w+", sentence):
                if role not in holders and people and match.group(0).lower().startswith(prefixes):
                    holders[role] = min(people, key=lambda p: abs(p[0] - match.start()))[1]
    return holders


def role_problem(sentence: str, sources: Sequence[Source]) -> str | None:
    for role, holder in _role_holders(sentence, initial=True).items():
        theirs = [h for source in sources if (h := _role_holders(source.text, initial=False).get(role))]
        if theirs and not any(_similar(holder, h) for h in theirs):
            return f"it gives the role '{role}' to {holder}, its source to {theirs[0]}"
    return None


def claim_problem(sentence: str, sources: Sequence[Source], question: str, language: str) -> str | None:
    """Why the sentence says something its cited evidence does not, or None."""
    return (
        number_problem(sentence, sources, question, language)
        or date_problem(sentence, sources, question)
        or negation_problem(sentence, sources)
        or name_problem(sentence, sources, question)
        or role_problem(sentence, sources)
        or claimant_problem(sentence, sources, question, language)
    )
