"""Disputed figures, found in code: every casualty figure with who gives it (speakers.py), what it counts
(dead, wounded, displaced, missing, rescued; soldiers, civilians, everyone; in total or per side), its qualifier
("knapp", "more than") and the period it refers to. Figures about the same thing from different claimants that
differ are a dispute. The small model is never asked to read numbers: it confuses who said which."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..dates import find_dates
from ..text import number_spans
from .speakers import Speaker, elliptical_speaker

MEASURES = {
    "killed": re.compile(
        r"\btot(e|en)?\b|todesopfer|\btodes|getötet|gestorben|starben|sterben|ums leben|gefallen"
        r"|\bdead\b|\bdeaths?\b|killed|\bdied\b|fatalit|\bmorts?\b|\btués?\b|\bdécès\b|\bmuert[oa]s?\b"
        r"|fallecid|murieron",
        re.I,
    ),
    "wounded": re.compile(r"verletzt|verwundet|wounded|injur|bless[ée]s?\b|herid[oa]s?\b", re.I),
    "displaced": re.compile(
        r"vertrieben|flüchtling|geflüchtet|evakuiert|displaced|refugee|evacuated|déplacé|réfugié|évacué|desplazad"
        r"|refugiad|evacuad",
        re.I,
    ),
    "missing": re.compile(r"vermisst|\bmissing\b|\bdisparue?s?\b|desaparecid", re.I),
    # Not "rescue" alone: "the White Helmets rescue group said 380 people had died" counts the dead.
    "rescued": re.compile(
        r"\brescued\b|\b(rescue[sd]?|pulled|brought|dug)\b.{0,30}\balive\b|gerettet|lebend\b.{0,30}\bgeborgen"
        r"|\bsauvée?s?\b|secourue?s\b|rescatad",
        re.I,
    ),
}
# A question that asks for a figure: "how many", "wie viele", "welche Todeszahlen", "death toll".
ASKS_FOR_FIGURE = re.compile(
    r"how many|how much|wie viele|wie hoch|combien|cuánt|cuant|\bfigures?\b|\btolls?\b|zahl|\bbilan\b|\bcifras?\b",
    re.I,
)
GROUPS = {
    "soldiers": re.compile(
        r"soldat|militär|kämpfer|armeeangehörig|streitkräfte|soldier|troops|military|servicem", re.I
    ),
    "civilians": re.compile(r"zivilist|zivilperson|zivilbevölkerung|civilian", re.I),
}
_PER_SIDE = re.compile(r"\bjeweils\b|\bje Seite\b|\bpro Seite\b|\beach side\b|\bper side\b", re.I)
_TOTAL = re.compile(r"gesamtzahl|\binsgesamt\b|\bzusammen\b|\btotal\b|\bin all\b|\boverall\b", re.I)
# A count that names no measure ("die Gesamtzahl nähere sich der 5000") takes it from the sentence before.
_BARE_COUNT = re.compile(r"gesamtzahl|\bzahl\b|\btotal\b|\btoll\b|\bnumber\b", re.I)
QUALIFIER_WORDS = [
    (
        "nearly",
        re.compile(
            r"\b(knapp|fast|beinahe|nahezu|annähernd|nearly|almost|close to|approaching)\s+(der\s+|the\s+)?$", re.I
        ),
    ),
    ("more_than", re.compile(r"\b(mehr als|über|more than|over)\s+$", re.I)),
    ("about", re.compile(r"\b(rund|etwa|ungefähr|circa|ca\.|about|around|roughly|some)\s+$", re.I)),
    ("at_least", re.compile(r"\b(mindestens|wenigstens|at least)\s+$", re.I)),
    ("up_to", re.compile(r"\b(bis zu|up to)\s+$", re.I)),
    ("fewer_than", re.compile(r"\b(weniger als|fewer than|less than)\s+$", re.I)),
]
# "Die Gesamtzahl nähere sich der 5000": the figure is approached, not reached.
_APPROACHES = re.compile(r"\bnäher(e|t) sich\b|\bapproach(es|ing)?\b", re.I)
_NO_FIGURE = re.compile(
    r"\b(keine|kein|no)\s+(?:\w+\s+){0,2}?(todeszahlen|opferzahlen|zahlen|angaben|figures?|numbers?|death toll)\b", re.I
)
# "Niemand ist gestorben", "no one was killed", "keine Toten": a figure of 0, set against reported tolls like any
# other. "Niemand weiß, wie viele ..." is no figure.
_NO_ONE = re.compile(
    r"\b(niemand|keine(?:n|r)?\s+(?:Menschen|Toten|Opfer|Todesopfer)|nobody|no one|no-one|no deaths|no casualties"
    r"|no fatalities|personne n['’]|aucun mort|nadie|ningún muerto)\b(?!\s+(?:weiß|wisse|knows?|sait|sabe)\b)",
    re.I,
)
# An age ("45-year-old", "45-jährige"), a duration, a measure or an ordinal ("the 260th hour") counts no one.
_NOT_COUNTS = re.compile(
    r"^[\s\-]*(jahre?n?|jährig|tage?n?|wochen|monate?n?|stunden|minuten|min|uhr|prozent|%|km|kilometer|meter|euro|"
    r"dollar|years?|days?|weeks?|months?|hours?|minutes?|percent|miles?|er\b|s\b|st\b|nd\b|rd\b|th\b)",
    re.I,
)
# People are counted in whole numbers: "7.6" is a magnitude or a share unless a scale word follows ("1,2
# Millionen", "2.5 million").
_FRACTION = re.compile(r"\d+\.\d+")
_SCALE = re.compile(r"^\s*(mio\b|millionen|million|mrd\b|milliarden|billion|milliards?|millones|mil\b)", re.I)
_DECADE = re.compile(r"\b(?:19)?(\d0)er(?:\s+Jahre\w*)?|\b(?:19)?(\d0)s\b")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_CLAUSE = re.compile(r",\s+|;\s+|\s+[-–]\s+")


@dataclass(frozen=True)
class Mention:
    sentence: int  # index into the sentences given
    measure: str  # a key of MEASURES
    group: str  # "all" or a key of GROUPS
    scope: str  # "total", "per_side" or ""
    value: str | None  # normalised ("5000"); None where the claimant says it gives no figure
    raw: str  # as written ("5.000"), "" for no figure
    qualifier: str  # "", or the first item of one of QUALIFIER_WORDS
    period: str  # "" for the events reported; "2016", "90er" for earlier ones
    speaker: Speaker | None
    noun: str = ""  # the sentence's word for what is counted, where the model named it (attribution.py)
    counted_en: str = ""  # what is counted in English words, where the model said it and its noun checked out


@dataclass
class Row:
    """One claim, with every sentence that makes it (wire copies and repetitions merged)."""

    claimant: str  # a speaker key, or "story:N" for an article's own reporting
    speaker: Speaker | None
    measure: str
    group: str
    scope: str
    value: str | None
    raw: str
    qualifier: str
    sentences: list[int] = field(default_factory=list)


@dataclass
class Dispute:
    measure: str
    period: str
    rows: list[Row]

    @property
    def claimants(self) -> list[str]:
        return list(dict.fromkeys(row.claimant for row in self.rows))


def measure_of(text: str) -> str | None:
    return next((name for name, pattern in MEASURES.items() if pattern.search(text)), None)


# An organisation named for a measure: "Was meldete das UN-Flüchtlingshilfswerk?" asks for no count of refugees,
# nor does a question to "the Commission on Missing Persons" ask how many are missing.
_NAMED_FOR_MEASURE = re.compile(
    r"[\w-]*(?:hilfswerk|kommissar\w*|kommission|komitee|rat)\b"
    r"|\b(?:refugee|refugees'?)\s+(?:agency|council|commission)\b"
    r"|\b(?:agency|commissioner|commission|committee|council|office)\s+(?:for|on|of)\s+(?:\w+\s+){0,3}?"
    r"(?:refugees|missing persons|displaced persons)\b"
    r"|\b(?:haut-commissariat|commission|comité|agence|office)\s+(?:\S+\s+){0,4}?(?:aux|des|pour les)\s+"
    r"(?:réfugiés|personnes disparues|déplacés)\b"
    r"|\b(?:alto comisionado|agencia|comisión|comité)\s+(?:\S+\s+){0,4}?(?:para|de)\s+(?:los\s+)?"
    r"(?:refugiados|desaparecidos)\b",
    re.I,
)


def asked_measure(question: str) -> str | None:
    """ "killed", "wounded", "displaced", "missing" or "rescued" where the question asks for a figure of it."""
    return measure_of(_NAMED_FOR_MEASURE.sub(" ", question)) if ASKS_FOR_FIGURE.search(question) else None


# Where the words that go with one number of a clause end and the next number's begin.
_NEXT_PART = re.compile(r"\s(?:and|und|et|y|while|whereas|während|tandis que)\s|[,;]")


def _measure_at(clause: str, start: int, end: int, previous_end: int, default: str) -> str:
    """What one number of a clause counts: the measure word right after it ("2.316 Tote und 13.293 Verletzte"),
    else the last one between it and the number before ("put the death toll at 48,000 and the number of injured
    at more than 115,000", "killed 20 people and injured 50": the word after "and" is the next number's), else the
    clause's."""
    after = clause[end : end + 40]
    after = after[: cut.start()] if (cut := _NEXT_PART.search(after)) else after
    hits = [(m.start(), name) for name, pattern in MEASURES.items() if (m := pattern.search(after))]
    if hits:
        return min(hits)[1]
    before = clause[previous_end:start]
    hits = [(m.end(), name) for name, pattern in MEASURES.items() for m in pattern.finditer(before)]
    return max(hits)[1] if hits else default


def _group(clause: str, after: str) -> str:
    for text in (after[:60], clause):
        hits = [(m.start(), name) for name, pattern in GROUPS.items() for m in pattern.finditer(text)]
        if hits:
            return min(hits)[1]
    return "all"


def _period(sentence: str, count_spans: list[tuple[int, int]]) -> str:
    decade = _DECADE.search(sentence)
    if decade:
        return f"{decade.group(1) or decade.group(2)}er"
    for match in _YEAR.finditer(sentence):
        if not any(start <= match.start() < end for start, end in count_spans):
            return match.group(1)
    return ""


def clause_party(sentence: str, values: set[str]) -> Speaker | None:
    """The party of a clause without a verb that gives all of the values ("Kiew zählt 21 Tote, die
    Besatzungsverwaltung 41": 41 is the Besatzungsverwaltung's), else None: they are the sentence speaker's."""
    parties = set()
    for n, clause in enumerate(_CLAUSE.split(sentence)):
        if values & {value for _, _, value in number_spans(clause)}:
            parties.add(elliptical_speaker(clause) if n else None)
    return parties.pop() if len(parties) == 1 else None


def find_mentions(
    sentences: Sequence[str], speakers: Sequence[Speaker | None], articles: Sequence[int]
) -> list[Mention]:
    """Casualty figures (and explicit "no figures") in sentences given in article order; articles[i] says which
    article sentence i belongs to, so a bare count never borrows its measure across articles."""
    mentions: list[Mention] = []
    for index, sentence in enumerate(sentences):
        found: list[Mention] = []
        count_spans: list[tuple[int, int]] = []
        clause_start = 0
        before: str | None = None  # the measure of the clause before
        for clause in _CLAUSE.split(sentence):
            offset = sentence.index(clause, clause_start)
            clause_start = offset + len(clause)
            measure = measure_of(clause)
            own_party = elliptical_speaker(clause) if offset else None
            if measure is None and own_party is not None:
                measure = before  # "Kiew zählt 21 Tote, die Besatzungsverwaltung 41": 41 dead too
            before = measure
            claimant = own_party or speakers[index]
            if measure is None and _BARE_COUNT.search(clause):
                measure = measure_of(sentence) or (
                    measure_of(sentences[index - 1]) if index and articles[index - 1] == articles[index] else None
                )
            if measure is None:
                continue
            # A day or month of a date is never a count; a bare year may be one ("2000 Tote"): its noun decides.
            days = [(m.start, m.end) for m in find_dates(clause) if m.month or m.day]
            previous_end = 0
            for start, end, value in number_spans(clause):
                after = clause[end:]
                if (
                    _NOT_COUNTS.match(after)
                    or (_YEAR.fullmatch(value) and not measure_of(after[:40]))
                    or (_FRACTION.fullmatch(value) and not _SCALE.match(after))
                ):
                    continue
                if any(a <= start < b for a, b in days):
                    continue
                counted, previous_end = _measure_at(clause, start, end, previous_end, measure), end
                qualifier = next((name for name, pattern in QUALIFIER_WORDS if pattern.search(clause[:start])), "")
                if not qualifier and _APPROACHES.search(clause):
                    qualifier = "nearly"
                scope = "total" if _TOTAL.search(clause) else "per_side" if _PER_SIDE.search(clause) else ""
                count_spans.append((offset + start, offset + end))
                found.append(
                    Mention(
                        index,
                        counted,
                        _group(clause, after),
                        scope,
                        value,
                        clause[start:end],
                        qualifier,
                        "",
                        claimant,
                    )
                )
            none = _NO_FIGURE.search(clause)
            zero = None if none else _NO_ONE.search(clause)
            if zero and not number_spans(clause):
                found.append(
                    Mention(
                        index,
                        measure,
                        _group(clause, clause[zero.end() :]),
                        "",
                        "0",
                        "0",
                        "",
                        "",
                        speakers[index],
                    )
                )
            if none and not number_spans(clause):
                found.append(
                    Mention(
                        index,
                        measure_of(none.group(0)) or measure,
                        _group(clause, clause[none.end() :]),
                        "",
                        None,
                        "",
                        "",
                        "",
                        speakers[index],
                    )
                )
        period = _period(sentence, count_spans)
        mentions.extend(replace(m, period=period) for m in found)
    return mentions


_GROUP_ORDER = {"all": 0, "soldiers": 1, "civilians": 2}
_SCOPE_ORDER = {"total": 0, "per_side": 1, "": 2}


def _credit_restated(rows: dict[tuple, Row], stories: Sequence[int]) -> None:
    """A headline or lead restates a figure that its article gives, elsewhere, as someone's ("Zahl der Toten steigt
    auf 68" above "nach Angaben der örtlichen Behörden auf mindestens 68"): the figure is that party's, not the
    article's own. Where two parties of the article give the value, the article's mention stays its own."""
    for key, row in list(rows.items()):
        if row.speaker is not None:
            continue
        same_claim = [
            other
            for other_key, other in rows.items()
            if other.speaker is not None
            and other_key[1:6] == key[1:6]  # measure, period, group, scope and value; the qualifier may differ
            and any(f"story:{stories[i]}" == row.claimant for i in other.sentences)
        ]
        if len(same_claim) == 1:
            same_claim[0].sentences.extend(i for i in row.sentences if i not in same_claim[0].sentences)
            del rows[key]


def find_disputes(mentions: Sequence[Mention], stories: Sequence[int]) -> list[Dispute]:
    """Groups of figures about the same measure and period from at least two claimants that do not all agree.
    stories[i] is the story (wire copies are one) of sentence i: an article's own figures are claimed by its
    story, so two copies of one agency report are one claimant."""
    rows: dict[tuple, Row] = {}
    for m in mentions:
        claimant = m.speaker.key if m.speaker else f"story:{stories[m.sentence]}"
        key = (claimant, m.measure, m.period, m.group, m.scope, m.value, m.qualifier)
        row = rows.setdefault(key, Row(claimant, m.speaker, m.measure, m.group, m.scope, m.value, m.raw, m.qualifier))
        if m.sentence not in row.sentences:
            row.sentences.append(m.sentence)
    _credit_restated(rows, stories)
    groups: dict[tuple[str, str], list[Row]] = {}
    for (_, measure, period, *_rest), row in rows.items():
        groups.setdefault((measure, period), []).append(row)
    disputes = []
    for (measure, period), members in groups.items():
        giving = {row.claimant for row in members if row.value is not None}
        claims = {(row.group, row.scope, row.value) for row in members}
        if len(giving) >= 2 and len(claims) >= 2:
            members.sort(key=lambda r: (_GROUP_ORDER[r.group], _SCOPE_ORDER[r.scope], min(r.sentences)))
            disputes.append(Dispute(measure, period, members))
    return sorted(disputes, key=lambda d: min(min(r.sentences) for r in d.rows))
