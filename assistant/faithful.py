"""What a rewording of a source sentence must keep: its numbers, its negations, its names and its meaning. The
small model rewords (translates) evidence for answers and briefings; the application checks every rewording here
before it stands in for its source, and prints the source beside it."""

from __future__ import annotations

import re

from .embed import Embedder
from .text import STOPWORDS, words

# Negation in the languages of the corpus; its presence must agree between a sentence and its evidence.
NEGATIONS = frozenset(
    "nicht kein keine keinen keiner keinem keines nie niemals nichts weder nein not no never none nothing neither "
    "nor without ohne ne pas jamais aucun aucune rien sans ni non nunca ningún ninguna nada sin tampoco".split()
)
# Contractions carry a negation too: "didn't", "won't".
_NEGATED_CONTRACTION = re.compile(r"\w+n['’]t\b", re.I)


def negated(text: str) -> bool:
    return bool(set(words(text)) & NEGATIONS) or bool(_NEGATED_CONTRACTION.search(text))


# Capitalised in English titles, names of offices or at the start of a sentence: not names the model made up.
_COMMON = frozenset(
    "foreign minister ministry affairs president prime secretary general defence defense government republic "
    "region south north east west central council state states united union office chief head spokesman "
    "authorities army forces national international both after before since while during however meanwhile "
    "last first new some many all beim am".split()
)
_UNACCENTED = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
# Cosine similarity of a translation to its source sentence (EmbeddingGemma is multilingual) below which the
# translation is taken to say something else.
TRANSLATION_SIMILARITY = 0.75


def plain(text: str) -> str:
    """Lower case, German umlauts spelled out plainly."""
    return text.lower().translate(_UNACCENTED)


def _trigrams(word: str) -> set[str]:
    word = plain(word)
    return {word[i : i + 3] for i in range(max(1, len(word) - 2))}


def unknown_names(translation: str, source: str) -> list[str]:
    """Capitalised words of a translation (not at its start) that resemble no word of the source: a name the
    model made up ("Germany's Foreign Minister Stoltenberg"). Transliterations ("Azerbaijan" for
    "Aserbaidschan") share enough letter trigrams to pass."""
    theirs = [_trigrams(w) for w in re.findall(r"\w+", source) if len(w) > 2]
    unknown = []
    for word in re.findall(r"\w+", translation):
        if word[:1].isupper() and len(word) > 2 and word.lower() not in _COMMON | STOPWORDS:
            own = _trigrams(word)
            if not any(len(own & other) / min(len(own), len(other)) >= 0.25 for other in theirs):
                unknown.append(word)
    return unknown


def _digits(text: str) -> list[str]:
    return sorted(re.findall(r"\d+", text))


def translation_problem(translation: str, source: str, embedder: Embedder) -> str | None:
    """Why the model's translation of a source sentence may not stand in for it, or None: its numbers changed
    (compared digit by digit: "16, 64 Metern" for "16.64 metres" is the model's spacing, not another figure), a
    negation lost or added, a name the source lacks, or another meaning."""
    if not translation:
        return "the model gave no translation"
    if _digits(translation) != _digits(source):
        return "the translation changed the numbers"
    if negated(translation) != negated(source):
        return "the translation lost or added a negation"
    invented = unknown_names(translation, source)
    if invented:
        return f"the translation names {', '.join(invented)}, which the source does not"
    vectors = embedder.embed_documents([translation, source])
    if float(vectors[0] @ vectors[1]) < TRANSLATION_SIMILARITY:
        return "the translation does not say the same"
    return None
