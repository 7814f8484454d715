"""Dates in news text, in German, English, French and Spanish: the dates a text states (a full date, a day and
month, a month and year, a year, a weekday, "yesterday"), each typed and located, and resolved against the
article's publication date, which comes from the file's front matter or its date line.

Answers and briefings compare dates as dates, not as digits: "27" in "27. September" is a day, never a count,
and "on Friday" in an article of Monday 25 September 2023 is 22 September 2023."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .text import number_spans

_MONTH_NAMES = [
    "januar jänner january janvier enero jan",
    "februar february février fevrier febrero feb",
    "märz maerz march mars marzo mar mär",
    "april avril abril apr",
    "mai may mayo",
    "juni june juin junio jun",
    "juli july juillet julio jul",
    "august august août aout agosto aug",
    "september september septembre septiembre setiembre sep sept",
    "oktober october octobre octubre okt oct",
    "november november novembre noviembre nov",
    "dezember december décembre decembre diciembre dez dec",
]
MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names.split()}
_WEEKDAY_NAMES = [
    "montag monday lundi lunes",
    "dienstag tuesday mardi martes",
    "mittwoch wednesday mercredi miércoles miercoles",
    "donnerstag thursday jeudi jueves",
    "freitag friday vendredi viernes",
    "samstag sonnabend saturday samedi sábado sabado",
    "sonntag sunday dimanche domingo",
]
WEEKDAYS = {name: number for number, names in enumerate(_WEEKDAY_NAMES) for name in names.split()}
# Days back from the article's date.
_RELATIVE = {
    "gestern": 1, "yesterday": 1, "hier": 1, "ayer": 1, "vortag": 1, "vorgestern": 2, "heute": 0, "today": 0,
    "aujourd'hui": 0, "hoy": 0, "tonight": 0,
}  # fmt: skip

_MONTH = r"(?P<month>" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = [
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b"),
    re.compile(r"\b(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./](?P<year>(?:19|20)\d\d)\b"),
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:\.|er|st|nd|rd|th)?\s+(?:de\s+)?{_MONTH}(?:,?\s+(?:de\s+)?{_YEAR})?(?!\w)", re.I
    ),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR})?", re.I),
    re.compile(rf"\b{_MONTH}\s+(?:de\s+)?{_YEAR}\b", re.I),
    re.compile(r"(?<![\d.,])" + _YEAR + r"(?![\d.,]\d)"),
]
_WEEKDAY = re.compile(r"\b(?P<weekday>" + "|".join(WEEKDAYS) + r")s?\b", re.I)
# A future tense or "next" before a weekday in its clause: the coming one ("Der Rest werde voraussichtlich bis
# Sonntag entweichen", "doit se tenir jeudi", "are due to meet later on Thursday").
_AHEAD = re.compile(
    r"\b(?:will|shall|werde|werden|wird|soll|sollen|doit|doivent|devra|devront|va|vont|irá|is\s+due|are\s+due|"
    r"kommenden|nächsten|next|coming|prochain\w*|próximo)\b[^,.;:!?\n]{0,60}$",
    re.I,
)
_RELATIVE_WORD = re.compile(r"\b(?:am\s+)?(?P<relative>" + "|".join(map(re.escape, _RELATIVE)) + r")\b", re.I)
# How a calendar day is written in an answer's language; other languages get the ISO form.
_SPELLED_MONTHS = {
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
}
_SPELLED_DATE = {"de": "{d}. {m} {y}", "en": "{d} {m} {y}", "fr": "{d} {m} {y}", "es": "{d} de {m} de {y}"}
# "samedi dernier", "el viernes pasado": the word that ends a weekday's phrase after it.
_LAST = re.compile(r"\s+(?:dernier|dernière|passé|pasado)\b", re.I)
_FRONT_MATTER_DATE = re.compile(r"^date:\s*[\"']?(?P<value>[^\"'\n]+)", re.M)


@dataclass(frozen=True)
class DateMention:
    """A date a text states, at [start, end): as much of year, month and day as it gives, or days back from the
    article's date (weekday: the weekday's number)."""

    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    days_back: int | None = None
    ahead: bool = False  # a weekday in the future tense: the coming one, not the last

    def resolve(self, published: date | None) -> date | None:
        """The calendar day meant, where the text and the publication date fix one."""
        if self.year and self.month and self.day:
            return _safe_date(self.year, self.month, self.day)
        if published is None:
            return None
        if self.days_back is not None:
            return published - timedelta(days=self.days_back)
        if self.weekday is not None and self.ahead:
            return published + timedelta(days=(self.weekday - published.weekday()) % 7)
        if self.weekday is not None:
            # News reports "on Friday" for the last Friday: the publication day itself or before it.
            return published - timedelta(days=(published.weekday() - self.weekday) % 7)
        if self.month and self.day:
            # A day and month without a year: the publication year, unless that would lie weeks ahead.
            day = _safe_date(published.year, self.month, self.day)
            if day and day > published + timedelta(days=14):
                day = _safe_date(published.year - 1, self.month, self.day)
            return day
        return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month(value: str) -> int | None:
    return int(value) if value.isdigit() else MONTHS.get(value.lower().rstrip("."))


def find_dates(text: str) -> list[DateMention]:
    """Every date the text states, longest reading first where two overlap, in text order."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            parts = match.groupdict()
            month = _month(parts["month"]) if parts.get("month") else None
            day = int(parts["day"]) if parts.get("day") else None
            if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
                continue
            year = int(parts["year"]) if parts.get("year") else None
            found.append(DateMention(match.start(), match.end(), year, month, day))
            taken.append(match.span())
    for match in _WEEKDAY.finditer(text):
        if not any(a < match.end() and match.start() < b for a, b in taken):
            ahead = bool(_AHEAD.search(text, max(0, match.start() - 80), match.start()))
            found.append(
                DateMention(match.start(), match.end(), weekday=WEEKDAYS[match["weekday"].lower()], ahead=ahead)
            )
    for match in _RELATIVE_WORD.finditer(text):
        if not any(a < match.end() and match.start() < b for a, b in taken):
            found.append(DateMention(match.start(), match.end(), days_back=_RELATIVE[match["relative"].lower()]))
    return sorted(found, key=lambda m: m.start)


