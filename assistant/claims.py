"""Code checks of one answer sentence against the evidence it cites, for the mistakes a small model makes while
phrasing a right fact wrongly: a number that stands in the source as something else (the day in "27. September"
read as "27 civilians"), a date or year the source does not give, a negation dropped or added, a person the
source does not name, two people's roles swapped (the one who invited made the mediator), and a figure stated
without the party that gives it. What the question itself contains (its numbers, dates and names) is not a claim
of the answer.

Each check says why a sentence fails, or nothing; the answer then falls back to the evidence sentence itself."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .briefing.figures import MEASURES, asked_measure, clause_party, measure_of
from .briefing.speakers import Speaker, find_speakers, reports_speech
from .chunking import split_sentences
from .dates import MONTHS, WEEKDAYS, DateMention, counts, find_dates
from .faithful import negated
from .language import names_several, question_parts
from .text import STOPWORDS, number_spans, numbers, spelled_numbers, stems, unaccented, words

# Words naming a role in an event, by their stem in any of the corpus languages; the person closest to one must
# be the same in the sentence and in its evidence.
_ROLES = {
    "mediates": ("vermittl", "vermitt", "mediat", "médiat", "mediad", "mediac"),
    "invites": ("einlad", "eingelad", "lud", "lädt", "invit"),
    "accuses": ("vorwurf", "vorwarf", "warf", "wirft", "beschuldig", "accus", "acus", "blam"),
    "denies": ("bestritt", "bestreit", "dementi", "démenti", "deni", "deny", "niega", "neg", "zurückgewies", "wies"),
    "orders": ("befahl", "befehl", "angeordnet", "ordnet", "order", "ordonn", "orden"),
    "proposes": ("vorschlag", "vorgeschlag", "schlug", "schläg", "propos", "propus", "suggest"),
}
# A pronoun beside the role word holds the role ("Mit Kremlchef Wladimir Putin schlug er ... vor"): the name
# nearest to it is someone else.
_SUBJECT_PRONOUNS = frozenset("er sie he she they il elle ils elles él ella ellos".split())
# Capitalised words that are no names: sentence adverbs and answer particles; and any word holding an office or
# institution ("Außenministers", "Kremlchef", "Regierung").
_NOT_NAMES = frozenset("according laut however meanwhile also but and yes no ja nein oui non sí".split())
_OFFICES = (
    "präsident", "president", "minister", "kanzler", "chancellor", "sekretär", "secretary", "sprecher", "spokes",
    "chef", "chief", "gouverneur", "governor", "bürgermeister", "mayor", "regierung", "government", "behörde",
    "authorit", "ministerium", "ministry", "armee", "army", "premier", "general", "außen", "foreign",
)  # fmt: skip
# Titles a person is named with, by their stems in the corpus languages: a title the model puts before a name
# must be the one the evidence gives that person ("General Ilham Aliyev" from "President Ilham Aliyev").
_TITLES = {
    "president": ("präsident", "president", "présid", "presidente"),
    "minister": ("minister", "ministre", "ministro"),
    "chancellor": ("kanzler", "chancellor", "chancelier", "canciller"),
    "secretary": ("sekretär", "secretary", "secrétaire", "secretari"),
    "spokesperson": ("sprecher", "spokes", "porte-parole", "portavoz"),
    "governor": ("gouverneur", "governor", "gobernador"),
    "mayor": ("bürgermeister", "mayor", "maire", "alcalde"),
    "general": ("general", "général"),
}
_TITLE_WINDOW = 12  # words between a name and its title in the evidence ("Vardanyan, who headed ... as state minister")
_WORD = re.compile(r"[\w’'\-]+")
_CAPITALISED = re.compile(r"\b[A-ZÄÖÜÀ-Þ][\w’'\-]+")
# A German article or determiner before a capitalised word makes it a noun, not a name.
_DETERMINERS = frozenset(
    "der die das den dem des ein eine einer eines einem einen kein keine jede jeder jedes diese dieser dieses im "
    "am vom zum zur beim ins the".split()
)


@dataclass(frozen=True)
class Source:
    """One piece of cited evidence: its text and its article's publication date."""

    text: str
    published: date | None
    language: str


_SPELLINGS = [("dsch", "j"), ("tsch", "ch"), ("sch", "sh"), ("ph", "f"), ("ck", "k"), ("w", "v"), ("z", "s"),
              ("j", "y"), ("c", "k"), ("h", ""), ("ß", "s")]  # fmt: skip


