"""Offline checks of one cached eval output against its item: facts present, wrong facts absent, citations exact
and supported, numbers cited, abstention, language. Pure functions of the output, the item and the corpus text:
rescoring never runs a model."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import date
from functools import lru_cache
from typing import Any

from ..answer import ORIGINAL_NOTE
from ..briefing.wording import WORDING, when
from ..chunking import split_sentences
from ..cite import LEXICAL_SUPPORT, support_scores
from ..dates import find_dates, publication_date
from ..language import detect
from ..spans import MARK, Citation, Passage, by_number, mark_numbers, strip_marks
from ..text import number_spans, numbers, stated_numbers
from .items import Briefing, Groups, Question

# The application writes each answer sentence followed by its marks: "Sentence. [1][2] Next one. [3]".
_CITED_SENTENCE = re.compile(r"(.+?)\s*((?:" + MARK.pattern + r")+)(?=\s|$)", re.S)


# --- matching answers against the expected facts -----------------------------------------------------------


@lru_cache(maxsize=1024)
def _variant_pattern(variant: str) -> re.Pattern[str]:
    # A variant matches at a word start ("Armenier" in "Armeniern"); a number matches whole ("30" not in "30.000");
    # an acronym written in capitals matches only as written ("US" not in "used").
    flags = 0 if len(variant) > 1 and variant.isupper() else re.IGNORECASE
    start = r"(?<!\w)" if variant[0].isalnum() else ""
    end = r"(?!\d|[.,]\d)" if variant[-1].isdigit() else ""
    return re.compile(start + re.escape(variant) + end, flags)


def mentions(text: str, variant: str) -> bool:
    return _variant_pattern(variant).search(text) is not None


def missing_groups(text: str, groups: Groups) -> list[str]:
    """The first variant of each group that none of its variants matches."""
    return [group[0] for group in groups if not any(mentions(text, v) for v in group)]


def hits(text: str, variants: Iterable[str]) -> list[str]:
    return [v for v in variants if mentions(text, v)]


def cited_sentences(answer: str) -> tuple[list[tuple[str, list[int]]], str]:
    """(sentence, its [n]s) for each cited sentence, and whatever text follows the last marker."""
    sentences, end = [], 0
    for match in _CITED_SENTENCE.finditer(answer):
        sentences.append((match.group(1).strip(), mark_numbers(match.group(2))))
        end = match.end()
    return sentences, answer[end:].strip()


# --- per-item checks -------------------------------------------------------------------------------------


def retrieval_scores(
    ranked: Sequence[Sequence[dict]],
    gold_sources: Sequence[str],
    gold_passages: Groups,
    corpus: dict[str, str],
    k: int,
) -> dict | None:
    """Source recall, gold-passage recall, reciprocal rank and nDCG@k of the ranked passages (each a list of
    {source, start, end} locations: wire copies collapse into one passage). Without gold passages a passage is
    relevant when it comes from a gold source; each gold unit (a fact, whichever of its passages shows it) is
    credited once, so nDCG stays within [0, 1]."""
    if not gold_sources:
        return None
    units: list = list(range(len(gold_passages))) or list(gold_sources)

    def credited(location: dict) -> set:
        if location["source"] not in gold_sources:
            return set()
        if not gold_passages:
            return {location["source"]}
        span = corpus.get(location["source"], "")[location["start"] : location["end"]]
        return {n for n, group in enumerate(gold_passages) if any(g in span for g in group)}

    seen_sources = {loc["source"] for passage in ranked[:k] for loc in passage}
    found: set = set()
    gains = []
    for passage in ranked[:k]:
        new = set().union(*(credited(loc) for loc in passage)) - found
        gains.append(1.0 if new else 0.0)
        found |= new
    first = next((rank for rank, gain in enumerate(gains, 1) if gain), None)
    dcg = sum(g / math.log2(rank + 1) for rank, g in enumerate(gains, 1))
    ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(k, len(units)) + 1))
    return {
        "source_recall": len(seen_sources & set(gold_sources)) / len(gold_sources),
        "passage_recall": len(found) / len(units) if gold_passages else None,
        "rr": 1.0 / first if first else 0.0,
        "ndcg": dcg / ideal,
        "first_relevant_rank": first,
    }


def _date_line_of(passage: str, source: str, corpus: dict[str, str]) -> bool:
    """The passage is its article's date line: the prompt prints that date beside every line from the article."""
    published = publication_date(corpus.get(source, ""))
    return published is not None and passage in corpus[source] and publication_date(passage) == published


