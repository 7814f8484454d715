"""Figures the evidence gives differently, said in the answer with who gives each and when, instead of one of
them chosen silently. The application writes this sentence from the figures it extracts (briefing/figures.py):
the small model flips who-said-what when it compares numbers."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .briefing.figures import GROUPS, find_disputes, find_mentions, measure_of
from .briefing.speakers import find_speakers
from .briefing.wording import WORDING, counted_row, dispute_sentence, figure_value
from .cite import Attributed
from .spans import Passage
from .text import numbers

# A question that asks for a figure: "how many", "wie viele", "welche Todeszahlen", "death toll".
_ASKS_FOR_FIGURE = re.compile(
    r"how many|how much|wie viele|wie hoch|combien|cuánt|cuant|\bfigures?\b|\btolls?\b|zahl|\bbilan\b|\bcifras?\b",
    re.I,
)


def disagreement(question: str, evidence: Sequence[Passage], answer: str, language: str) -> Attributed | None:
    """One sentence naming each claimant's figure for what the question asks, where the evidence sentences give it
    differently and the answer does not already show every figure; cited with the sentences that give them (their
    citations carry each article's date, which tells a dispute from a toll that rose)."""
    measure = measure_of(question)
    if measure is None or not _ASKS_FOR_FIGURE.search(question):
        return None
    texts = [" ".join(p.text.split()) for p in evidence]
    # Each evidence sentence stands alone: a pronoun must not borrow a speaker from another article's sentence.
    speakers = [find_speakers([text])[0] for text in texts]
    asked_group = next((name for name, pattern in GROUPS.items() if pattern.search(question)), None)
    mentions = [
        m
        for m in find_mentions(texts, speakers, list(range(len(texts))))
        if m.measure == measure and m.value is not None and asked_group in (None, m.group)
    ]
    disputes = find_disputes(mentions, list(range(len(texts))))  # wire copies are already one passage
    if not disputes:
        return None
    dispute = disputes[0]
    if {row.value for row in dispute.rows if row.value} <= numbers(answer):
        return None
    w = WORDING.get(language, WORDING["en"])
    parts: dict[str, list[str]] = {}
    cited: list[int] = []
    for row in dispute.rows:
        first = evidence[row.sentences[0]]
        claimant = row.speaker.label if row.speaker else w["own"].format(files=", ".join(first.sources))
        parts.setdefault(claimant, []).append(f"{figure_value(row, w)} {counted_row(row, w)}")
        cited += row.sentences
    return Attributed(dispute_sentence(w, dispute.measure, dispute.period, parts), list(dict.fromkeys(cited)))
