"""Extracting a briefing's material: the indexed articles as they are on disk, split into sentences with their
speakers, wire copies merged into one fact, the passage behind each fact, and the facts worth telling (centrality,
no near-repeats, a quota per section, at most two statements per speaker)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..chunking import split_sentences
from ..clusters import PARAGRAPH_CONTAINMENT, Cluster, cluster_articles
from ..dates import about_other_years, dated_years
from ..embed import Embedder
from ..errors import AssistantError, IndexMissingError
from ..ingest import Article, Skipped, read_article
from ..language import detect
from ..spans import Citation, Passage, StoredChunk, citation
from ..store import ChunkStore
from ..text import DEPENDENT_START, containment, shingles, words
from .attribution import Attributor, Verified, asking_order, context_before, merge_speaker
from .model import Story
from .rewrite import CLOSING
from .speakers import Speaker, find_speakers, unify

# What the sources themselves leave open: the seed of "Open questions / not known".
_OPEN = re.compile(
    r"\bunklar\b|\bungewiss\b|\bungeklärt\b|nicht bekannt|\bunbekannt\b|nicht (?:unabhängig )?(?:überprüf|bestätig)"
    r"|ohne (?:konkret|Details|Einzelheiten)|\bgeplant\w*|\bunclear\b|\bunknown\b|not known|unconfirmed"
    r"|could not be (?:independently )?(?:verified|confirmed)|without (?:giving )?details|\bplanned\b",
    re.I,
)
# Share of the sections' sentences: what happened, positions; the rest goes to open questions (at most 4).
_QUOTAS = {"what": 0.4, "positions": 0.4}
_PER_SPEAKER = 2
_REDUNDANT = 0.88  # cosine similarity above which a candidate repeats a picked sentence
_MIN_WORDS = 5
# What a sentence in the reader's language gains over one that the small model must translate: printed as written,
# it cannot come out with another meaning ("eingestellt" translated as "initiated").
_OWN_LANGUAGE = 0.03


# --- reading the corpus ---------------------------------------------------------------------------------------


@dataclass
class Sentence:
    text: str
    source: str
    start: int
    end: int
    article: int
    position: int
    language: str
    speaker: Speaker | None = None
    heading: bool = False


def _read(
    store: ChunkStore, sources: set[str] | None, max_bytes: int
) -> tuple[list[Article], dict[str, list[StoredChunk]]]:
    """The indexed articles as they are on disk now; a file changed since indexing would make offsets lie."""
    chunks: dict[str, list[StoredChunk]] = {}
    for chunk in store.all_chunks():
        chunks.setdefault(chunk.source, []).append(chunk)
    if not chunks:
        raise IndexMissingError("the index is empty; run `assistant index` first")
    articles = []
    for source in sorted(chunks):
        if sources is not None and source not in sources:
            continue
        article = read_article(Path(chunks[source][0].path), max_bytes)
        if isinstance(article, Skipped) or article.file_hash != chunks[source][0].file_hash:
            raise AssistantError(f"{source} changed or disappeared since it was indexed; run `assistant index` first")
        articles.append(article)
    return articles, chunks


def _open_quote(text: str) -> bool:
    german = text.count("„") > text.count("“")
    english = "„" not in text and text.count("“") > text.count("”")
    return text.count('"') % 2 == 1 or german or english


def _sentences(article: Article, number: int, language: str) -> list[Sentence]:
    """Sentences of the kept text, a quotation running over several sentences kept whole; headings marked."""
    found: list[Sentence] = []
    for segment in article.segments:
        spans = split_sentences(article.text, segment.start, segment.end)
        merged: list[list[int]] = []
        for span in spans:
            if merged and _open_quote(article.text[merged[-1][0] : merged[-1][1]]):
                merged[-1][1] = span.end
            else:
                merged.append([span.start, span.end])
        for start, end in merged:
            text = article.text[start:end]
            heading = len(merged) == 1 and not CLOSING.search(text)
            found.append(Sentence(text, article.source, start, end, number, len(found), language, heading=heading))
    for sentence, speaker in zip(found, find_speakers([s.text for s in found])):
        sentence.speaker = speaker
    return found


@dataclass
class Fact:
    """One sentence of the corpus, with its copies in other articles (wire copies, repeated quotations)."""

    copies: list[int]  # indexes into the sentence list, the first one represents the fact
    story: int

    @property
    def first(self) -> int:
        return self.copies[0]


def _facts(sentences: Sequence[Sentence], story_of: dict[str, int]) -> tuple[list[Fact], dict[int, int]]:
    facts: list[Fact] = []
    fact_of: dict[int, int] = {}
    grams: list[set] = []
    by_gram: dict[tuple, set[int]] = {}
    for index, sentence in enumerate(sentences):
        own = shingles(sentence.text)
        candidates = set().union(*(by_gram.get(g, set()) for g in own)) if own else set()
        twin = next((f for f in sorted(candidates) if containment(own, grams[f]) >= PARAGRAPH_CONTAINMENT), None)
        if twin is not None and len(words(sentence.text)) >= 3:
            facts[twin].copies.append(index)
            fact_of[index] = twin
            continue
        fact_of[index] = len(facts)
        facts.append(Fact([index], story_of[sentence.source]))
        grams.append(own)
        for g in own:
            by_gram.setdefault(g, set()).add(fact_of[index])
    return facts, fact_of


def stories(articles: Sequence[Article], clusters: Sequence[Cluster]) -> list[Story]:
    by_source = {a.source: a for a in articles}
    stories = []
    for cluster in clusters:
        members = [by_source[s] for s in cluster.sources]
        agencies = list(dict.fromkeys(a for m in members for a in m.agencies))
        stories.append(Story(list(cluster.sources), members[0].title, agencies, round(cluster.similarity, 3)))
    return stories


# --- citations ------------------------------------------------------------------------------------------------


class Evidence:
    """The passage (the indexed chunk, in every file that has the sentence) behind each fact, numbered by first
    use across the whole briefing, as answers number theirs."""

    def __init__(self, sentences: Sequence[Sentence], chunks: dict[str, list[StoredChunk]], store: ChunkStore):
        self._sentences = sentences
        self._chunks = chunks
        self._store = store
        self._numbers: dict[tuple, int] = {}
        self._passages: list[Passage] = []

    def _chunk(self, sentence: Sentence) -> StoredChunk:
        candidates = self._chunks[sentence.source]
        covering = [c for c in candidates if c.start <= sentence.start and sentence.end <= c.end]
        if covering:
            return min(covering, key=lambda c: (c.end - c.start, c.start))
        return max(candidates, key=lambda c: min(c.end, sentence.end) - max(c.start, sentence.start))

    def passage(self, fact: Fact) -> Passage:
        chosen: dict[str, StoredChunk] = {}
        for index in fact.copies:
            sentence = self._sentences[index]
            chosen.setdefault(sentence.source, self._chunk(sentence))
        chunks = list(chosen.values())
        _, vectors = self._store.get([chunks[0].id], with_embeddings=True)
        return Passage(
            text=chunks[0].text,
            locations=chunks,
            score=0.0,
            dense=0.0,
            lexical=0.0,
            vector=vectors[0] if vectors is not None and len(vectors) else None,
        )

    def number(self, passage: Passage) -> int:
        key = tuple((loc.source, loc.start, loc.end) for loc in passage.locations)
        if key not in self._numbers:
            self._numbers[key] = len(self._numbers) + 1
            self._passages.append(passage)
        return self._numbers[key]

    def citations(self) -> list[Citation]:
        return [citation(n, loc) for n, passage in enumerate(self._passages, 1) for loc in passage.locations]


# --- picking what to tell -------------------------------------------------------------------------------------


def _section_of(sentence: Sentence) -> str:
    if _OPEN.search(sentence.text):
        return "open"
    return "positions" if sentence.speaker else "what"


def _speaker_key(sentence: Sentence) -> str | None:
    return sentence.speaker.key if sentence.speaker else None


def _pick(
    candidates: list[int],
    relevance: np.ndarray,
    vectors: np.ndarray,
    sections: dict[int, str],
    speakers: dict[int, str | None],
    max_sentences: int,
) -> list[int]:
    """Greedy maximal marginal relevance: the most central candidates, no near-repeats, a quota per section and
    at most two statements per speaker, so every party gets heard."""
    quotas = {key: max(1, round(share * max_sentences)) for key, share in _QUOTAS.items()}
    quotas["open"] = max(1, min(4, max_sentences - sum(quotas.values())))
    taken: dict[str, int] = {key: 0 for key in quotas}
    per_speaker: dict[str, int] = {}
    picked: list[int] = []
    remaining = list(candidates)
    while remaining and len(picked) < max_sentences:

        def gain(i: int) -> float:
            overlap = max((float(vectors[i] @ vectors[j]) for j in picked), default=0.0)
            return relevance[i] - 0.5 * overlap

        best = max(remaining, key=gain)
        remaining.remove(best)
        speaker = speakers[best]
        if picked and max(float(vectors[best] @ vectors[j]) for j in picked) > _REDUNDANT:
            continue
        if taken[sections[best]] >= quotas[sections[best]] or (speaker and per_speaker.get(speaker, 0) >= _PER_SPEAKER):
            continue
        picked.append(best)
        taken[sections[best]] += 1
        if speaker:
            per_speaker[speaker] = per_speaker.get(speaker, 0) + 1
    return picked


@dataclass
class Corpus:
    """Everything read from the index for one briefing."""

    articles: list[Article]
    clusters: list[Cluster]
    sentences: list[Sentence]
    facts: list[Fact]
    fact_of: dict[int, int]  # sentence index -> fact index
    evidence: Evidence
    verified: list[Verified | None]  # the model's checked reading of each sentence; None where it read none

    def fact_sentence(self, fact: int) -> Sentence:
        return self.sentences[self.facts[fact].first]


def _model_reading(
    sentences: Sequence[Sentence], facts: Sequence[Fact], fact_of: dict[int, int], attributor: Attributor | None
) -> list[Verified | None]:
    """The model's checked reading of each sentence, asked once per fact (a wire copy shares its original's) with
    the two sentences before it in its article; its speaker cross-checks the rules' (merge_speaker)."""
    if attributor is None:
        return [None] * len(sentences)
    readings: dict[int, Verified | None] = {}
    firsts = [sentences[fact.first] for fact in facts]
    order = asking_order([s.text for s in firsts], [s.speaker is not None for s in firsts], [s.article for s in firsts])
    texts, articles = [s.text for s in sentences], [s.article for s in sentences]
    for fact_index in order:
        first = facts[fact_index].first
        readings[fact_index] = attributor.read(texts[first], context_before(texts, first, articles))
    verified = [readings[fact_of[i]] for i in range(len(sentences))]
    for index, (sentence, reading) in enumerate(zip(sentences, verified)):
        prior = sentences[index - 1] if index else None
        previous = prior.text if prior is not None and prior.article == sentence.article else ""
        sentence.speaker = merge_speaker(sentence.speaker, reading, sentence.text, previous)
    return verified