def facts_shown(shown: Sequence[Sequence[dict]], gold_passages: Groups, corpus: dict[str, str]) -> dict | None:
    """How many of the facts an answer needs (its gold passages) stood in what the model was shown: the text of
    the shown locations, and the publication date of each article they come from."""
    if not gold_passages:
        return None
    texts = [corpus.get(loc["source"], "")[loc["start"] : loc["end"]] for passage in shown for loc in passage]
    sources = {loc["source"] for passage in shown for loc in passage}

    def seen(variant: str) -> bool:
        return any(variant in text for text in texts) or any(_date_line_of(variant, s, corpus) for s in sources)

    missing = [group[0] for group in gold_passages if not any(seen(v) for v in group)]
    return {"total": len(gold_passages), "missing": missing}


def citation_problems(answer: dict, corpus: dict[str, str]) -> tuple[int, list[str]]:
    """(number of citations, what is wrong): each must point at a retrieved location, quote the file exactly
    there, and be referenced in the text; each [n] in the text must have a citation."""
    retrieved = answer.get("retrieved", [])
    referenced = set(mark_numbers(answer["answer"]))
    problems = []
    for c in answer["citations"]:
        label = f"[{c['n']}] {c['source']}:{c['start']}-{c['end']}"
        if not any(r["source"] == c["source"] and r["start"] <= c["start"] and c["end"] <= r["end"] for r in retrieved):
            problems.append(f"{label} is not a retrieved passage")
        elif corpus.get(c["source"], "")[c["start"] : c["end"]] != c["quote"]:
            problems.append(f"{label} quote differs from the file text there")
        elif c["n"] not in referenced:
            problems.append(f"{label} is not referenced in the answer")
    numbered = {c["n"] for c in answer["citations"]}
    problems += [f"[{n}] in the answer has no citation" for n in sorted(referenced - numbered)]
    return len(answer["citations"]) + len(referenced - numbered), problems


def _days_stated(citations: Sequence[dict]) -> set[date]:
    """The calendar days the cited quotes give: their dates, relative ones resolved against the article's date,
    and that date itself (printed with every citation)."""
    days = set()
    for c in citations:
        published = date.fromisoformat(c["date"]) if c.get("date") else None
        days |= {day for m in find_dates(c["quote"]) if (day := m.resolve(published))}
        if published:
            days.add(published)
    return days


def unquoted_numbers(text: str, citations: Sequence[dict]) -> set[str]:
    """Numbers of the text that no cited quote has, in digits or in words, a day, month or year of a date the
    citations give aside ("on Wednesday (27 September 2023)" where the quote says "am Mittwoch" in an article of
    28 September)."""
    quoted = set().union(*(stated_numbers(c["quote"], detect(c["quote"])) for c in citations)) if citations else set()
    days = _days_stated(citations)
    dated = [(m.start, m.end) for m in find_dates(text) if m.year and m.month and m.day and m.resolve(None) in days]
    return {v for s, _, v in number_spans(text) if v not in quoted and not any(a <= s < b for a, b in dated)}