def spell_date(day: date, language: str) -> str:
    """The day as a reader of `language` writes it: "27. September 2023", "27 September 2023"."""
    if language not in _SPELLED_DATE:
        return day.isoformat()
    month = _SPELLED_MONTHS[language].split()[day.month - 1]
    return _SPELLED_DATE[language].format(d=day.day, m=month, y=day.year)


def with_resolved_dates(text: str, published: date | None, language: str) -> str:
    """The text with the calendar day after each date it gives relative to the article's date: "am Mittwoch" in
    an article of 28 September 2023 becomes "am Mittwoch (27. September 2023)". The small model cannot count back
    from a weekday, and a reader should not have to. A weekday the text dates itself ("Monday, 26 September") is
    left as it is."""
    mentions = find_dates(text)
    pieces, done = [], 0
    for number, mention in enumerate(mentions):
        if mention.weekday is None and mention.days_back is None:
            continue
        following = mentions[number + 1] if number + 1 < len(mentions) else None
        if following and following.day and following.start - mention.end <= 3:
            continue
        day = mention.resolve(published)
        if day is None:
            continue
        last = _LAST.match(text, mention.end)
        end = last.end() if last else mention.end
        pieces += [text[done:end], f" ({spell_date(day, language)})"]
        done = end
    return "".join(pieces) + text[done:]


def date_spans(text: str) -> list[tuple[int, int]]:
    """Where the text states dates: a number inside one is a day, month or year, never a count. A bare number
    that only may be a year ("knapp 2000 Todesopfer") is a count."""
    return [(m.start, m.end) for m in find_dates(text) if m.year is None or m.month is not None or is_year(m, text)]


# A bare year is a year only after a word that makes it one ("im Jahr 2016", "since 2014"): "2000 Todesopfer" is
# a count.
_YEAR_CUE = re.compile(
    r"(?:\b(?:im|in|seit|bis|von|ab|Jahr|Jahres|Jahre|since|until|of|year|en|depuis|année|desde|año|del|de))\s+$",
    re.I,
)


def counts(text: str) -> list[tuple[int, int, str]]:
    """Numbers that count something: every number outside a date, as (start, end, normalised value)."""
    dated = date_spans(text)
    return [(s, e, v) for s, e, v in number_spans(text) if not any(a <= s < b for a, b in dated)]


def is_year(mention: DateMention, text: str) -> bool:
    """Whether a mention's year is one: with its month, or a bare year after a word that makes it one."""
    return mention.year is not None and (mention.month is not None or bool(_YEAR_CUE.search(text[: mention.start])))


def stated_years(text: str) -> set[int]:
    """The years the text states as dates."""
    return {m.year for m in find_dates(text) if m.year and is_year(m, text)}