def _skeleton(name: str) -> str:
    """A name reduced so that its German, English, French and Spanish transliterations mostly coincide."""
    plain = unaccented(name)
    for spelled, sound in _SPELLINGS:
        plain = plain.replace(spelled, sound)
    return re.sub(r"(.)\1+", r"\1", plain)


def _similar(a: str, b: str) -> bool:
    """The same name, perhaps transliterated ("Lawrow"/"Lavrov", "Selenskyj"/"Zelensky")."""
    a, b = _skeleton(a), _skeleton(b)
    if a == b or (min(len(a), len(b)) > 3 and (a.startswith(b) or b.startswith(a))):
        return True
    grams = lambda w: {w[i : i + 3] for i in range(max(1, len(w) - 2))}  # noqa: E731
    own, other = grams(a), grams(b)
    return len(own & other) / min(len(own), len(other)) >= 0.5


def _same_name(a: str, b: str) -> bool:
    """The same name in another spelling ("Alijew"/"Aliyev", "Selenskyj"/"Zelensky"), inflected ("Putins"); not
    merely a similar one ("Assad"/"Bassam")."""
    a, b = _skeleton(a), _skeleton(b)
    return a == b or (min(len(a), len(b)) > 3 and (a.startswith(b) or b.startswith(a)))


def _around(text: str, start: int, end: int, language: str, before: int = 4, after: int = 6) -> set[str]:
    """Stems of the words just before and after a number: what it counts."""
    return set(stems(" ".join(text[:start].split()[-before:] + text[end:].split()[:after]), language))


def number_problem(sentence: str, sources: Sequence[Source], question: str, language: str) -> str | None:
    """Each count in the sentence must stand in its evidence as a count (not inside a date); in the same language
    the word it counts must stand next to it there too ("874 Soldaten", not "874 Menschen")."""
    given = {v for _, _, v in number_spans(question)}
    for _start, end, value in counts(sentence):
        if value in given:
            continue
        places = [(s, c) for s in sources for c in counts(s.text) if c[2] == value]
        if not places and any(value in spelled_numbers(s.text, s.language) for s in sources):
            continue  # "six trucks": the count in words
        if not places:
            if any(v == value for s in sources for _, _, v in number_spans(s.text)):
                return f"{value} stands in its source as part of a date, not as a count"
            return f"the number {value} is not in its source"
        counted = set(stems(" ".join(sentence[end:].split()[:2]), language)) - {value}
        same_language = [(s, c) for s, c in places if s.language == language]
        if (
            counted
            and same_language
            and not any(counted & _around(s.text, c[0], c[1], language) for s, c in same_language)
        ):
            return f"{value} counts something else in its source"
    return None


# "according to the governor": a question that asks for one party's figure.
_ATTRIBUTING = re.compile(r"according to|\blaut\b|nach angaben|zufolge|\bselon\b|\bsegún\b|de acuerdo con", re.I)


def names_party(text: str, party) -> bool:
    """Whether the text mentions a party; a named one perhaps transliterated or inflected ("Alijew" for "Aliyev",
    "nach Angaben Erdogans")."""
    if party.mentioned_in(text):
        return True
    last = party.label.split()[-1]
    return party.person and any(_similar(last, word) for word in re.findall(r"[\w’'\-]{3,}", text))


def party_asked_for(question: str) -> Speaker | None:
    """The party whose figures or words a question asks for with an attributing phrase ("according to Putin",
    "laut Kiew"), else None."""
    party = find_speakers([question])[0]
    return party if party is not None and _ATTRIBUTING.search(question) else None


