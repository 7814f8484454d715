"""Language-neutral text helpers shared by retrieval, citation checks and briefings."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"\w+", re.UNICODE)
# A number with thousands separators: "5.000", "5,000", "5 000".
THOUSANDS = r"\d{1,3}(?:[.,\u202f\u00a0 ]\d{3})+"
# Thousands separators or a decimal ("1,5", "2.5"), or a plain integer.
_NUMBER = re.compile(rf"(?<![\w.,])({THOUSANDS}|\d+(?:[.,]\d+)?)(?![\d])")

STOPWORDS = frozenset(
    """
    der die das den dem des ein eine einer eines einem einen und oder aber auch als an auf aus bei bis durch für
    gegen in im ins mit nach seit über um unter von vom vor zu zum zur ist sind war waren wird werden wurde wurden
    hat haben hatte hatten sei seien es er sie ihr ihre ihren ihrem sich nicht noch nur schon so wie was wer wo
    wann warum welche welcher welches dass daß man mehr sehr bereits dabei damit dies diese dieser dieses denn
    laut sagte sagt hier dort kein keine
    the a an and or but of to in on at by for from with as is are was were be been being has have had it its this
    that these those which who whom whose what when where why how not no than then there their they he she his her
    according said says did does do about into over after before
    le la les un une des du de et ou mais est sont était ont été il elle ils elles que qui quoi dont où pour par
    avec sur dans au aux ce cette ces son sa ses leur leurs selon pas ne plus
    el los las una unos unas del al y o pero es son fue fueron ha han había que quien cual donde por para con
    sobre en su sus lo según
    """.split()
)
# Snowball stemmers by ISO 639-1 code; other languages get the words as they are.
_STEMMERS = {
    "de": "german", "en": "english", "fr": "french", "es": "spanish", "it": "italian", "nl": "dutch",
    "pt": "portuguese", "ru": "russian", "tr": "turkish",
}  # fmt: skip
# A sentence that leans on the one before it for who or what it is about ("Dabei starben ...", "He said ...").
DEPENDENT_START = re.compile(
    r"^(Dabei|Darauf|Damit|Dafür|Dadurch|Danach|Davor|Deshalb|Daher|Dies|Diese[rsnm]?|Zudem|Außerdem|Allerdings"
    r"|Auch|Er|Sie|It|This|These|He|She|They|However|Also|But|Il|Elle|Ils|Elles|Cela|Él|Ella|Ellos)\b"
    r"|^(\S+\s+){1,4}(dabei|damit|dafür|dazu|darauf|davon|deshalb|daher|therefore|thereby)\b"
)


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def unaccented(text: str) -> str:
    """Lower case without accents ("Arménie" -> "armenie"), every other character kept."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


@lru_cache(maxsize=16)
def _stemmer(language: str):
    import Stemmer

    return Stemmer.Stemmer(_STEMMERS[language]) if language in _STEMMERS else None


def stems(text: str, language: str = "de") -> list[str]:
    """Stemmed content words of a text in `language` (ISO 639-1): stopwords dropped, numbers kept as they are."""
    kept = [w for w in words(text) if w not in STOPWORDS]
    stemmer = _stemmer(language)
    return stemmer.stemWords(kept) if stemmer else kept


def number_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalised value) of every number, normalised as numbers() does."""
    found = []
    for match in _NUMBER.finditer(text):
        raw = match.group(1)
        if re.fullmatch(THOUSANDS, raw):
            value = re.sub(r"\D", "", raw)
        else:
            value = raw.replace(",", ".")
        found.append((match.start(1), match.end(1), value))
    return found


def numbers(text: str) -> set[str]:
    """Numbers normalised so that "5.000", "5,000" and "5000" compare equal."""
    return {value for _, _, value in number_spans(text)}


# Numbers news copy writes as words: two to twelve and the tens, per language ("one", "ein", "un", "uno" are left
# out: they are as often an article or a pronoun).
_NUMBER_WORDS = {
    "en": "two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty sixty seventy eighty "
    "ninety",
    "de": "zwei drei vier fünf sechs sieben acht neun zehn elf zwölf zwanzig dreißig vierzig fünfzig sechzig siebzig "
    "achtzig neunzig",
    "fr": "deux trois quatre cinq six sept huit neuf dix onze douze vingt trente quarante cinquante soixante "
    "soixante-dix quatre-vingts quatre-vingt-dix",
    "es": "dos tres cuatro cinco seis siete ocho nueve diez once doce veinte treinta cuarenta cincuenta sesenta "
    "setenta ochenta noventa",
}
_VALUES = [*range(2, 13), *range(20, 100, 10)]
_WORD_VALUES = {
    language: dict(zip(names.split(), map(str, _VALUES), strict=True)) for language, names in _NUMBER_WORDS.items()
}


def spelled_numbers(text: str, language: str) -> set[str]:
    """The values of the numbers a text writes as words ("sechs Lastwagen": 6), as numbers() writes them."""
    table = _WORD_VALUES.get(language, {})
    found = set()
    for word in re.findall(r"[\w-]+", text.lower()):
        first, *rest = word.split("-")
        if word in table:
            found.add(table[word])
        elif rest and first in table and not any(part in table for part in rest):
            found.add(table[first])  # "a ten-day extension"; not "vingt-deux", which is no twenty
    return found


def stated_numbers(text: str, language: str) -> set[str]:
    """The numbers a text states, in digits or in words: an answer's "6 trucks" stands in "six trucks"."""
    return numbers(text) | spelled_numbers(text, language)


def shingles(text: str, size: int = 3) -> set[tuple[str, ...]]:
    tokens = words(text)
    if len(tokens) < size:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def containment(a: set, b: set) -> float:
    """How much of the smaller shingle set is inside the other: 1.0 when one text contains the other."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