# A decade: "the 1990s", "in den 90er Jahren", "die 1990er", "les années 1990", "los años 90".
_DECADE = re.compile(
    r"\b(?P<century>1[89]|20)(?P<decade>\d)0(?:s|er)\b|\b(?P<decade2>\d)0(?:er[- ]Jahre\w*|’s|'s|s)(?!\w)"
    r"|\b(?:années|los años|años|década de(?: los)?)\s+(?P<century3>19|20)?(?P<decade3>\d)0\b",
    re.I,
)
# Before a decade of two digits, words that make it an age: "a man in his 50s", "in their early 20s".
_AGE = re.compile(r"\b(?:their|his|her|its|our|my|your)\s+(?:(?:early|mid|late)[- ]?)?$", re.I)


def decade_years(text: str) -> set[int]:
    """The years of the decades the text names; a decade of two digits lies in the last century from the 30s on
    ("die 90er Jahre") and in this one before ("the 10s")."""
    years: set[int] = set()
    for match in _DECADE.finditer(text):
        if match["decade2"] and _AGE.search(text, 0, match.start()):
            continue
        digit = int(match["decade"] or match["decade2"] or match["decade3"])
        century = match["century"] or match["century3"]
        start = int(century) * 100 + digit * 10 if century else (1900 if digit >= 3 else 2000) + digit * 10
        years.update(range(start, start + 10))
    return years


def dated_years(text: str, published: date | None) -> set[int]:
    """The years the text's dates fall in: those it states (a decade's too), and those of dates without a year ("on
    Wednesday", "am 20. September") resolved against the article's date."""
    years = decade_years(text)
    for mention in find_dates(text):
        if mention.year is None:
            if (day := mention.resolve(published)) is not None:
                years.add(day.year)
        elif is_year(mention, text):
            years.add(mention.year)
    return years


# A question about what is happening now ("die aktuellen Kämpfe", "the latest toll") asks about the time its
# articles were written, not the earlier events they recall as background ("Zuletzt hatte es im April 2016 heftige
# Kämpfe gegeben"); one that looks back from now ("vor dem aktuellen Aufflammen", "before the current war") does not.
_NOW = re.compile(
    r"\b(aktuell\w*|derzeit\w*|jetzig\w*|momentan\w*|gegenwärtig\w*|current\w*|latest|ongoing|at present|"
    r"actuel\w*|en cours|actual\w*|en curso)\b",
    re.I,
)
_LOOKING_BACK = re.compile(
    r"\b(vor|zuvor|vorher\w*|früher\w*|before|prior|previous\w*|earlier|avant|précédent\w*|"
    r"antes|anterior\w*)\b",
    re.I,
)


def asks_about_now(question: str) -> bool:
    return bool(_NOW.search(question)) and not _LOOKING_BACK.search(question)


def asked_years(question: str) -> set[int]:
    """The years a question names: a bare year too ("the 2020 deal"), since a question hardly states a count in the
    thousands; a decade ("the 1990s", "die 90er Jahre") names its ten years."""
    stated = {m.year for m in find_dates(question) if m.year and not re.match(r"s\b|er\b", question[m.end :])}
    return stated | decade_years(question)


def about_other_years(stated: set[int], published: set[int], wanted: set[int]) -> bool:
    """Whether a text is about other years than those wanted: the years it states miss them all, or, where it
    states none, the year it was published does ("The ceasefire took effect on Wednesday" in a 2023 article is
    no account of the 2020 deal). Where nothing is wanted, or nothing says when, it is not."""
    known = stated or published
    return bool(wanted and known) and not known & wanted


def publication_date(text: str, head_chars: int = 1200) -> date | None:
    """The article's date: from YAML front matter (`date:`), else the first full date near the top of the file
    (the date line); None when neither gives one."""
    if text.startswith("---"):
        end = text.find("\n---", 3)
        match = _FRONT_MATTER_DATE.search(text, 0, end if end > 0 else head_chars)
        if match:
            stated = [m for m in find_dates(match["value"]) if m.year and m.month and m.day]
            if stated:
                return stated[0].resolve(None)
    for mention in find_dates(text[:head_chars]):
        if mention.year and mention.month and mention.day:
            return mention.resolve(None)
    return None


def front_matter_end(text: str) -> int:
    """Where YAML front matter at the top of a file ends (after its closing `---` line); 0 without one."""
    if not re.match(r"---[ \t]*\r?\n", text):
        return 0
    closing = re.compile(r"^---[ \t]*$", re.M).search(text, 3)
    return closing.end() if closing else 0
