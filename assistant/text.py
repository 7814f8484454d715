"""Language-neutral text helpers shared by retrieval, citation checks and briefings."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"\w+", re.UNICODE)
# Thousands separators ("5.000", "5,000", "5 000") or a decimal ("1,5", "2.5"), or a plain integer.
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.,\u202f\u00a0 ]\d{3})+|\d+(?:[.,]\d+)?)(?![\d])")

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
    """.split()
)


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


@lru_cache(maxsize=4)
def _stemmer(language: str):
    import Stemmer

    return Stemmer.Stemmer(language)


def stems(text: str, language: str = "german") -> list[str]:
    """Stemmed content words: stopwords dropped, numbers kept as they are."""
    kept = [w for w in words(text) if w not in STOPWORDS]
    return _stemmer(language).stemWords(kept)


def number_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalised value) of every number, normalised as numbers() does."""
    found = []
    for match in _NUMBER.finditer(text):
        raw = match.group(1)
        if re.fullmatch(r"\d{1,3}(?:[.,\u202f\u00a0 ]\d{3})+", raw):
            value = re.sub(r"\D", "", raw)
        else:
            value = raw.replace(",", ".")
        found.append((match.start(1), match.end(1), value))
    return found


def numbers(text: str) -> set[str]:
    """Numbers normalised so that "5.000", "5,000" and "5000" compare equal."""
    return {value for _, _, value in number_spans(text)}


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
