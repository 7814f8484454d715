"""Evidence, chosen before the model writes: the sentences of the retrieved passages that bear on the question.

A passage of 120 tokens holds three to six sentences, most of them beside the point; the small model, shown whole
passages, copies the wrong one or merges two. So the application picks the sentences itself, each an exact span
of its file: by the embedding similarity of the sentence, read with its article's headline, to the question, by
how close the passage it stands in is to the question, and by the period the question names, against the
articles' dates. A sentence that leans on the one before it ("Damit nähere sich die Zahl ...", "He said ...")
keeps that sentence as context. The same sentence in several files (wire copies) is one piece of evidence with a
location in each.

Measured on the 174 answerable eval questions (bench/evidence.py): the sentence alone scored by its similarity
and the share of the question's words it has put every needed fact among the 6 sentences for 56% of them; read
with its headline and its passage's similarity, without the words, 73% (each of the five stories gained).
Words shared with the question only add noise at the sentence level: the passages were already found by them."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from .chunking import split_sentences
from .claims import Source, day_problem
from .cleaning import is_metadata_line
from .dates import about_other_years, asked_years, asks_about_now, dated_years
from .embed import Embedder
from .language import names_several, question_parts
from .spans import Passage, StoredChunk
from .text import DEPENDENT_START, shingles

# Weight of the similarity of the sentence's passage to the question, beside the sentence's own: a sentence on
# its own ("Die Zahl der Toten sei auf 41 gestiegen") says less about what it answers than its passage does.
PASSAGE_WEIGHT = 0.5
# Added to (or taken from) a sentence's score where its article's date or its own dates fall in (or outside)
# the years the question names.
PERIOD_WEIGHT = 0.08
# A sentence this far below the best one is not evidence worth a prompt token.
SCORE_MARGIN = 0.3
# Share of word trigrams (over the larger side) above which a sentence of another file is the same sentence, a
# little edited by the site that printed the wire copy.
COPY_OVERLAP = 0.5
# Cosine similarity above which two sentences say the same (a wire copy reworded a little).
SAME_SENTENCE = 0.95
# Sentences before a dependent one that it keeps as context, at most.
MAX_CONTEXT = 2
_CACHE_SIZE = 50_000


@dataclass
class _Candidate:
    text: str  # what the model is shown
    scored: str  # what is compared with the question: the sentence with at most one sentence of context
    locations: list[StoredChunk]
    language: str
    passage: Passage  # the first retrieved passage it stands in
    years: set[int] = field(default_factory=set)

    @property
    def title(self) -> str:
        return self.locations[0].title


def _excerpt(location: StoredChunk, start: int, end: int) -> StoredChunk:
    """The characters [start, end) of a chunk's text, as an exact span of its file, with all it records."""
    return replace(location, start=location.start + start, end=location.start + end, text=location.text[start:end])


def _copy_in(location: StoredChunk, text: str) -> StoredChunk | None:
    """Where a wire copy has the sentence (with its context sentence, if it has one): the same text, or the run of
    as many sentences there that shares most of its word trigrams."""
    at = location.text.find(text)
    if at >= 0:
        return _excerpt(location, at, at + len(text))
    grams, size = shingles(text), len(split_sentences(text))
    spans = split_sentences(location.text)
    runs = [(spans[i].start, spans[i + size - 1].end) for i in range(len(spans) - size + 1)]
    # Shared trigrams over the larger of the two: a shorter run inside the text is no copy of it.
    shares = [len(grams & (other := shingles(location.text[a:b]))) / max(len(grams), len(other), 1) for a, b in runs]
    if shares and max(shares) >= COPY_OVERLAP:
        start, end = runs[shares.index(max(shares))]
        return _excerpt(location, start, end)
    return None