def claimant_problem(sentence: str, sources: Sequence[Source], question: str, language: str) -> str | None:
    """A count its evidence gives as someone's claim ("874 soldiers, the Karabakh authorities said") must name
    them, unless the question names them already; and a count the sentence gives to someone ("according to Putin,
    874 soldiers") must be theirs, not another party's: contested figures stay attributed, and who gives a figure
    is what the small model flips. A described claimant ("the authorities") is compared only within one language."""
    given = {v for _, _, v in number_spans(question)}
    stated = {value for _, _, value in counts(sentence)} - given
    if not stated:
        return None
    claimed_by = find_speakers([sentence])[0]
    for source in sources:
        texts = [source.text[span.start : span.end] for span in split_sentences(source.text)]
        # Reported speech goes on with the speaker named before: "Damit nähere sich die Zahl 'schon 5000'".
        for number, (text, speaker) in enumerate(zip(texts, find_speakers(texts))):
            if not stated & {value for _, _, value in counts(text)}:
                continue
            speaker = clause_party(text, stated) or speaker
            # Theirs when they are its speaker or it names them; with no speaker found, when it or the two sentences
            # before it name them.
            told = text + " " + speaker.label if speaker else " ".join(texts[max(0, number - 2) : number + 1])
            if claimed_by is not None and claimed_by.person and not names_party(told, claimed_by):
                theirs = f"its source to {speaker.label}" if speaker else "its source to no one"
                return f"it gives the figure to {claimed_by.label}, {theirs}"
            if speaker is None or (not speaker.person and source.language != language):
                continue
            if not names_party(sentence, speaker) and not names_party(question, speaker):
                return f"it leaves out who gives the figure: {speaker.label}"
    return None


def _stated(mention, published: date | None) -> tuple[int | None, int | None, int | None]:
    day = mention.resolve(published)
    if day is not None:
        return day.year, day.month, day.day
    return mention.year, mention.month, mention.day


def date_problem(sentence: str, sources: Sequence[Source], question: str) -> str | None:
    """Every date the sentence states must agree with one its evidence states (relative dates resolved against the
    article's date) or with the article's date itself; dates the question gives are not claims."""
    asked = {(m.year, m.month, m.day) for m in find_dates(question)}
    known = []
    for source in sources:
        known += [_stated(m, source.published) for m in find_dates(source.text)]
        if source.published:
            known.append((source.published.year, source.published.month, source.published.day))
    for mention in find_dates(sentence):
        if mention.weekday is not None or mention.days_back is not None:
            continue  # a weekday in the answer restates the source's own wording
        claim = (mention.year, mention.month, mention.day)
        if claim in asked:
            continue
        if not any(all(c is None or c == k for c, k in zip(claim, other)) for other in known):
            return f"the date '{sentence[mention.start : mention.end]}' is not in its source"
    return None


# A date right after these words opens a period that reaches the article's date: "seit dem 6. Juni", "since Sunday".
_SINCE = re.compile(r"\b(?:seit|since|depuis|desde|ab|from)\s+(?:dem\s+|the\s+|le\s+|el\s+)?$", re.I)
# A question's date right after these words ends what it counts: "bis zum 9. Juni", "by 20 February".
_UNTIL = re.compile(r"\b(?:bis(?:\s+zum|\s+am)?|by|as\s+of|until|up\s+to|jusqu'(?:au|à)|hasta(?:\s+el)?)\s+$", re.I)


def _words_before(text: str, mention: DateMention) -> str:
    """The few words right before a date, where _SINCE and _UNTIL look."""
    return text[max(0, mention.start - 12) : mention.start]


def _source_days(source: Source) -> tuple[list[date], date | None]:
    """The days a source states (relative ones resolved against its article's date), and the day what it reports
    reaches: the latest of them, or its article's date where it states none or one opens a period."""
    days, open_period = [], False
    for mention in find_dates(source.text):
        open_period |= bool(_SINCE.search(_words_before(source.text, mention)))
        if mention.day is not None or mention.weekday is not None or mention.days_back is not None:
            days += [day] if (day := mention.resolve(source.published)) else []
    return days, source.published if open_period or not days else max(days)


def day_problem(question: str, source: Source) -> str | None:
    """Why a sentence reports another day than the one a question names: every day it states lies before the asked
    one (the dead of the quake of 6 February are no answer about the quake of 20 February; a later day may give the
    asked day's toll as it grew), or it states none and its article is older than the asked day; or the question
    counts up to a day ("bis zum 9. Juni") and the sentence reaches a later one (an article of 16 June that names no
    day counts up to 16 June). Relative days are resolved against the article's date."""
    days, reaches = _source_days(source)
    if reaches is None:
        return None
    asked = [(m, day) for m in find_dates(question) if m.month and m.day and (day := m.resolve(reaches))]
    if any(day in days for _, day in asked):
        return None
    for mention, day in asked:
        named = question[mention.start : mention.end]
        if _UNTIL.search(_words_before(question, mention)):
            # A day's grace: the evening's count is printed the next morning.
            if reaches > day + timedelta(days=1):
                return f"it counts up to {reaches.isoformat()}, the question up to {named}"
        elif reaches < day:
            # Every day it states lies before the asked one, or it states none (or opens a period) and its article
            # was written before the asked day: it cannot report what happened then.
            return f"it is about {reaches.isoformat()}, the question about {named}"
    return None


