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

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..cite import Dropped, attribute_sentence
from ..dates import asked_years
from ..embed import Embedder
from ..errors import AssistantError
from ..generate import LLM
from ..language import detect
from ..prompts import Prompt
from ..retrieve import Retriever, focus
from ..settings import Settings
from ..spans import Passage, is_relevant
from ..store import ChunkStore
from ..text import numbers, words
from .attribution import Attributor, ReplyCache, with_model_figures
from .chronology import find_events, sentence_date
from .figures import Dispute, find_disputes, find_mentions
from .model import Briefing, BriefSentence, Figure, Section
from .rewrite import Writer, copied, neutral
from .select import Corpus, choose, read_corpus, stories
from .wording import LANGUAGES, WORDING, counted, counted_row, dispute_sentence, figure_phrase, figure_value

BriefProgress = Callable[[str, float], None]
# Passages a topic is searched for; the articles of those near the best make the briefing's library.
TOPIC_PASSAGES = 20


# --- the figures ----------------------------------------------------------------------------------------------


def check_language(language: str | None) -> None:
    if language is not None and language not in LANGUAGES:
        raise AssistantError(f"briefings are written in {' or '.join(LANGUAGES)}, not {language!r}")


def _figures(
    disputes: Sequence[Dispute], corpus: Corpus, writer: Writer, w: dict, language: str, dropped: list[Dropped]
) -> tuple[list[Figure], list[BriefSentence], list[BriefSentence]]:
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
            published = corpus.articles[first.article].dated_by_text
            as_of = sentence_date(first.text, published)
            figures.append(
                Figure(
                    counted_row(row, w),
                    figure_value(row, w),
                    row.value,
                    claimant,
                    here,
                    as_of.iso() if as_of else None,
                    published.isoformat() if published else None,
                )
            )
            if row.value is not None:
                parts.setdefault(claimant, []).append(figure_phrase(row, w))
            else:
                what = _genitive(counted(w, row.measure, row.group), language)
                unknown.append(
                    BriefSentence(w["no_figure"].format(counted=what, label=claimant), here, None, "summary")
                )
        cited = list(dict.fromkeys(cited))
        summary = dispute_sentence(w, dispute.measure, dispute.period, parts)
        if numbers(summary) <= numbers(cited_text):  # the application wrote it, but its numbers must be cited
            summaries.append(BriefSentence(summary, cited, None, "summary"))
        else:
            dropped.append(Dropped(summary, "a number of the summary is not in the cited passages"))
        # The count in words: every digit in a briefing sentence must stand in a cited passage.
        parties = len(dispute.claimants)
        unknown.insert(
            0,
            BriefSentence(
                w["unknown"].format(
                    verb=w["verbs"][dispute.measure], n=w["counts"][min(parties, len(w["counts"]) - 1)]
                ),
                cited,
                None,
                "summary",
            ),
        )
    return figures, summaries, unknown


def _chronology(corpus: Corpus, w: dict, dropped: list[Dropped]) -> list[BriefSentence]:
    """Dated events in the order they happened, each its source sentence as written (no model: a date or a
    name must not shift), cited with its passage. A timeline of its own: it may repeat a narrative sentence."""
    entries = []
    for event in find_events(corpus):
        source = corpus.fact_sentence(event.fact)
        text, problem = neutral(" ".join(source.text.split()), source.speaker, w["quotes"])
        if text is None:
            dropped.append(Dropped(source.text, problem))
            continue
        cited = [corpus.evidence.number(corpus.evidence.passage(corpus.facts[event.fact]))]
        label = source.speaker.label if source.speaker else None
        entries.append(BriefSentence(text, cited, label, "source", 1.0, date=event.when.iso()))
    return entries