def _sentences(passage: Passage) -> list[_Candidate]:
    """The passage's sentences as exact spans of each file it stands in, a dependent one with the sentences it
    leans on."""
    first = passage.locations[0]
    spans = split_sentences(first.text)
    texts = [first.text[span.start : span.end] for span in spans]
    found = []
    for number, span in enumerate(spans):
        # A word alone is a dateline ("Moskau.") or a fragment: it answers nothing and would take a place.
        if len(texts[number].split()) < 2 or all(
            is_metadata_line(line) for line in texts[number].splitlines() if line.strip()
        ):
            continue
        # Shown from the sentence the chain leans on: "Der Präsident nahm dabei Bezug ..." after "Damit nähere
        # sich die Zahl ..." after the sentence that says who gave the figure. Scored with one sentence of
        # context: a longer text says less clearly what it is about.
        opening = number
        while opening and number - opening < MAX_CONTEXT and DEPENDENT_START.match(texts[opening]):
            opening -= 1
        start = spans[opening].start
        text = first.text[start : span.end]
        scored = first.text[spans[max(opening, number - 1)].start : span.end]
        locations = [_excerpt(first, start, span.end)]
        locations += [copy for location in passage.locations[1:] if (copy := _copy_in(location, text))]
        # "The ceasefire took effect on Wednesday" in a 2023 article is no answer about the ceasefire of 2020.
        years = dated_years(text, passage.dated_by_text)
        found.append(_Candidate(text, scored, locations, first.language or "de", passage, years))
    return found


def _same(a: _Candidate, b: _Candidate, similarity: float) -> bool:
    """One sentence twice: nearly the same words (a lightly edited wire copy), or overlapping spans of one file (a
    sentence and the same sentence with its predecessor as context)."""
    return similarity > SAME_SENTENCE or any(
        x.source == y.source and x.start < y.end and y.start < x.end for x in a.locations for y in b.locations
    )


def _add_locations(candidate: _Candidate, other: _Candidate) -> None:
    """The other's locations in files the candidate is not located in yet: one piece of evidence, found twice."""
    seen = {loc.source for loc in candidate.locations}
    candidate.locations += [loc for loc in other.locations if loc.source not in seen]


def _extends(longer: _Candidate, shorter: _Candidate) -> bool:
    """Whether a candidate is another one with the sentence after it: a dependent sentence shown with its context."""
    first, other = longer.locations[0], shorter.locations[0]
    return first.source == other.source and first.start == other.start and first.end > other.end


def part_queries(question: str, language: str) -> list[str]:
    """Each thing a question of several parts asks, as a query that reads alone: a part too short to say what it
    is about ("and on which day?") is read after the first. None for a question of one part."""
    parts = question_parts(question, language)
    if len(parts) < 2:
        return []
    return [part if len(part.split()) >= 4 else f"{parts[0]} {part}" for part in parts]


def embed_parts(question: str, language: str, embedder: Embedder) -> list[tuple[str, np.ndarray]]:
    """Each thing a question asks ("Who mediates, and who invited them?") with its vector; none for one thing.
    Embedded once per question: the evidence is chosen by them, and the answer checked against them."""
    return [(part, embedder.embed_query(part)) for part in part_queries(question, language)]