def _other_day(question: str, sources: Sequence[Source]) -> str | None:
    """day_problem of the first source, where every source the sentence cites reports another day."""
    problems = [day_problem(question, source) for source in sources]
    return problems[0] if problems and all(problems) else None


def negation_problem(sentence: str, sources: Sequence[Source]) -> str | None:
    mine, theirs = negated(sentence), any(negated(source.text) for source in sources)
    if mine and not theirs:
        return "it adds a negation its source does not have"
    if theirs and not mine:
        return "it drops the negation of its source"
    return None


def names(text: str, initial: bool = True, known: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
    """(position, word) of the capitalised words that may be names: no office, month or function word, not a German
    noun after its article (and its adjectives); a sentence's first word only with `initial` or where it is `known`
    as a name from inside a sentence (in German a first word is as often a noun)."""
    found = []
    for match in _CAPITALISED.finditer(text):
        word, lower = match.group(0), match.group(0).lower()
        before = text[: match.start()].split()
        opens = not before or before[-1].endswith((".", ":", "!", "?", '"'))
        if opens and not initial and word not in known:
            continue
        if lower in _NOT_NAMES or lower in STOPWORDS or lower in _DETERMINERS or lower in MONTHS or lower in WEEKDAYS:
            continue
        if any(office in lower for office in _OFFICES) or _after_article(before):
            continue
        found.append((match.start(), word))
    return found


_INFLECTED_ADJECTIVE = re.compile(r"[a-zäöüß]+(?:e|en|er|es|em)")


def _after_article(before: list[str]) -> bool:
    """Whether a capitalised word follows an article, right after it or after inflected adjectives ("eine
    internationale Untersuchung"): a German noun, not a name."""
    for word in reversed(before[-3:]):
        if word.lower() in _DETERMINERS:
            return True
        if not _INFLECTED_ADJECTIVE.fullmatch(word):
            return False
    return False


def name_problem(sentence: str, sources: Sequence[Source], question: str) -> str | None:
    known = [word for text in [question, *(s.text for s in sources)] for word in _WORD.findall(text)]
    for _, name in names(sentence):
        parts = [p for p in re.split(r"[-’']", name) if len(p) > 2] or [name]
        # A name of two letters ("US", "EU") is compared as written: its skeleton would be like too many words.
        if not any(other == part or (len(other) > 2 and _similar(part, other)) for part in parts for other in known):
            return f"it names {name}, which its source does not"
    return None


def _titles(word: str) -> set[str]:
    lower = word.lower()
    return {title for title, stems in _TITLES.items() if any(stem in lower for stem in stems)}


def _titled(text: str) -> list[tuple[set[str], str]]:
    """(titles, surname) for each capitalised title word right before a name: "General Ilham Aliyev"."""
    people = {position for position, _ in names(text)}
    tokens = [(match.start(), match.group(0)) for match in _WORD.finditer(text)]
    found = []
    for index, (_, word) in enumerate(tokens):
        titles = _titles(word) if word[0].isupper() else set()
        run = list(itertools.takewhile(lambda token: token[0] in people, tokens[index + 1 :])) if titles else []
        if run:
            found.append((titles, run[-1][1]))
    return found


def _has_title(text: str, surname: str, titles: set[str]) -> bool | None:
    """Whether the text gives the person one of the titles near their name; None where it does not name them."""
    tokens = _WORD.findall(text)
    spots = [i for i, token in enumerate(tokens) if _same_name(token, surname)]
    if not spots:
        return None
    return any(
        titles & _titles(token) for i in spots for token in tokens[max(0, i - _TITLE_WINDOW) : i + _TITLE_WINDOW + 1]
    )


def title_problem(sentence: str, sources: Sequence[Source], question: str) -> str | None:
    """A title before a name must be the person's in the evidence (in any of its languages) or the question."""
    for titles, surname in _titled(sentence):
        given = [_has_title(text, surname, titles) for text in [question, *(s.text for s in sources)]]
        if False in given and True not in given:
            return f"it calls {surname} {' or '.join(sorted(titles))}, its source does not"
    return None


@dataclass(frozen=True)
class _Role:
    """Who holds a role word in a sentence: the name closest to it, or none where a pronoun beside it holds it;
    then the names of its clause are someone else ("mit Kremlchef Wladimir Putin schlug er ... vor")."""

    holder: str | None
    not_holders: frozenset[str] = frozenset()


_CLAUSE_BREAK = re.compile(r"[,;:()«»\"“”„]")
# After a role word, a word that names who holds it next: "auf Vorschlag des Befehlshabers ..., Sergej
# Surowikin", "at the invitation of Putin", "ordnete der Minister Sergej Schoigu ... an".
_HOLDER_FOLLOWS = frozenset("of by des der von vom durch de del du par por".split())
# After a verb of accusing, "of" and "de" name the charge, not the accuser: "accused Kyiv of", "acusó de sabotaje".
_CHARGE_FOLLOWS = frozenset("of de del du".split())
_ROLE_PREFIXES = tuple(prefix for prefixes in _ROLES.values() for prefix in prefixes)
# Before a name, a word that makes it a place, where nobody holds a role: "mediates the talks in Moscow".
_BEFORE_PLACE = frozenset("in im nach en dans".split())


def _word_before(text: str, at: int) -> str:
    return next(iter(text[:at].split()[-1:]), "").lower()


def _surname(people: list[tuple[int, str]], index: int, text: str) -> str:
    """The last word of the name that people[index] opens: "Sergej Surowikin" is not "Sergej Schoigu"."""
    while index + 1 < len(people) and not text[people[index][0] + len(people[index][1]) : people[index + 1][0]].strip():
        index += 1
    return people[index][1]


def _role_holders(text: str, initial: bool) -> dict[str, _Role]:
    """For each role word in the text, who holds it in its sentence."""
    holders: dict[str, _Role] = {}
    # A name that opens one sentence ("Erdoğan schlägt ... vor") is known from inside another.
    known = frozenset(word for _, word in names(text, initial=False))
    for span in split_sentences(text):
        sentence = text[span.start : span.end]
        # A role noun is no holder of its role ("auf Vorschlag"), nor is a place.
        people = [
            (at, name)
            for at, name in names(sentence, initial, known)
            if not name.lower().startswith(_ROLE_PREFIXES) and _word_before(sentence, at) not in _BEFORE_PLACE
        ]
        tokens = [(m.start(), m.group(0).lower()) for m in re.finditer(r"\w+", sentence)]
        for role, prefixes in _ROLES.items():
            for index, (start, token) in enumerate(tokens):
                if role in holders or not people or not token.startswith(prefixes):
                    continue
                beside = {tokens[i][1] for i in (index - 1, index + 1) if 0 <= i < len(tokens)}
                if beside & _SUBJECT_PRONOUNS:
                    opens = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, start)), default=0)
                    closes = next((m.start() for m in _CLAUSE_BREAK.finditer(sentence, start)), len(sentence))
                    holders[role] = _Role(None, frozenset(name for at, name in people if opens <= at < closes))
                    break
                # A first word not read as a name may still be the subject right before its verb ("Erdoğan
                # schlägt ... vor" where no other sentence names him): the role's holder is then unknown.
                if index == 1 and tokens[0][0] not in {position for position, _ in people}:
                    break
                after = [k for k, (at, _) in enumerate(people) if at > start]
                follows = tokens[index + 1][1] if index + 1 < len(tokens) else ""
                if follows in _HOLDER_FOLLOWS and not (role == "accuses" and follows in _CHARGE_FOLLOWS) and after:
                    holders[role] = _Role(_surname(people, after[0], sentence))
                else:
                    nearest = min(range(len(people)), key=lambda k: abs(people[k][0] - start))
                    holders[role] = _Role(_surname(people, nearest, sentence))
    return holders


