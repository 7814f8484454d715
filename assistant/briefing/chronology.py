"""A briefing's chronology: the dated events the articles report, each a source sentence with the date it
states (dates.py; "on Friday", "gestern" resolved against its article's publication date where the article
states one, never against a file's time), ordered by the
event's date, not by when an article appeared. An entry has one date: a sentence whose dates fall in different
years is left out rather than filed under one of them, and entries are keyed by the full date, so events of two
years never share an entry. A bare year counts only after a word that makes it one (dates.is_year)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..dates import DateMention, find_dates, is_year
from ..text import words
from .select import Corpus

_MIN_WORDS = 6
MAX_EVENTS = 10


@dataclass(frozen=True)
class EventDate:
    """As much of a date as the text fixes: (2023, 2, 6), (2023, 2, None) or (2016, None, None)."""

    year: int
    month: int | None
    day: int | None

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def iso(self) -> str:
        return "-".join(f"{part:02d}" for part in (self.year, self.month, self.day) if part)


@dataclass(frozen=True)
class Event:
    when: EventDate
    fact: int  # index into corpus.facts


def _event_date(mention: DateMention, text: str, published: date | None) -> EventDate | None:
    day = mention.resolve(published)
    if day is not None:
        return EventDate(day.year, day.month, day.day)
    if mention.year and mention.month:
        return EventDate(mention.year, mention.month, None)
    if mention.year and is_year(mention, text):
        return EventDate(mention.year, None, None)
    return None


def sentence_date(text: str, published: date | None) -> EventDate | None:
    """The one date a sentence reports an event on; None for none, or for dates in more than one year."""
    mentions = find_dates(text)
    dates = [d for m in mentions if (d := _event_date(m, text, published)) is not None]
    years = {d.year for d in dates} | {m.year for m in mentions if m.year}
    if not dates or len(years) > 1:
        return None  # "ab 1950 errichtet; 1956 in Betrieb": two events, or a count read as a year
    return dates[0]


def find_events(corpus: Corpus) -> list[Event]:
    """Dated events, at most MAX_EVENTS, ordered by date: each date once (the fact the most articles repeat, then
    the first), the dates the most facts mention first when there are too many."""
    by_date: dict[tuple[int, int, int], list[Event]] = {}
    for index in range(len(corpus.facts)):
        sentence = corpus.fact_sentence(index)
        if sentence.heading or len(words(sentence.text)) < _MIN_WORDS:
            continue
        # "am Freitag" is dated by the article's own date only; a file's time says when it was saved.
        when = sentence_date(sentence.text, corpus.articles[sentence.article].dated_by_text)
        if when is not None:
            by_date.setdefault(when.key, []).append(Event(when, index))
    chosen = sorted(by_date.values(), key=len, reverse=True)[:MAX_EVENTS]
    picked = [max(events, key=lambda e: (len(corpus.facts[e.fact].copies), -e.fact)) for events in chosen]
    return sorted(picked, key=lambda e: e.when.key)
