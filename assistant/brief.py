"""Briefings: a short, neutral account of the indexed articles (or those about a topic) in which every sentence
is traceable to the exact passage it comes from.

Extract, then compose. The application extracts: it splits the articles into sentences, merges wire copies
(clusters.py), finds who says what (speakers.py) and the disputed figures (figures.py), and picks the sentences
worth telling (centrality, no redundancy, a quota per section). The small model only rewrites one picked
sentence at a time: it shortens it (accepted only as a pure deletion that keeps numbers, negations and the
speaker) or translates it (accepted only if numbers, negations, the speaker and the meaning survive). The
application composes the sections from these checked sentences, writes the figure table and the summaries of
disputes itself, keeps loaded terms inside attributed quotes, and cites each sentence through cite.py."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .answer import MIN_RELEVANCE, Citation, focus
from .briefing import LANGUAGES, WORDING, BriefSentence, Briefing, Figure, Section, Story, counted
from .cite import Dropped, attribute_sentence
from .clusters import PARAGRAPH_CONTAINMENT, Cluster, cluster_articles
from .chunking import split_sentences
from .embed import Embedder
from .errors import AssistantError, IndexMissingError
from .figures import Dispute, Row, find_disputes, find_mentions
from .generate import LLM
from .ingest import Article, Skipped, read_article
from .language import detect
from .prompts import Prompt
from .retrieve import Location, Passage, Retriever
from .rewrite import CLOSING, Writer, copied, neutral
from .speakers import Speaker, find_speakers, unify
from .store import ChunkStore, StoredChunk
from .text import containment, numbers, shingles, words

BriefProgress = Callable[[str, float], None]

# What the sources themselves leave open: the seed of "Open questions / not known".
_OPEN = re.compile(
    r"\bunklar\b|\bungewiss\b|\bungeklärt\b|nicht bekannt|\bunbekannt\b|nicht (?:unabhängig )?(?:überprüf|bestätig)"
    r"|ohne (?:konkret|Details|Einzelheiten)|\bgeplant\w*|\bunclear\b|\bunknown\b|not known|unconfirmed"
    r"|could not be (?:independently )?(?:verified|confirmed)|without (?:giving )?details|\bplanned\b",
    re.I,
)
# A sentence that only makes sense after the one before it ("Dabei starben mehr als hundert Menschen.").
_DEPENDENT = re.compile(
    r"^(Dabei|Darauf|Damit|Dafür|Dadurch|Danach|Davor|Deshalb|Daher|Dies|Diese[rsnm]?|Zudem|Außerdem|Allerdings"
    r"|Auch|Er|Sie|It|This|These|He|She|They|However|Also|But)\b"
    r"|^(\S+\s+){1,4}(dabei|damit|dafür|dazu|darauf|davon|deshalb|daher|therefore|thereby)\b"
)
# Share of the sections' sentences: what happened, positions; the rest goes to open questions (at most 4).
_QUOTAS = {"what": 0.4, "positions": 0.4}
_PER_SPEAKER = 2
_REDUNDANT = 0.88  # cosine similarity above which a candidate repeats a picked sentence
_MIN_WORDS = 5


# --- reading the corpus ---------------------------------------------------------------------------------------


@dataclass
class _Sentence:
    text: str
    source: str
    start: int
    end: int
    article: int
    position: int
    language: str
    speaker: Speaker | None = None
    heading: bool = False


def _read(store: ChunkStore, sources: set[str] | None, max_bytes: int) -> tuple[list[Article], dict[str, list[StoredChunk]]]:
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


def _sentences(article: Article, number: int, language: str) -> list[_Sentence]:
    """Sentences of the kept text, a quotation running over several sentences kept whole; headings marked."""
    found: list[_Sentence] = []
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
            found.append(_Sentence(text, article.source, start, end, number, len(found), language, heading=heading))
    for sentence, speaker in zip(found, find_speakers([s.text for s in found])):
        sentence.speaker = speaker
    return found


@dataclass
class _Fact:
    """One sentence of the corpus, with its copies in other articles (wire copies, repeated quotations)."""

    copies: list[int]  # indexes into the sentence list, the first one represents the fact
    story: int

    @property
    def first(self) -> int:
        return self.copies[0]


def _facts(sentences: Sequence[_Sentence], story_of: dict[str, int]) -> tuple[list[_Fact], dict[int, int]]:
    facts: list[_Fact] = []
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
        facts.append(_Fact([index], story_of[sentence.source]))
        grams.append(own)
        for g in own:
            by_gram.setdefault(g, set()).add(fact_of[index])
    return facts, fact_of


def _stories(articles: Sequence[Article], clusters: Sequence[Cluster]) -> list[Story]:
    by_source = {a.source: a for a in articles}
    stories = []
    for cluster in clusters:
        members = [by_source[s] for s in cluster.sources]
        agencies = list(dict.fromkeys(a for m in members for a in m.agencies))
        stories.append(Story(list(cluster.sources), members[0].title, agencies, round(cluster.similarity, 3)))
    return stories


# --- citations ------------------------------------------------------------------------------------------------


class _Evidence:
    """The passage (the indexed chunk, in every file that has the sentence) behind each fact, numbered by first
    use across the whole briefing, as answers number theirs."""

    def __init__(self, sentences: Sequence[_Sentence], chunks: dict[str, list[StoredChunk]], store: ChunkStore):
        self._sentences = sentences
        self._chunks = chunks
        self._store = store
        self._numbers: dict[tuple, int] = {}
        self._passages: list[Passage] = []

    def _chunk(self, sentence: _Sentence) -> StoredChunk:
        candidates = self._chunks[sentence.source]
        covering = [c for c in candidates if c.start <= sentence.start and sentence.end <= c.end]
        if covering:
            return min(covering, key=lambda c: (c.end - c.start, c.start))
        return max(candidates, key=lambda c: min(c.end, sentence.end) - max(c.start, sentence.start))

    def passage(self, fact: _Fact) -> Passage:
        chosen: dict[str, StoredChunk] = {}
        for index in fact.copies:
            sentence = self._sentences[index]
            chosen.setdefault(sentence.source, self._chunk(sentence))
        chunks = list(chosen.values())
        stored, vectors = self._store.get([chunks[0].id], with_embeddings=True)
        return Passage(
            text=chunks[0].text,
            locations=[Location(c.source, c.start, c.end, c.id, c.title, c.path, c.text) for c in chunks],
            score=0.0, dense=0.0, lexical=0.0, vector=vectors[0] if vectors is not None and len(vectors) else None,
        )

    def number(self, passage: Passage) -> int:
        key = tuple((loc.source, loc.start, loc.end) for loc in passage.locations)
        if key not in self._numbers:
            self._numbers[key] = len(self._numbers) + 1
            self._passages.append(passage)
        return self._numbers[key]

    def citations(self) -> list[Citation]:
        return [
            Citation(n, loc.source, loc.start, loc.end, loc.text)
            for n, passage in enumerate(self._passages, 1)
            for loc in passage.locations
        ]


# --- picking what to tell -------------------------------------------------------------------------------------


def _section_of(sentence: _Sentence) -> str:
    if _OPEN.search(sentence.text):
        return "open"
    return "positions" if sentence.speaker else "what"


def _speaker_key(sentence: _Sentence) -> str | None:
    return sentence.speaker.key if sentence.speaker else None


def _pick(candidates: list[int], relevance: np.ndarray, vectors: np.ndarray, sections: dict[int, str],
          speakers: dict[int, str | None], max_sentences: int) -> list[int]:
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


# --- the figures ----------------------------------------------------------------------------------------------


def _figure_value(row: Row, w: dict) -> str:
    if row.value is None:
        return w["no_value"]
    raw = row.raw
    if w is WORDING["en"] and re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):
        raw = raw.replace(".", ",")
    elif w is WORDING["de"] and re.fullmatch(r"\d{1,3}(,\d{3})+", raw):
        raw = raw.replace(",", ".")
    return f"{w['qualifiers'][row.qualifier]} {raw}".strip()


def _counted(row: Row, w: dict) -> str:
    return counted(w, row.measure, row.group) + w["scopes"][row.scope]


# --- the whole briefing ---------------------------------------------------------------------------------------


def check_language(language: str | None) -> None:
    if language is not None and language not in LANGUAGES:
        raise AssistantError(f"briefings are written in {' or '.join(LANGUAGES)}, not {language!r}")


@dataclass
class _Corpus:
    """Everything read from the index for one briefing."""

    articles: list[Article]
    clusters: list[Cluster]
    sentences: list[_Sentence]
    facts: list[_Fact]
    fact_of: dict[int, int]  # sentence index -> fact index
    evidence: _Evidence

    def fact_sentence(self, fact: int) -> _Sentence:
        return self.sentences[self.facts[fact].first]


def _corpus(store: ChunkStore, sources: set[str] | None, max_file_bytes: int) -> _Corpus:
    articles, chunks = _read(store, sources, max_file_bytes)
    clusters = cluster_articles(articles)
    story_of = {source: n for n, cluster in enumerate(clusters) for source in cluster.sources}
    sentences = [s for n, a in enumerate(articles) for s in _sentences(a, n, detect(a.text[:3000]))]
    speakers = unify([s.speaker for s in sentences])
    for sentence in sentences:
        if sentence.speaker is not None:
            sentence.speaker = speakers[sentence.speaker.key]
    facts, fact_of = _facts(sentences, story_of)
    return _Corpus(articles, clusters, sentences, facts, fact_of, _Evidence(sentences, chunks, store))


def _choose(corpus: _Corpus, excluded: set[int], embedder: Embedder, topic: str | None,
            max_sentences: int) -> list[tuple[str, int]]:
    """(section, fact) to write, in reading order: the picked facts, each followed by a fact that leans on it."""
    candidates = [
        n for n in range(len(corpus.facts))
        if n not in excluded and not corpus.fact_sentence(n).heading
        and len(words(corpus.fact_sentence(n).text)) >= _MIN_WORDS and not _DEPENDENT.match(corpus.fact_sentence(n).text)
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
    rows = list(range(len(candidates)))
    picked = [candidates[r] for r in _pick(
        rows, relevance, vectors, {r: _section_of(corpus.fact_sentence(candidates[r])) for r in rows},
        {r: _speaker_key(corpus.fact_sentence(candidates[r])) for r in rows}, max_sentences,
    )]
    picked.sort(key=lambda n: (corpus.facts[n].story, corpus.fact_sentence(n).article, corpus.fact_sentence(n).position))
    chosen = []
    for n in picked:
        section = _section_of(corpus.fact_sentence(n))
        chosen.append((section, n))
        after = corpus.facts[n].first + 1
        if after < len(corpus.sentences) and corpus.sentences[after].article == corpus.fact_sentence(n).article:
            follower = corpus.fact_of[after]
            if _DEPENDENT.match(corpus.sentences[after].text) and follower not in excluded and follower not in picked:
                chosen.append((section, follower))
    return chosen


def _figures(disputes: Sequence[Dispute], corpus: _Corpus, writer: Writer, w: dict, language: str,
             dropped: list[Dropped]) -> tuple[list[Figure], list[BriefSentence], list[BriefSentence]]:
    """The table rows, one summary sentence per dispute, and what the disputes leave open; all written by the
    application from the extracted figures, cited with the passages that state them."""
    figures, summaries, unknown = [], [], []
    evidence = corpus.evidence
    for dispute in disputes:
        parts: dict[str, list[str]] = {}
        cited: list[int] = []
        cited_text = ""
        for row in dispute.rows:
            first = corpus.sentences[row.sentences[0]]
            if row.speaker:
                claimant = writer.label(row.speaker.label, first.language)
            else:
                story = corpus.facts[corpus.fact_of[row.sentences[0]]].story
                claimant = w["own"].format(files=", ".join(corpus.clusters[story].sources))
            here = []
            for index in row.sentences:
                passage = evidence.passage(corpus.facts[corpus.fact_of[index]])
                here.append(evidence.number(passage))
                cited_text += " " + passage.text
            here = list(dict.fromkeys(here))
            cited += here
            figures.append(Figure(_counted(row, w), _figure_value(row, w), row.value, claimant, here))
            if row.value is not None:
                parts.setdefault(claimant, []).append(f"{_figure_value(row, w)} {_counted(row, w)}")
            else:
                what = _genitive(counted(w, row.measure, row.group), language)
                unknown.append(BriefSentence(w["no_figure"].format(counted=what, label=claimant), here, None, "summary"))
        cited = list(dict.fromkeys(cited))
        period = f" ({dispute.period})" if dispute.period else ""
        summary = w["dispute"].format(thing=w["things"][dispute.measure], period=period,
                                      parts="; ".join(f"{who}: {', '.join(said)}" for who, said in parts.items()))
        if numbers(summary) <= numbers(cited_text):  # the application wrote it, but its numbers must be cited
            summaries.append(BriefSentence(summary, cited, None, "summary"))
        else:
            dropped.append(Dropped(summary, "a number of the summary is not in the cited passages"))
        # The count in words: every digit in a briefing sentence must stand in a cited passage.
        parties = len(dispute.claimants)
        unknown.insert(0, BriefSentence(
            w["unknown"].format(verb=w["verbs"][dispute.measure], n=w["counts"][min(parties, len(w["counts"]) - 1)]),
            cited, None, "summary"))
    return figures, summaries, unknown


def build_briefing(
    *,
    store: ChunkStore,
    embedder: Embedder,
    llm: LLM,
    retriever: Retriever | None,
    shorten: Prompt,
    translate: Prompt,
    topic: str | None = None,
    language: str | None = None,
    max_sentences: int = 18,
    fact_tokens: int = 64,
    shorten_above: int = 18,
    n_ctx: int = 4096,
    top_k: int = 5,
    max_file_bytes: int = 2_000_000,
    progress: BriefProgress | None = None,
) -> Briefing:
    started = time.perf_counter()
    report = progress or (lambda stage, fraction: None)
    check_language(language)
    report("reading", 0.0)
    sources = None
    if topic:
        if retriever is None:
            raise AssistantError("a briefing on a topic needs the retriever")
        found = retriever.search(topic, max(2 * top_k, 10))
        if not found or (max(p.dense for p in found) < MIN_RELEVANCE and max(p.lexical for p in found) == 0):
            raise AssistantError(f"no indexed article is about {topic!r}; try other words or index more articles")
        sources = {loc.source for p in focus(found) for loc in p.locations}
    corpus = _corpus(store, sources, max_file_bytes)
    sentences = corpus.sentences
    if language is None:
        spoken = [s.language for s in sentences]
        language = max(LANGUAGES, key=lambda code: (spoken.count(code), code == "en"))
    w = WORDING[language]
    writer = Writer(llm, shorten, translate, embedder, language, max_tokens=fact_tokens, shorten_above=shorten_above,
                    n_ctx=n_ctx)
    dropped: list[Dropped] = []

    report("figures", 0.1)
    mentions = find_mentions([s.text for s in sentences], [s.speaker for s in sentences], [s.article for s in sentences])
    disputes = find_disputes(mentions, [corpus.facts[corpus.fact_of[i]].story for i in range(len(sentences))])
    in_disputes = {corpus.fact_of[i] for d in disputes for row in d.rows for i in row.sentences}

    report("picking", 0.15)
    chosen = _choose(corpus, in_disputes, embedder, topic, max_sentences)
    prepared = time.perf_counter()

    to_check: list[tuple[str, BriefSentence, Passage, str]] = []
    for done, (section, fact) in enumerate(chosen, 1):
        report("writing", 0.2 + 0.7 * done / len(chosen))
        source = corpus.fact_sentence(fact)
        text, origin = writer.write(source.text, source.language, source.speaker)
        if text is None:
            dropped.append(Dropped(source.text, origin))
            continue
        text, problem = neutral(text, source.speaker, w["quotes"])
        if text is None:
            dropped.append(Dropped(source.text, problem))
            continue
        label = writer.label(source.speaker.label, source.language) if source.speaker else None
        original = " ".join(source.text.split()) if source.language != language else None
        sentence = BriefSentence(text, [], label, origin, copied(text, source.text), original)
        to_check.append((section, sentence, corpus.evidence.passage(corpus.facts[fact]), source.text))

    report("checking", 0.92)
    written: dict[str, list[BriefSentence]] = {"what": [], "positions": [], "open": []}
    ratios = []  # words printed per word of the source sentence
    vectors = embedder.embed_documents([s.text for _, s, _, _ in to_check]) if to_check else []
    for (section, sentence, passage, source_text), vector in zip(to_check, vectors):
        if sentence.original:
            # A translation shares no words with its German passage, and a sentence is less like a whole
            # passage than like its own source: its source sentence, which the writer checked it against
            # (numbers, negations, names, meaning), is what is attributed; its numbers must be cited too.
            supported, reason = attribute_sentence(source_text, [passage], None)
            if supported and not numbers(sentence.text) <= numbers(passage.text):
                supported, reason = [], "its numbers are not in the cited passage"
        else:
            supported, reason = attribute_sentence(sentence.text, [passage], vector)
        if not supported:
            dropped.append(Dropped(sentence.text, reason or "no passage supports it"))
            continue
        sentence.citations = [corpus.evidence.number(passage)]
        written[section].append(sentence)
        ratios.append(len(words(sentence.text)) / max(1, len(words(source_text))))
    narrative = [s for section in written.values() for s in section]
    # Each party's statements together, parties in the order they are first heard.
    first_heard = {}
    for n, sentence in enumerate(written["positions"]):
        first_heard.setdefault(sentence.speaker, n)
    written["positions"].sort(key=lambda s: first_heard[s.speaker])
    figures, summaries, unknown = _figures(disputes, corpus, writer, w, language, dropped)

    sections = [
        Section("what", w["what"], written["what"]),
        Section("positions", w["positions"], written["positions"]),
        Section("figures", w["figures"], summaries),
        Section("open", w["open"], unknown + written["open"]),
    ]
    report("done", 1.0)
    finished = time.perf_counter()
    return Briefing(
        topic=topic, language=language, sections=sections, figures=figures,
        stories=_stories(corpus.articles, corpus.clusters), citations=corpus.evidence.citations(), model=llm.name,
        prompt_version=f"{shorten.id}+{translate.id}",
        stats={
            "sentences": sum(len(s.sentences) for s in sections),
            "from_sources": sum(s.origin == "source" for s in narrative),
            "by_model": sum(s.origin == "model" for s in narrative),
            "summaries": sum(x.origin == "summary" for section in sections for x in section.sentences),
            "copied_share": round(float(np.mean([s.copied for s in narrative])), 3) if narrative else 0.0,
            "length_ratio": round(float(np.mean(ratios)), 3) if ratios else 0.0,
            "model_calls": writer.calls,
            "model_tokens": writer.tokens,
            "model_replies_rejected": len(writer.rejected),
        },
        timings={"prepare_s": round(prepared - started, 3), "write_s": round(finished - prepared, 3),
                 "total_s": round(finished - started, 3)},
        dropped=dropped,
        rejected=writer.rejected,
        translated=any(s.original for s in narrative),
    )


def _genitive(counted: str, language: str) -> str:
    """'getötete Soldaten' -> 'getöteten Soldaten' (after "der Zahl der"); English needs nothing."""
    if language != "de":
        return counted
    return " ".join(word + "n" if word.endswith("e") else word for word in counted.split())