def role_problem(sentence: str, sources: Sequence[Source]) -> str | None:
    claimed_roles = _role_holders(sentence, initial=True)
    source_roles = [_role_holders(source.text, initial=False) for source in sources] if claimed_roles else []
    for role, claimed in claimed_roles.items():
        holder = claimed.holder
        if holder is None:
            continue
        readings = [roles[role] for roles in source_roles if role in roles]
        theirs = [r.holder for r in readings if r.holder]
        if theirs and not any(_similar(holder, h) for h in theirs):
            return f"it gives the role '{role}' to {holder}, its source to {theirs[0]}"
        if any(_similar(holder, other) for r in readings for other in r.not_holders):
            return f"it gives the role '{role}' to {holder}, whom its source names beside the one who holds it"
    return None


# What a question asks for, by how it opens or what it asks: a count, a sum of money, a share, a time. An answer
# without one ("Der Staat führte eine Sondersteuer ein" for "Wie viel Geld hat der Staat eingenommen?") is beside it.
# "How many", in the corpus languages; "combien de" reaches the word it counts.
_HOW_MANY = r"how many|wie viele|combien(?: de| d')?|cu[aá]nt[oa]s"
_ASKS_COUNT = re.compile(rf"\b(?:{_HOW_MANY})\b", re.I)
_ASKS_MONEY = re.compile(
    r"\b(how much (money|aid)|how much\b.{0,30}\bcost|wie viel (geld|hilfe)|wie viel\b.{0,30}\bkost|was kostet)\b",
    re.I,
)
# A rate or share asked for ("Wie hoch ist die Inflation?", "What share of the vote"), answered with a percentage.
_ASKS_SHARE = re.compile(
    r"\b(how high|how much|what|which|wie hoch|wie viel|welche[rnms]?|quel(le)?s?|cu[aá]l)\b.{0,30}"
    r"\b(inflation\w*|\w+quote|anteil\w*|percentage|prozentsatz|\w+ rate|rate of|share of|taux|pourcentage|tasa|porcentaje)\b",
    re.I,
)
# Electricity or energy asked for by amount, answered in watts or watt-hours: cubic metres of water do not say it.
_ASKS_ENERGY = re.compile(
    r"\b(how much|wie viel|combien|cu[aá]nta)\b.{0,20}"
    r"\b(electricity|power|energy|strom|energie|électricité|énergie|electricidad|energía)\b",
    re.I,
)
# Unit symbols in their own case: "KW 23" is a calendar week.
_ENERGY_UNIT = re.compile(
    r"\b(?:(?-i:[kMGT]Wh?)|(?:kilo|mega|méga|giga|tera|téra)?watt\w*|(?:mega|giga|tera)?vatio\w*)\b", re.I
)
_PERCENT = re.compile(r"%|\b(prozent|per ?cent|pour ?cent|por ?ciento|hälfte|half|drittel|third|viertel|quarter)", re.I)
_ASKS_TIME = re.compile(
    r"^\W*(?:\w+\s+)?(when|wann|quand|cu[aá]ndo|welchem (tag|datum)|which day|what date|what time|wie viel uhr"
    r"|welche uhrzeit|which year|what year|welchem jahr)\b",
    re.I,
)
# A count in words that is no number ("Hunderte", "dozens"), or none at all ("keine Angaben", "no figure").
_ROUGH_COUNT = re.compile(
    r"\b(hundreds|thousands|dozens|hunderte|tausende|dutzende|centaines|milliers|cientos|miles|no one|nobody|none"
    r"|niemand|keine?n?)\b",
    re.I,
)
_TIME_WORDS = re.compile(
    r"\b(\d{1,2}[:.]\d{2}|uhr|a\.m\.|p\.m\.|morgen|abend|nacht|morning|evening|night|tage?n?|days?|wochen?|weeks?"
    r"|monate?n?|months?|jahre?n?|years?|vortag|gestern|yesterday|heute|today|mitternacht|midnight|minuit"
    r"|medianoche|mittags?|noon|midi|mediodía)\b",
    re.I,
)
_CURRENCY = re.compile(
    r"\$|€|£|\b(dollars?|dólares|euros?|lira|rubel|rubles?|rublos|franken|francs?|pfund|pounds?|libras|usd|eur)\b", re.I
)


