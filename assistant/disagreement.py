"""Figures the evidence gives differently, said in the answer with who gives each and when, instead of one of
them chosen silently. The application writes this sentence from the figures it extracts (briefing/figures.py):
the small model flips who-said-what when it compares numbers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .briefing.figures import GROUPS, asked_measure, find_disputes, find_mentions
from .briefing.speakers import find_speakers
from .briefing.wording import WORDING, dispute_sentence, figure_phrase
from .cite import Attributed
from .claims import names_party, party_asked_for
from .spans import Passage
from .text import numbers

# Articles at most this many days apart report the same moment of a story; further apart, a figure has moved on.
SAME_DAYS = 2


def disagreement(question: str, evidence: Sequence[Passage], answer: str, language: str) -> Attributed | None:
    """One sentence naming each party's figure for what the question asks, where the answer states one party's
    figure and another named party gives it differently in articles of the same days; cited with the sentences
    that give them. Figures of articles days apart are a toll that moved, and an article's own figures are no
    party's claim: neither is set against the answer; nor is anything where the question asks for the answer's
    party's figure ("according to Putin")."""
    measure = asked_measure(question)
    if measure is None:
        return None
    texts = [" ".join(p.text.split()) for p in evidence]
    # Each evidence sentence stands alone: a pronoun must not borrow a speaker from another article's sentence.
    speakers = [find_speakers([text])[0] for text in texts]
    asked_group = next((name for name, pattern in GROUPS.items() if pattern.search(question)), None)
    mentions = [
        m
        for m in find_mentions(texts, speakers, list(range(len(texts))))
        if m.measure == measure and m.value is not None and m.speaker is not None and asked_group in (None, m.group)
    ]
    stated = numbers(answer)
    anchor = next((m for m in mentions if m.value in stated), None)
    if anchor is None:
        return None
    asked_party = party_asked_for(question)
    if asked_party is not None and anchor.speaker is not None and names_party(anchor.speaker.label, asked_party):
        return None
    when = evidence[anchor.sentence].published
    mentions = [m for m in mentions if _days_apart(evidence[m.sentence].published, when) <= SAME_DAYS]
    # The figures set side by side are those of the answer's own measure and period: the 30,000 dead of the 1990s
    # war are no party's other reading of this year's toll.
    disputes = [
        dispute
        for dispute in find_disputes(mentions, list(range(len(texts))))
        if dispute.period == anchor.period and any(row.value == anchor.value for row in dispute.rows)
    ]
    if not disputes or {row.value for row in disputes[0].rows if row.value} <= stated:
        return None
    w = WORDING.get(language, WORDING["en"])
    parts: dict[str, list[str]] = {}
    cited: list[int] = []
    for row in disputes[0].rows:
        if row.speaker is not None:
            parts.setdefault(row.speaker.label, []).append(figure_phrase(row, w))
            cited += row.sentences
    return Attributed(dispute_sentence(w, disputes[0].measure, disputes[0].period, parts), list(dict.fromkeys(cited)))


def _days_apart(a: date | None, b: date | None) -> int:
    return abs((a - b).days) if a and b else 0
