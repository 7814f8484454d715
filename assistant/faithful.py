"""What a rewording of a source sentence must keep: its numbers, its negations and its meaning. The small model
rewords (translates) evidence for answers and briefings; the application checks every rewording here before it
stands in for its source, and prints the source beside it."""

from __future__ import annotations

import re

from .countries import countries_named
from .embed import Embedder
from .language import NAMES, written_in
from .text import THOUSANDS, spelled_numbers, stated_numbers, words

# Negation in the languages of the corpus; its presence must agree between a sentence and its evidence.
NEGATIONS = frozenset(
    "nicht kein keine keinen keiner keinem keines nie niemals nichts niemand nirgends weder nein not no never none "
    "nothing nobody nowhere neither "
    "nor without ohne ne pas jamais aucun aucune rien sans ni non nunca ningún ninguna nada nadie sin tampoco".split()
)
# Contractions carry a negation too: "didn't", "won't".
_NEGATED_CONTRACTION = re.compile(r"\w+n['’]t\b", re.I)


def negated(text: str) -> bool:
    return bool(set(words(text)) & NEGATIONS) or bool(_NEGATED_CONTRACTION.search(text))


# Cosine similarity of a translation to its source sentence (EmbeddingGemma is multilingual) below which the
# translation is taken to say something else.
TRANSLATION_SIMILARITY = 0.75


# A number as a translation may write it: "1894", "1,894", "1.894" and "1 894" are one number.
_NUMBER = re.compile(rf"{THOUSANDS}(?!\d)|\d+")


def _numbers(text: str) -> list[str]:
    return sorted(re.sub(r"\D", "", number) for number in _NUMBER.findall(text))


def translation_problem(
    translation: str, source: str, embedder: Embedder, *, language: str, source_language: str
) -> str | None:
    """Why the model's translation (in `language`) of a source sentence (in `source_language`) may not stand in
    for it, or None: its numbers changed (thousands separators and the model's spacing aside: "16, 64 Metern" for
    "16.64 metres"; a number in words that the source does not state: "sechs Tage" for "nine days"), it is in
    another language (asked for German, the small model at times writes English), a negation lost or added, one
    country named for another, or another meaning. Other names are not compared: a translation rightly renames
    places and institutions ("Ostsee": "Baltic Sea"), and a capital letter marks no name in German; of the 11
    translations a names check refused among 28 in eval answers, 10 had every name right.
    The original is printed beside every translation."""
    if not translation:
        return "the model gave no translation"
    if not written_in(translation, language):
        return f"the translation is not in {NAMES.get(language, language)}"
    if _numbers(translation) != _numbers(source):
        return "the translation changed the numbers"
    # Only a number added in words: a spelled one may rightly go ("the two previous days": "den beiden Tagen").
    if spelled_numbers(translation, language) - stated_numbers(source, source_language):
        return "the translation changed the numbers"
    if negated(translation) != negated(source):
        return "the translation lost or added a negation"
    named, meant = countries_named(translation), countries_named(source)
    if named - meant and meant - named:
        # "un grupo proucraniano" came out as "a group of pro-Russian individuals": one country for another
        # changes whose side a statement is on; a country only added ("the Russian president") or only left
        # out does not.
        return f"the translation names {', '.join(sorted(named - meant))} for {', '.join(sorted(meant - named))}"
    vectors = embedder.embed_documents([translation, source])
    if float(vectors[0] @ vectors[1]) < TRANSLATION_SIMILARITY:
        return "the translation does not say the same"
    return None