def asked_kind(question: str, language: str) -> str | None:
    """ "count", "money", "energy", "share" or "time" where a question that asks one thing asks for one; else None."""
    if len(question_parts(question, language)) > 1:
        return None
    if _ASKS_MONEY.search(question):
        return "money"
    if _ASKS_ENERGY.search(question):
        return "energy"
    if _ASKS_SHARE.search(question):
        return "share"
    if _ASKS_COUNT.search(question):
        return "count"
    return "time" if _ASKS_TIME.search(question) else None


def gives_kind(text: str, kind: str, language: str) -> bool:
    if kind == "count":
        return bool(counts(text) or spelled_numbers(text, language) or _ROUGH_COUNT.search(text))
    if kind == "money":
        return bool(_CURRENCY.search(text) and number_spans(text))
    if kind == "share":
        return bool(_PERCENT.search(text))
    if kind == "energy":
        return bool(_ENERGY_UNIT.search(text) and number_spans(text))
    found = set(words(text))
    return bool(find_dates(text) or found & set(MONTHS) or found & set(WEEKDAYS) or _TIME_WORDS.search(text))


def measure_problem(sentence: str, question: str) -> str | None:
    """A count of the dead does not answer how many were wounded: a sentence with counts that names another
    measure than the one asked for, and not that one, answers another question."""
    asked = asked_measure(question)
    if asked is None or not counts(sentence) or MEASURES[asked].search(sentence):
        return None
    other = next((name for name, pattern in MEASURES.items() if pattern.search(sentence)), None)
    return f"it counts the {other}, the question asks for the {asked}" if other else None