def sentence_support(answer: dict) -> dict:
    """Each cited sentence against the passages it cites: its numbers must all be there, and (when sentence and
    passage share a language) enough of its content words, by the same measure the pipeline uses."""
    quoted = {
        n: [asdict(c) for c in cited] for n, cited in by_number([Citation(**c) for c in answer["citations"]]).items()
    }
    asked = numbers(answer["question"])  # numbers and dates the question gives are no claims of the answer
    sentences, uncited = cited_sentences(answer["answer"])
    result: dict[str, Any] = {"cited": 0, "supported": 0, "crosslingual": 0, "unsupported": []}
    for sentence, marks in sentences:
        citations = [c for n in marks for c in quoted.get(n, [])]
        cited = [c["quote"] for c in citations]
        if not cited:
            result["unsupported"].append(f"{sentence} (cites nothing that exists)")
            continue
        lost = unquoted_numbers(sentence, citations) - asked
        if detect(sentence) != detect(cited[0]):
            result["crosslingual"] += 1  # content words cannot be compared across languages; numbers still can
            if lost:
                result["unsupported"].append(f"{sentence} (number(s) {', '.join(sorted(lost))} not in its passages)")
            continue
        result["cited"] += 1
        lexical = max(support_scores(sentence, None, _passage(q))[0] for q in cited)
        if lost:
            result["unsupported"].append(f"{sentence} (number(s) {', '.join(sorted(lost))} not in its passages)")
        elif lexical < LEXICAL_SUPPORT:
            result["unsupported"].append(f"{sentence} (only {lexical:.0%} of its content words in its passages)")
        else:
            result["supported"] += 1
    if uncited and not answer["abstained"]:
        result["unsupported"].append(f"{uncited} (no citation)")
    return result


def _passage(text: str) -> Passage:
    return Passage(text=text, locations=[], score=0.0, dense=0.0, lexical=0.0)


def score_question(item: Question, output: dict, corpus: dict[str, str], k: int) -> dict:
    answer: Any = output.get("answer")
    score: dict = {
        "id": item.id,
        "type": "question",
        "kind": item.kind,
        "language": item.language,
        "tags": list(item.tags),
    }
    text = strip_marks(answer["answer"]) if answer else ""
    if _nothing(score, text, output):
        return score
    failures = []
    abstained = bool(answer["abstained"])
    score["abstained"] = abstained
    score["answer"] = answer["answer"]
    score["latency_s"] = answer["timings"]["total_s"]
    score["retrieval"] = retrieval_scores(output["passages"], item.gold_sources, item.gold_passages, corpus, k)
    score["facts"] = facts_shown(output["passages"], item.gold_passages, corpus) if item.answerable else None

    missing = missing_groups(text, item.must_include)
    score["must_include"] = {"total": len(item.must_include), "missing": missing} if item.answerable else None
    score["must_not_hits"] = hits(text, item.must_not_include)
    if score["must_not_hits"]:
        failures.append(f"says {', '.join(score['must_not_hits'])}")

    total, problems = citation_problems(answer, corpus)
    score["citations"] = {"total": total, "problems": problems}
    failures += [f"citation {p}" for p in problems]
    support = sentence_support(answer)
    score["support"] = support
    failures += [f"unsupported: {u}" for u in support["unsupported"]]

    stated = sorted(numbers(text)) if not abstained else []
    unquoted = unquoted_numbers(text, answer["citations"]) - numbers(item.question)
    score["numbers"] = {"total": len(stated), "missing": [n for n in stated if n in unquoted]}
    if score["numbers"]["missing"]:
        failures.append(f"number(s) {', '.join(score['numbers']['missing'])} in no cited passage")

    if item.answerable:
        score["false_abstention"] = abstained
        if abstained:
            failures.append("abstained on an answerable question")
        elif missing:
            failures.append(f"missing {', '.join(missing)}")
    else:
        gap_stated = bool(item.gap_statement) and not abstained and not missing_groups(text, item.gap_statement)
        score["abstention_ok"] = abstained or (gap_stated and not score["must_not_hits"])
        score["gap_stated"] = gap_stated
        if not score["abstention_ok"]:
            failures.append("answered instead of abstaining")

    return _verdict(score, failures, text, item.language, "answer")


def _nothing(score: dict, text: str, output: dict) -> bool:
    """Marks an empty or failed output (a hard-gate failure) and says whether there was one."""
    score["empty"] = not text
    score["error"] = output.get("error")
    if not text:
        score.update(passed=False, failures=[f"error: {score['error']}" if score["error"] else "empty output"])
    return not text


def _verdict(score: dict, failures: list[str], text: str, language: str, what: str) -> dict:
    score["language_detected"] = detect(ORIGINAL_NOTE.sub("", text))  # the source a translation shows is quoted
    score["language_ok"] = score["language_detected"] == language
    if not score["language_ok"]:
        failures.append(f"{what} in {score['language_detected']}, expected {language}")
    score["failures"] = failures
    score["passed"] = not failures
    return score


