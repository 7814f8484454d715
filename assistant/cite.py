"""Citations are the application's job: each answer sentence is attributed to the retrieved passages that
support it, numbers must appear in a cited passage, and a model-written [n] is only kept when it checks out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .chunking import split_sentences
from .dates import counts
from .embed import Embedder
from .language import detect
from .spans import MARK, Passage, mark_numbers, strip_marks
from .text import numbers, stated_numbers, stems

# "According to [1], ..." / "Laut [2] ...": the mark stands in for a source name and takes its phrase along.
_MARK_PHRASE = re.compile(
    r"\b(according to|as stated in|see|laut|gemäß|siehe|nach)\s+(passage\s+|Passage\s+)?" + MARK.pattern + r",?\s*",
    re.I,
)
# Share of a sentence's content words found in a passage, or the cosine similarity of sentence and passage
# (what carries an English sentence over German sources), above which the passage supports the sentence.
LEXICAL_SUPPORT = 0.5
DENSE_SUPPORT = 0.5


@dataclass
class Attributed:
    text: str  # the sentence without any [n]
    passages: list[int]  # indexes into the retrieved passages, best first
    claimed: list[int] = field(default_factory=list)  # what the model wrote as [n] (1-based)


@dataclass
class Dropped:
    text: str
    reason: str


@dataclass
class Attribution:
    kept: list[Attributed]
    dropped: list[Dropped]
    # The [n]s of each dropped sentence; for one without any, the passage that states its numbers (_by_numbers).
    unsupported_claims: list[list[int]] = field(default_factory=list)


def support_scores(sentence: str, sentence_vector: np.ndarray | None, passage: Passage) -> tuple[float, float]:
    """(share of the sentence's content words in the passage, cosine similarity), each stemmed in its language."""
    language = detect(sentence)
    own = set(stems(sentence, language))
    theirs = passage.locations[0].language if passage.locations and passage.locations[0].language else language
    lexical = len(own & set(stems(passage.text, theirs))) / len(own) if own else 0.0
    dense = (
        float(sentence_vector @ passage.vector) if sentence_vector is not None and passage.vector is not None else 0.0
    )
    return lexical, dense


def _stated_numbers(passage: Passage) -> set[str]:
    return stated_numbers(passage.text, passage.locations[0].language if passage.locations else "")


def attribute_sentence(
    sentence: str, passages: Sequence[Passage], sentence_vector: np.ndarray | None, given: frozenset[str] = frozenset()
) -> tuple[list[int], str | None]:
    """Indexes of the passages that support the sentence (best first), or ([], reason). Numbers in `given` (the
    question's own) need no passage."""
    wanted = numbers(sentence) - given
    stated = [_stated_numbers(p) for p in passages]
    missing = wanted - set().union(*stated)
    if missing:
        return [], f"number(s) {', '.join(sorted(missing))} not in any retrieved passage"
    scored = []
    for index, passage in enumerate(passages):
        lexical, dense = support_scores(sentence, sentence_vector, passage)
        if lexical >= LEXICAL_SUPPORT or dense >= DENSE_SUPPORT:
            scored.append((max(lexical, dense), index))
    if not scored:
        return [], "no retrieved passage supports it"
    scored.sort(reverse=True)
    supporting = [index for _, index in scored]
    if not wanted:
        return supporting[:2], None
    # Every number must stand in a cited passage: the best single one, else the best pair.
    for index in supporting:
        if wanted <= stated[index]:
            return [index], None
    for first in supporting:
        for second in supporting:
            if first < second and wanted <= stated[first] | stated[second]:
                return [first, second], None
    return [], "its numbers are not in the passages that support it"


def _by_numbers(sentence: str, passages: Sequence[Passage], given: frozenset[str]) -> list[int]:
    """The [n] of the passage that states most of the sentence's own numbers, if one states any: where the model
    cites nothing, its numbers say which evidence it phrased ("kostete unos 300.000 dólares" from the Spanish
    sentence), where its words would point to what merely repeats the question."""
    wanted = numbers(sentence) - given
    shared = [len(wanted & _stated_numbers(p)) for p in passages]
    if not shared or max(shared) == 0:
        return []
    return [shared.index(max(shared)) + 1]


def _borrows_dates(
    sentence: str,
    claimed: Sequence[int],
    indexes: Sequence[int],
    passages: Sequence[Passage],
    vector: np.ndarray | None,
    given: frozenset[str],
) -> bool:
    """Whether the sentence is phrased from the evidence it cites ([n]) and takes its date from other evidence,
    which the small model does when the cited sentence answers the question and its neighbour has a date ("failed on
    9 November 2020", the day a ceasefire was signed, beside "2010 war die letzte Initiative gescheitert"). A count
    may rightly come from the sentence after the one that names who gives it ("..., he said: 26,600 on 27
    September")."""
    cited = [n - 1 for n in claimed if 0 < n <= len(passages)]
    own = numbers(sentence) - given
    if not cited or set(cited) & set(indexes) or not own:
        return False
    if any(value not in given for _, _, value in counts(sentence)):
        return False
    if any(own & _stated_numbers(passages[i]) for i in cited):
        return False
    return any(
        lexical >= LEXICAL_SUPPORT or dense >= DENSE_SUPPORT
        for lexical, dense in (support_scores(sentence, vector, passages[i]) for i in cited)
    )


def attribute(
    answer: str, passages: Sequence[Passage], embedder: Embedder | None, given: frozenset[str] = frozenset()
) -> Attribution:
    sentences: list[tuple[str, list[int]]] = []
    for span in split_sentences(answer):
        raw = answer[span.start : span.end]
        claimed = mark_numbers(raw)
        text = strip_marks(_MARK_PHRASE.sub("", raw))
        text = text[:1].upper() + text[1:]
        if re.search(r"\w", text):
            sentences.append((text, claimed))
        elif sentences:  # "… 2026. [1]": a mark after the full stop belongs to the sentence before it
            sentences[-1][1].extend(claimed)
    vectors = embedder.embed_documents([text for text, _ in sentences]) if embedder is not None and sentences else None
    kept, dropped, claims = [], [], []
    for number, (text, claimed) in enumerate(sentences):
        vector = vectors[number] if vectors is not None else None
        indexes: list[int]
        reason: str | None
        if text.rstrip().endswith("?"):
            # The small model repeats the question when it cannot phrase the answer: its words are all in the
            # evidence, and it says nothing.
            indexes, reason = [], "a question, not an answer"
        else:
            indexes, reason = attribute_sentence(text, passages, vector, given)
        if indexes and _borrows_dates(text, claimed, indexes, passages, vector, given):
            dropped.append(Dropped(text, "it is phrased from the evidence it cites, its date from other evidence"))
            claims.append(claimed)
        elif indexes:
            # A model's [n] that points at a supporting passage goes first; one that does not is discarded.
            confirmed = [n - 1 for n in claimed if 0 < n <= len(passages) and n - 1 in indexes]
            ordered = list(dict.fromkeys(confirmed + indexes))
            kept.append(Attributed(text, ordered, claimed))
        else:
            dropped.append(Dropped(text, reason or "unsupported"))
            claims.append(claimed or _by_numbers(text, passages, given))
    return Attribution(kept, dropped, claims)