# "Welcher aserbaidschanische General ...", "Which Azerbaijani general": a question that asks which holder of a
# title, the title right after the question word or after one adjective ("An welchem Datum besuchte Präsident
# Selenskyj" asks for a date).
_ASKS_WHICH = re.compile(r"\b(?:which|welche[rnms]?|quel(?:le)?s?|cu[aá]l(?:es)?)\s+([\w\-]+)(?:\s+([\w\-]+))?", re.I)
_ADJECTIVE = re.compile(r"^[a-zäöüéè]|(?:i|an|ese|ish|isch\w*)$")


def _asked_titles(question: str) -> set[str]:
    asked: set[str] = set()
    for match in _ASKS_WHICH.finditer(question):
        first, second = match.group(1), match.group(2) or ""
        asked |= _titles(first) or (_titles(second) if _ADJECTIVE.search(first) else set())
    return asked


def off_question_problem(question: str, source: Source, language: str) -> str | None:
    """Why an evidence sentence cannot stand as the answer to a question in `language`, seen in code: the
    question asks for a count, a sum, a share or a time and it gives none; it counts something else than the
    question's "how many" does (names_counted, in its own language); the question asks how many were killed,
    wounded, displaced, missing or rescued and it counts none of them; the question asks which general (minister,
    ...) and it names none; or the question asks for one party's figures or words ("according to Putin", "Was
    sagte Assad?") and it gives another party's or no one's. The model's own yes/no check lets such sentences
    pass."""
    kind = asked_kind(question, language)
    if kind is not None and not gives_kind(source.text, kind, source.language):
        return f"it gives no {kind}, the question asks for one"
    if not names_counted(question, source.text, language, source.language):
        return "it does not name what the question counts"
    if other_day := day_problem(question, source):
        return other_day
    asked = asked_measure(question)
    if asked is not None and not MEASURES[asked].search(source.text):
        return f"it gives no figure of the {asked}"
    titles = _asked_titles(question)
    if titles and not any(titles & _titles(word) for word in _WORD.findall(source.text)):
        return f"it names no {' or '.join(sorted(titles))}, the question asks which one"
    party = find_speakers([question])[0]
    if party is None or names_party(source.text, party):
        return None
    texts = [source.text[span.start : span.end] for span in split_sentences(source.text)]
    speakers = find_speakers(texts)
    givers = [s for text, s in zip(texts, speakers) if s is not None and counts(text)]
    comparable = party.person or source.language == language
    if _ATTRIBUTING.search(question) and comparable and givers and not any(names_party(g.label, party) for g in givers):
        return f"it gives {givers[0].label}'s figures, the question asks for {party.label}'s"
    # A named party's words ("according to Gazprom", "Was sagte Assad?") are not in a sentence that gives another
    # person's words or no one's; "he said" and a bare quotation may be theirs. A name of one word may be a country,
    # named otherwise in another language ("L'Allemagne"); "Kiew und die Besatzungsbehörden" asks for several.
    if not party.person or names_several(question, language):
        return None
    others = [s for s in speakers if s is not None and s.person and len(s.label.split()) > 1]
    if others and not any(names_party(other.label, party) for other in others):
        return f"it gives {others[0].label}'s words, the question asks for {party.label}'s"
    if not any(map(reports_speech, texts)):
        return f"it gives no one's words, the question asks for {party.label}'s"
    return None