def _claim_windows(text: str) -> list[tuple[str, str]]:
    """(sentence, sentence with the one before it) for each sentence of each line: who said it is often named
    one sentence earlier ("Putin said on Thursday ... The total is nearing 5,000.")."""
    windows = []
    for line in text.splitlines():
        spans = split_sentences(line)
        for i, span in enumerate(spans):
            sentence = line[span.start : span.end]
            windows.append((sentence, line[spans[max(i - 1, 0)].start : span.end]))
    return windows


def attribution_result(text: str, claim: Sequence[str], speaker: Sequence[str], not_speaker: Sequence[str]) -> dict:
    """Found: a sentence states the claim; attributed: one such sentence (or the one before it) names a speaker;
    misattributed: a sentence states the claim with a wrong speaker and no right one."""
    windows = [(s, w) for s, w in _claim_windows(text) if hits(s, claim)]
    attributed = any(hits(w, speaker) for _, w in windows)
    wrong = [s for s, _ in windows if hits(s, not_speaker) and not hits(s, speaker)]
    return {
        "claim": claim[0],
        "found": bool(windows),
        "attributed": attributed,
        "misattributed": wrong,
        "ok": attributed and not wrong,
    }


def briefing_text(data: dict) -> str:
    """What a briefing tells its reader, one sentence or table row a line: the sections (a position with its
    speaker, a chronology entry with its date as printed) and the figures table. The evidence list is left out:
    its quotes are the sources', not the briefing's, and would match any required fact."""
    lines = []
    for section in data["sections"]:
        for sentence in section["sentences"]:
            line = f"{sentence['speaker']}: {sentence['text']}" if sentence.get("speaker") else sentence["text"]
            if sentence.get("date"):
                line = f"{when(WORDING[data['language']], sentence['date'])}: {line}"
            lines.append(line)
    lines += [f"{f['claimant']}: {f['counted']} {f['value']}." for f in data.get("figures", [])]
    return "\n".join(lines)


def briefing_citation_problems(data: dict, corpus: dict[str, str]) -> tuple[int, list[str]]:
    """Each citation must quote its file exactly; each number a sentence or figure cites must exist."""
    problems = []
    for c in data["citations"]:
        if corpus.get(c["source"], "")[c["start"] : c["end"]] != c["quote"]:
            problems.append(f"[{c['n']}] {c['source']}:{c['start']}-{c['end']} quote differs from the file text there")
    numbered = {c["n"] for c in data["citations"]}
    cited = [n for section in data["sections"] for s in section["sentences"] for n in s["citations"]]
    cited += [n for f in data.get("figures", []) for n in f["citations"]]
    dangling = sorted(set(cited) - numbered)
    problems += [f"[{n}] is cited but has no citation" for n in dangling]
    return len(data["citations"]) + len(dangling), problems


def score_briefing(item: Briefing, output: dict, corpus: dict[str, str]) -> dict:
    score: dict = {"id": item.id, "type": "briefing", "kind": "briefing", "language": item.language}
    data: Any = (output.get("briefing") or {}).get("json")
    text = briefing_text(data).strip() if data else ""
    if _nothing(score, text, output):
        return score
    failures = []
    score["latency_s"] = output.get("seconds")
    missing = missing_groups(text, item.must_include)
    score["must_include"] = {"total": len(item.must_include), "missing": missing}
    if missing:
        failures.append(f"missing {', '.join(missing)}")
    score["must_not_hits"] = hits(text, item.must_not_include)
    if score["must_not_hits"]:
        failures.append(f"says {', '.join(score['must_not_hits'])}")
    score["attributions"] = [attribution_result(text, a.claim, a.speaker, a.not_speaker) for a in item.attributions]
    for a in score["attributions"]:
        if not a["ok"]:
            why = "not stated" if not a["found"] else "no speaker named" if not a["attributed"] else "wrong speaker"
            failures.append(f"attribution of {a['claim']}: {why}")
    total, problems = briefing_citation_problems(data, corpus)
    score["citations"] = {"total": total, "problems": problems}
    failures += [f"citation {p}" for p in problems]
    return _verdict(score, failures, text, item.language, "briefing")