def _in_period(sentence: Sentence, article: Article, years: set[int]) -> bool:
    published = article.dated_by_text
    stated = dated_years(sentence.text, published)
    return not about_other_years(stated, {published.year} if published else set(), years)


def _in_period_only(
    articles: list[Article], per_article: list[list[Sentence]], years: set[int]
) -> tuple[list[Article], list[list[Sentence]]]:
    """The sentences about the years a topic names ("the November 2020 ceasefire"), and the articles that have
    any: a later article's account of a new offensive is not part of it, nor its figures, nor its dates."""
    kept = []
    for article, sentences in zip(articles, per_article):
        inside = [s for s in sentences if _in_period(s, article, years)]
        if inside:
            kept.append((article, inside))
    if not kept:
        raise AssistantError(f"no indexed article speaks of {', '.join(map(str, sorted(years)))}")
    for number, (_, sentences) in enumerate(kept):
        for sentence in sentences:
            sentence.article = number
    return [article for article, _ in kept], [sentences for _, sentences in kept]


def read_corpus(
    store: ChunkStore,
    sources: set[str] | None,
    max_file_bytes: int,
    attributor: Attributor | None = None,
    years: set[int] | None = None,
) -> Corpus:
    """The articles of `sources` (all if None), split into sentences and facts; with `years`, only what is about
    those years."""
    articles, chunks = _read(store, sources, max_file_bytes)
    per_article = [_sentences(a, n, detect(a.text[:3000])) for n, a in enumerate(articles)]
    if years:
        articles, per_article = _in_period_only(articles, per_article, years)
    clusters = cluster_articles(articles)
    story_of = {source: n for n, cluster in enumerate(clusters) for source in cluster.sources}
    sentences = [s for article_sentences in per_article for s in article_sentences]
    facts, fact_of = _facts(sentences, story_of)
    verified = _model_reading(sentences, facts, fact_of, attributor)
    speakers = unify([s.speaker for s in sentences])
    for sentence in sentences:
        if sentence.speaker is not None:
            sentence.speaker = speakers[sentence.speaker.key]
    return Corpus(articles, clusters, sentences, facts, fact_of, Evidence(sentences, chunks, store), verified)