def checkable_question(question: str, language: str) -> bool:
    """Whether code can tell that an evidence sentence does not answer the question (off_question_problem): it
    asks for a count, a sum, a share or a time, for a measure, for a title, or for a named party's words."""
    return (
        bool(asked_kind(question, language) or asked_measure(question) or _asked_titles(question))
        or find_speakers([question])[0] is not None
    )


# The words a "how many" question counts: "How many trucks", "Wie viele Menschen waren".
_COUNTED = re.compile(rf"\b(?:{_HOW_MANY})\s+([\w\-]+)(?:\s+([\w\-]+))?", re.I)
# Counted words that name no one in particular: any count of the dead, wounded or displaced counts them.
_PEOPLE = {"menschen", "personen", "leute", "people", "persons", "personnes", "gens", "personas"}
# ... except a count of those who live somewhere: no toll answers "How many people live in Berg-Karabach?".
_LIVING = re.compile(r"\b(?:live[sd]?|living|inhabit\w*|(?-i:leb(?:t|en|te|ten)|wohn\w*)|viv\w+|habit\w*)\b", re.I)


def names_counted(question: str, text: str, language: str, text_language: str | None = None) -> bool:
    """Whether the text names what a "how many" question counts ("How many Azerbaijani soldiers": not a
    sentence on 27 dead civilians); True for a question that asks no count. A text in another language
    (text_language) is held to what holds in any language: a toll counts people, but not those who live somewhere."""
    match = _COUNTED.search(question)
    if match is None:
        return True
    counted = [word for word in match.groups() if word and word.lower() not in STOPWORDS]
    people = not counted or any(word.lower() in _PEOPLE for word in counted) or measure_of(" ".join(counted))
    if people and measure_of(text):
        # "Wie viele Menschen kamen ums Leben?" and "How many died?" count the people that "6 Tote und 294
        # Verletzte" count.
        return not _LIVING.search(question)
    if text_language not in (None, "", language):
        return True
    if language == "de":
        counted = [word for word in counted if word[:1].isupper()]  # a noun: "Wie viele kamen" counts none
    asked = set(stems(" ".join(counted), language))
    return not asked or bool(asked & set(stems(text, language)))


def names_asked_party(question: str, text: str) -> bool:
    """Whether the text names the party whose figures or words the question asks for; False for a question that
    names none."""
    party = find_speakers([question])[0]
    return party is not None and names_party(text, party)


def speaker_problem(sentence: str, sources: Sequence[Source]) -> str | None:
    """What the sentence says a named person said must come from evidence that names them: the small model gives
    the UN ambassador's words to the president he speaks for."""
    claimed = find_speakers([sentence])[0]
    if claimed is None or not claimed.person:
        return None
    surname = re.split(r"[-’']", claimed.label.split()[-1])[-1]
    named = [part for s in sources for word in _WORD.findall(s.text) for part in re.split(r"[-’']", word)]
    if any(_same_name(surname, word) for word in named):
        return None
    return f"it gives what was said to {claimed.label}, whom its source does not name"


def restatement_problem(sentence: str, question: str, language: str) -> str | None:
    """A sentence whose every content word and number is the question's says nothing: the small model writes
    "Katar hat der Türkei nach Angaben Erdogans für die Erdbebenopfer zugesagt." when it cannot find the answer,
    and every word of it is in the evidence too."""
    own = set(stems(sentence, language)) | numbers(sentence)
    asked = set(stems(question, language)) | numbers(question)
    return "it only restates the question" if own and own <= asked else None


def claim_problem(sentence: str, sources: Sequence[Source], question: str, language: str) -> str | None:
    """Why the sentence says something its cited evidence does not, or says nothing, or None."""
    return (
        restatement_problem(sentence, question, language)
        or measure_problem(sentence, question)
        or number_problem(sentence, sources, question, language)
        or date_problem(sentence, sources, question)
        or _other_day(question, sources)
        or negation_problem(sentence, sources)
        or name_problem(sentence, sources, question)
        or role_problem(sentence, sources)
        or title_problem(sentence, sources, question)
        or speaker_problem(sentence, sources)
        or claimant_problem(sentence, sources, question, language)
    )