def build_briefing(
    settings: Settings,
    *,
    store: ChunkStore,
    embedder: Embedder,
    llm: LLM,
    retriever: Retriever | None,
    shorten: Prompt,
    translate: Prompt,
    attribute: Prompt | None = None,
    topic: str | None = None,
    language: str | None = None,
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
        found = retriever.search(topic, TOPIC_PASSAGES, language=detect(topic))
        if not is_relevant(found):
            raise AssistantError(f"no indexed article is about {topic!r}; try other words or index more articles")
        sources = {loc.source for p in focus(found) for loc in p.locations}
    attributor = None
    if attribute is not None and settings.brief_model_sentences:
        cache = ReplyCache(settings.index_dir / "attributions.jsonl")
        attributor = Attributor(llm, attribute, cache, settings.brief_model_sentences)
    corpus = read_corpus(store, sources, settings.max_file_bytes, attributor, asked_years(topic) if topic else None)
    sentences = corpus.sentences
    if language is None:
        spoken = [s.language for s in sentences]
        language = max(LANGUAGES, key=lambda code: (spoken.count(code), code == "en"))
    w = WORDING[language]
    writer = Writer(llm, shorten, translate, embedder, language, settings)
    dropped: list[Dropped] = []

    report("figures", 0.1)
    speakers = [s.speaker for s in sentences]
    texts = [s.text for s in sentences]
    mentions = with_model_figures(
        texts, find_mentions(texts, speakers, [s.article for s in sentences]), corpus.verified, speakers
    )
    disputes = find_disputes(mentions, [corpus.facts[corpus.fact_of[i]].story for i in range(len(sentences))])
    in_disputes = {corpus.fact_of[i] for d in disputes for row in d.rows for i in row.sentences}

    report("picking", 0.15)
    chosen = choose(corpus, in_disputes, embedder, topic, settings.brief_max_sentences, language)
    prepared = time.perf_counter()

    to_check: list[tuple[str, BriefSentence, Passage, str]] = []
    for done, (section, fact) in enumerate(chosen, 1):
        report("writing", 0.2 + 0.7 * done / len(chosen))
        source = corpus.fact_sentence(fact)
        draft, origin = writer.write(source.text, source.language, source.speaker)
        text, problem = neutral(draft, source.speaker, w["quotes"])
        if text is None:
            dropped.append(Dropped(source.text, problem))
            continue
        label = writer.label(source.speaker.label, source.language) if source.speaker else None
        original = " ".join(source.text.split()) if origin == "model" and source.language != language else None
        sentence = BriefSentence(text, [], label, origin, copied(text, source.text), original)
        to_check.append((section, sentence, corpus.evidence.passage(corpus.facts[fact]), source.text))

    report("checking", 0.92)
    written: dict[str, list[BriefSentence]] = {"what": [], "positions": [], "open": []}
    ratios = []  # words printed per word of the source sentence
    vectors: Any = embedder.embed_documents([s.text for _, s, _, _ in to_check]) if to_check else []
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
    first_heard: dict[str | None, int] = {}
    for n, sentence in enumerate(written["positions"]):
        first_heard.setdefault(sentence.speaker, n)
    written["positions"].sort(key=lambda s: first_heard[s.speaker])
    figures, summaries, unknown = _figures(disputes, corpus, writer, w, language, dropped)
    chronology = _chronology(corpus, w, dropped)

    sections = [
        Section("what", w["what"], written["what"]),
        Section("chronology", w["chronology"], chronology),
        Section("positions", w["positions"], written["positions"]),
        Section("figures", w["figures"], summaries),
        Section("open", w["open"], unknown + written["open"]),
    ]
    report("done", 1.0)
    finished = time.perf_counter()
    return Briefing(
        topic=topic,
        language=language,
        sections=sections,
        figures=figures,
        stories=stories(corpus.articles, corpus.clusters),
        citations=corpus.evidence.citations(),
        model=llm.name,
        prompt_version="+".join(p.id for p in (shorten, translate, attribute) if p is not None),
        stats={
            "sentences": sum(len(s.sentences) for s in sections),
            "from_sources": sum(s.origin == "source" for s in narrative),
            "by_model": sum(s.origin == "model" for s in narrative),
            "untranslated": sum(s.origin == "untranslated" for s in narrative),
            "summaries": sum(x.origin == "summary" for section in sections for x in section.sentences),
            "copied_share": round(float(np.mean([s.copied for s in narrative])), 3) if narrative else 0.0,
            "length_ratio": round(float(np.mean(ratios)), 3) if ratios else 0.0,
            "model_calls": writer.calls,
            "model_tokens": writer.tokens,
            "model_replies_rejected": len(writer.rejected),
            "attribution_calls": attributor.asked if attributor else 0,
            "attribution_cached": attributor.reused if attributor else 0,
        },
        timings={
            "prepare_s": round(prepared - started, 3),
            "write_s": round(finished - prepared, 3),
            "total_s": round(finished - started, 3),
        },
        dropped=dropped,
        rejected=writer.rejected,
        translated=any(s.original for s in narrative),
    )


def _genitive(counted: str, language: str) -> str:
    """'getötete Soldaten' -> 'getöteten Soldaten' (after "der Zahl der"); English needs nothing."""
    if language != "de":
        return counted
    return " ".join(word + "n" if word.endswith("e") else word for word in counted.split())