class EvidenceSelector:
    """Keeps the vectors of sentences it has embedded, so repeated passages cost nothing the second time."""

    def __init__(self, embedder: Embedder, max_evidence: int, max_evidence_several: int | None = None):
        self.embedder = embedder
        self.max_evidence = max_evidence
        # For a question that names several things in one clause ("Welche Zahlen nennen X und Y?"): the second
        # thing's facts rank below the first one's. A question of several parts gets each part's best sentences in
        # turn instead; more sentences for those made the small model drop facts it had given from six (full eval
        # run of 4b1c607: 4 answers lost a key fact, one gave Putin Erdogan's proposal).
        self.max_evidence_several = max_evidence_several or max_evidence
        self._vectors: dict[tuple[str, str], np.ndarray] = {}

    def _embed(self, candidates: list[_Candidate]) -> np.ndarray:
        """Each sentence's vector, read with its article's headline."""
        keys = [(c.title, c.scored) for c in candidates]
        missing = list(dict.fromkeys(k for k in keys if k not in self._vectors))
        if missing:
            if len(self._vectors) + len(missing) > _CACHE_SIZE:
                self._vectors.clear()
            vectors = self.embedder.embed_documents([text for _, text in missing], [title for title, _ in missing])
            self._vectors.update(zip(missing, vectors))
        return np.stack([self._vectors[k] for k in keys])

    def select(
        self,
        question_vector: np.ndarray,
        queries: dict[str, str],
        passages: Sequence[Passage],
        parts: Sequence[tuple[str, np.ndarray]],
    ) -> list[Passage]:
        """The evidence for a question (queries: its language -> the question, first, then any translations; their
        years name the period it asks about; parts: embed_parts of it), best first, as passages whose locations are
        the sentences' exact spans. A question that asks several things gets the best sentences for each part in
        turn: ranked by the whole question, the facts of its first part crowd out those of the second."""
        candidates: dict[str, _Candidate] = {}
        for passage in passages:
            for candidate in _sentences(passage):
                key = " ".join(candidate.text.split()).lower()
                if key in candidates:
                    _add_locations(candidates[key], candidate)
                elif candidate.locations:
                    candidates[key] = candidate
        if not candidates:
            return []
        pool = list(candidates.values())
        vectors = self._embed(pool)
        wanted_years = set().union(*(asked_years(text) for text in queries.values()))
        now = not wanted_years and any(asks_about_now(text) for text in queries.values())
        period = []
        for candidate in pool:
            published = {int(loc.date[:4]) for loc in candidate.locations if loc.date[:4].isdigit()}
            if candidate.years and about_other_years(candidate.years, published, wanted_years):
                # It says it is about another year than the one asked about: shown, the small model answers a
                # question about September 2023 with what Shoigu ordered in November 2022.
                period.append(-math.inf)
            elif wanted_years:
                period.append(PERIOD_WEIGHT if (candidate.years | published) & wanted_years else -PERIOD_WEIGHT)
            elif now and candidate.years and published and max(candidate.years) < min(published) - 1:
                # Background, not news: what the article recalls from years before it was written. The small
                # model answers "the current fighting" with "April 2016" wherever such a sentence is shown.
                period.append(-math.inf)
            else:
                period.append(0.0)
        # The toll of 6 February is no answer about the aftershock of 20 February, nor a count up to 16 June about
        # the one up to 9 June: shown below the sentences about the day asked, not in their place.
        question = next(iter(queries.values()), "")
        period = [
            weight - PERIOD_WEIGHT if day_problem(question, Source(c.text, c.passage.published, c.language)) else weight
            for weight, c in zip(period, pool)
        ]
        context = np.array([PASSAGE_WEIGHT * c.passage.dense for c in pool]) + np.array(period)

        def ranking(vector: np.ndarray) -> list[int]:
            """Candidates by score for one vector, down to SCORE_MARGIN below its best."""
            scores = vectors @ vector + context
            order = [int(i) for i in np.argsort(-scores, kind="stable") if np.isfinite(scores[i])]
            return [i for i in order if scores[i] >= scores[order[0]] - SCORE_MARGIN]

        dense = vectors @ question_vector
        score = dense + context
        language, question = next(iter(queries.items()))
        several = not parts and names_several(question, language)
        limit = self.max_evidence_several if several else self.max_evidence
        rankings = [ranking(vector) for vector in [part_vector for _, part_vector in parts] or [question_vector]]
        turns = [index for row in itertools.zip_longest(*rankings) for index in row if index is not None]
        chosen: list[int] = []
        for index in dict.fromkeys(turns):
            twin = next(
                (other for other in chosen if _same(pool[index], pool[other], vectors[index] @ vectors[other])), None
            )
            if twin is not None:
                # The same sentence, a little edited, in another copy of the wire report; or the sentence after a
                # chosen one that leans on it ("Er gelte für drei Monate"), which takes its place.
                kept, merged = (index, twin) if _extends(pool[index], pool[twin]) else (twin, index)
                _add_locations(pool[kept], pool[merged])
                chosen[chosen.index(twin)] = kept
            elif len(chosen) < limit:
                chosen.append(index)
        return [
            Passage(
                text=pool[i].text,
                locations=pool[i].locations,
                score=float(score[i]),
                dense=float(dense[i]),
                lexical=pool[i].passage.lexical,
                vector=vectors[i],
            )  # fmt: skip
            for i in chosen
        ]