def choose(
    corpus: Corpus, excluded: set[int], embedder: Embedder, topic: str | None, max_sentences: int, language: str
) -> list[tuple[str, int]]:
    """(section, fact) to write, in reading order: the picked facts, each followed by a fact that leans on it."""
    candidates = [
        n
        for n in range(len(corpus.facts))
        if n not in excluded
        and not corpus.fact_sentence(n).heading
        and len(words(corpus.fact_sentence(n).text)) >= _MIN_WORDS
        and not DEPENDENT_START.match(corpus.fact_sentence(n).text)
    ]
    if not candidates:
        return []
    vectors = embedder.embed_documents([corpus.fact_sentence(n).text for n in candidates])
    if topic:
        target = embedder.embed_query(topic)
    else:
        target = vectors.mean(axis=0)
        target = target / (np.linalg.norm(target) or 1.0)
    relevance = vectors @ target
    for row, n in enumerate(candidates):
        if corpus.fact_sentence(n).position < 3:
            relevance[row] += 0.05  # the lead of an article says what the article is about
        if corpus.fact_sentence(n).language == language:
            relevance[row] += _OWN_LANGUAGE
    rows = list(range(len(candidates)))
    picked = [
        candidates[r]
        for r in _pick(
            rows,
            relevance,
            vectors,
            {r: _section_of(corpus.fact_sentence(candidates[r])) for r in rows},
            {r: _speaker_key(corpus.fact_sentence(candidates[r])) for r in rows},
            max_sentences,
        )
    ]
    picked.sort(
        key=lambda n: (corpus.facts[n].story, corpus.fact_sentence(n).article, corpus.fact_sentence(n).position)
    )
    chosen = []
    for n in picked:
        section = _section_of(corpus.fact_sentence(n))
        chosen.append((section, n))
        after = corpus.facts[n].first + 1
        # The next sentence of the same article, not the next one left of it after sentences about other years.
        if (
            after < len(corpus.sentences)
            and corpus.sentences[after].article == corpus.fact_sentence(n).article
            and corpus.sentences[after].position == corpus.fact_sentence(n).position + 1
        ):
            follower = corpus.fact_of[after]
            if (
                DEPENDENT_START.match(corpus.sentences[after].text)
                and follower not in excluded
                and follower not in picked
                # A party's position holds what that party says: "Er stützt sich auf eine einzige anonyme Quelle"
                # after Hersh's claim is the article's remark on it, which had stood under no party at all.
                and not (section == "positions" and corpus.sentences[after].speaker is None)
            ):
                chosen.append((section, follower))
    return chosen
