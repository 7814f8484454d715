"""Who says what: the speaker a news sentence attributes its content to ("sagte Putin", "Die Behörden in
Bergkarabach teilten mit", "laut X", "according to X"), resolved across one article: "sagte er" and role nouns
("der Kremlchef") point to the last person quoted, and a sentence in reported speech (German Konjunktiv I) or a
bare quotation continues the previous speaker. Rules for German and English news style, no model: a briefing
must never put a claim in its own voice because a model guessed wrong."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..cleaning import DATELINE_OPENING
from ..dates import MONTHS, WEEKDAYS
from ..text import words

_VERBS = (
    # German, finite forms; a separable particle ("teilte ... mit") needs no matching.
    "sagt sagte sagten erklärt erklärte erklärten betont betonte betonten teilt teilte teilten spricht sprach "
    "sprechen sprachen geht ging gehen gingen nennt nannte nennen nannten bezeichnet bezeichnete bezeichneten "
    "fordert forderte fordern forderten wirft warf werfen warfen kündigt kündigte kündigten drängt drängte drängten "
    "hofft hoffte hoffen warnt warnte warnten kritisiert kritisierte kritisierten verlangt verlangte verlangten "
    "bestätigt bestätigte bestätigten dementiert dementierte behauptet behauptete behaupteten meldet meldete "
    "meldeten berichtet berichtete berichteten schreibt schrieb sieht sah sehen sahen setzt setzte schließt schloss "
    "bekräftigt bekräftigte versichert versicherte appelliert appellierte beschuldigt beschuldigte beschuldigen "
    "räumt räumte bezifferte beziffert schätzt schätzte weist wies wiesen errechnete errechneten zählt zählte zählten "
    # English
    "said says told stated claimed announced warned urged called accused blamed demanded reported added insisted "
    "denied confirmed estimated argued described wrote stressed conceded answered responded replied"
).split()
# French and Spanish, compound past included ("a annoncé"); "X a annoncé" and "afirmó X" read as above.
_ROMANCE = (
    "a déclaré|a dit|a affirmé|a indiqué|a annoncé|a précisé|a estimé|a assuré|a ajouté|a expliqué|déclare|affirme|"
    "indique|annonce|estime|précise|avance|fait état|font état|"
    "dijo|afirmó|declaró|aseguró|informó|anunció|señaló|explicó|añadió|indicó|estimó|advirtió|respondió|"
    "hablaban de|hablaba de|habló de|demande|a demandé"
)
_VERB = r"(?:" + "|".join(sorted(_VERBS, key=len, reverse=True)) + "|" + _ROMANCE + r")"
_ENGLISH_VERB = (
    r"(?:said|says|say|told|stated|claimed|announced|warned|reported|added|insisted|denied|confirmed|wrote|estimated|"
    r"stressed|conceded|put|gave|given|spoke|spoken|accused|blamed|urged|demanded|described|argued|promised|"
    r"pledged|repeated|answered|responded|replied)"
)
# What stands between an English subject and its verb: "Putin on Friday accused", "Nebenzia in turn blamed".
_BETWEEN = r"(?:(?:had|has|also|later|still|again|then|in\s+turn|on\s+[A-Z][a-z]+day)\s+){0,2}"
# German past perfect puts the participle last: "Scholz hatte am Vortag von ... gesprochen".
_PARTICIPLE = (
    r"(?:gesagt|gesprochen|erklärt|mitgeteilt|gemeldet|berichtet|genannt|geschrieben|betont|gewarnt|gefordert|"
    r"bestätigt|angegeben|beziffert|geschätzt|bekanntgegeben|vorgeworfen|kritisiert|dementiert|behauptet|"
    r"zurückgewiesen|errechnet|gezählt|veranschlagt)"
)
# The rest of a clause up to its participle: a comma ends it, not the one of a decimal ("84,1 Milliarden").
_IN_CLAUSE = r"(?:[^,;]|(?<=\d),(?=\d))*"
# A German clause "Wie X mitteilte, ..." names its source first.
_AS_VERB = (
    r"(?:mitteilte|mitteilten|berichtete|berichteten|erklärte|erklärten|sagte|sagten|meldete|meldeten|schrieb|"
    r"schrieben|bekanntgab|angab|angaben|betonte|bestätigte)"
)
# A sentence that reports someone's words, in any of the corpus languages: the sentences worth asking the model
# about (attribution.py) even where the rules above find no speaker.
SPEECH = re.compile(
    rf"\b(?:{_VERB}|laut|zufolge|Angaben|according|selon|d'après|a déclaré|a dit|a affirmé|a indiqué|a annoncé|"
    r"según|dijo|afirmó|declaró|aseguró|informó|anunció|señaló|explicó)\b",
    re.I,
)
# Mutual blame has no speech verb of its own: "gaben sich beide Seiten gegenseitig die Verantwortung".
_BLAME = r"(?:gaben|geben|gab|gibt)\s+sich\s+(?:gegenseitig\s+)?die\s+(?:Verantwortung|Schuld)"
_WORD = r"[\w\-’']+"
# The article of an Arabic name, written in lower case: "Baschar al-Assad", "Abdel Fattah el-Sisi".
_ARABIC_ARTICLE = r"(?:al|el|ad|as|ash|ar|az|ibn|bin|abu)-"
_PARTICLE = rf"(?:{_ARABIC_ARTICLE})?"
# A name phrase after a verb or "laut": optional article and adjectives, capitalised words, and one attachment
# ("Behörden in Bergkarabach").
_NAMED = (
    rf"(?:(?:der|die|das|den|dem|des|eines|einer|the|a|an)\s+)?(?:[a-zäöüß][\w\-]*\s+){{0,2}}"
    rf"(?:{_PARTICLE}[A-ZÄÖÜ]{_WORD}\s*){{1,4}}(?:(?:in|von|aus|of|in)\s+(?:[A-ZÄÖÜ]{_WORD}\s*){{1,3}})?"
)
_PRONOUN = r"(?:er|sie|he|she)"
# A name: capitalised words, an acronym among them ("Gor Abrahamyan", "AFAD", "Fuat Oktay"); no opener before it.
_PERSON = rf"(?<![\w\-])(?:{_PARTICLE}[A-ZÄÖÜÁÉÍÓÚ][\w\-’'.]*\s+){{0,3}}{_PARTICLE}[A-ZÄÖÜÁÉÍÓÚ][\w\-’']*"
_NAME = rf"(?:(?:[A-ZÄÖÜÁÉÍÓÚ][\w\-’'.]*\s+){{1,3}}{_PARTICLE}[A-ZÄÖÜÁÉÍÓÚ][\w\-’']*|[A-ZÄÖÜ]{{2,}}\b)"
# Words that open a sentence with an adverbial, not a subject.
_OPENERS = (
    "am|im|an|auf|aus|bei|bis|nach|seit|vor|mit|in|zugleich|zudem|dabei|damit|danach|außerdem|inzwischen|"
    "bereits|auch|doch|dann|nun|später|zuvor|gestern|heute|on|at|by|after|before|also|meanwhile|later|earlier|then"
)
_OBJECT_VERBS = "told|urged|called|accused|blamed|warned|demanded|described|reported|confirmed|announced|denied"

# Words that name a sentence's source outright: "laut", "according to", "nach Angaben der", "nach einer ersten
# Schätzung der", "selon", "según".
_SOURCE_MARKER = (
    r"(?i:laut|according\s+to|selon|d'après|según|nach\s+(?:(?:eine[rmn]?|de[rmn]|ersten|neuen|neuesten|jüngsten|"
    r"offiziellen|vorläufigen|eigenen)\s+){0,2}(?:Angaben|Schätzung(?:en)?|Berechnungen|Informationen|Zählung(?:en)?|"
    r"Darstellung)(?:\s+von)?)"
)
# "nach Kreml-Angaben": the source as the first part of a compound.
_COMPOUND_SOURCE = r"\bnach\s+(?P<np>[A-ZÄÖÜ][\w]+)-Angaben\b"
_SOURCED = re.compile(
    rf"\b{_SOURCE_MARKER}\s+(?P<after>[^,;.]{{1,80}})|(?P<before>[^,;.]{{1,80}})\s+zufolge\b|{_COMPOUND_SOURCE}"
)

# "die Organisation", "le ministère", "the agency": an institution named before, not one of that name.
_BACK_REFERENCES = set(
    "organisation organization organisación ministerium ministère ministry ministerio behörde agentur agency agence "
    "agencia kommission commission institut institute instituto verband komitee committee comité".split()
)

_PATTERNS = [
    # A name in the German genitive, without an article: "nach Angaben Erdogans" and "nach Worten Moskaus" are
    # Erdogan's and Moscow's (a name that ends in s takes an apostrophe instead: "nach Angaben Borrells'" is rare).
    re.compile(
        r"\b(?i:nach)\s+(?:\w+\s+)?(?:Angaben|Worten|Darstellung|Schätzung(?:en)?)\s+"
        r"(?P<np>[A-ZÄÖÜ][\w\-]{2,}?)s(?=[\s,.;:]|$)(?!\s+[A-ZÄÖÜ])"
    ),
    # "Según el instituto", "selon le ministère", "laut der Behörde": the institution named before.
    re.compile(
        rf"\b{_SOURCE_MARKER}\s+(?P<np>(?i:der|dem|den|the|le|la|el)\s+(?:{'|'.join(sorted(_BACK_REFERENCES))}))\b"
    ),
    # A role, then the name after a comma: "according to the regional governor, Oleksandr Prokudin", "Según el
    # ministro del Interior ucraniano, Ígor Klimenko".
    re.compile(
        rf"\b{_SOURCE_MARKER}\s+(?:the|der|des|dem|den|le|la|el)\s+(?:[\w\-]+\s+){{0,3}}?[\w\-]+,\s+"
        rf"(?P<np>{_NAME})(?=[\s,.:;]|$)"
    ),
    # Someone speaking for an institution: "nach Angaben eines Sprechers des US-Außenministeriums".
    re.compile(
        rf"\b{_SOURCE_MARKER}\s+(?P<np>(?:eines|einer|des|der)\s+\w*(?:[Ss]precher|[Vv]ertreter|[Cc]hef)\w*\s+"
        rf"(?:des|der)\s+(?:[A-ZÄÖÜ]{_WORD}\s*){{1,3}})"
    ),
    re.compile(rf"\b{_SOURCE_MARKER}\s+(?P<np>{_NAMED})"),
    re.compile(rf"^(?i:wie)\s+(?P<np>{_NAMED})\s+(?:[^,]{{0,60}}\s+)?{_AS_VERB},"),
    # Reported speech of the last person named: "he said", "er schrieb", "nach seinen Angaben", "elle a précisé".
    re.compile(rf"(?:^|,\s+|\b)(?P<np>he|she|er|sie|il|elle)\s+{_BETWEEN}(?:{_VERB}|{_ENGLISH_VERB})\b"),
    # An institution named before: "It did not say how many soldiers died", "it said".
    re.compile(rf"(?:^|,\s+)(?P<np>[Ii]t)\s+{_BETWEEN}(?:did\s+not\s+|didn't\s+)?(?:say|{_ENGLISH_VERB})\b"),
    re.compile(r"\b(?i:nach)\s+(?P<np>seinen|ihren)\s+Angaben\b"),
    re.compile(_COMPOUND_SOURCE),
    # A side named by its adjective: "nach armenischen Angaben" is the Armenian side's figure.
    re.compile(r"\b(?i:nach)\s+(?P<side>[a-zäöü]+isch)en\s+(?:Angaben|Berechnungen|Schätzungen|Informationen)\b"),
    re.compile(rf"(?P<np>{_NAMED})\s+zufolge\b"),
    # "Armeniens Staatspräsident Armen Sarkissjan hat nach eigenen Worten ... erfahren": the subject speaks.
    re.compile(
        rf"^(?!(?i:{_OPENERS})\b)(?P<np>(?:{_WORD}\s+){{0,5}}{_WORD})\s+(?:{_WORD}\s+)?nach\s+eigenen\s+"
        r"(?:Worten|Angaben)\b"
    ),
    # Subject first (German and English main clause): everything before the verb, at most six words, no comma;
    # not an adverbial ("Am Dienstag nannte ...", "Zugleich kündigte ..."): German puts the subject after the verb.
    re.compile(rf"^(?!(?i:{_OPENERS})\b)(?P<np>(?:{_WORD}\s+){{0,5}}{_WORD})\s+(?:{_VERB}|{_BLAME})\b"),
    # The subject after an opening adverbial clause and its comma, in any language: "Intervenant depuis Ankara,
    # le président turc Recep Tayyip Erdogan a estimé", "In the rebel-held north-west, the White Helmets said".
    re.compile(rf"^[^,]{{3,80}},\s+(?P<np>(?:{_WORD}\s+){{0,5}}{_WORD})\s+(?:{_VERB})\b"),
    # A person named with an apposition, opening the sentence or after a comma: "Vladimir Leontyev, the
    # Moscow-appointed mayor, told ...", "Der Besatzungschef von Nowa Kachowka, Wladimir Leontjew, sagte ...".
    # Two capitalised words or an acronym: German capitalises every noun ("zwei Polizisten, teilte ...").
    re.compile(rf"(?:^|,\s+)(?P<np>{_NAME}),\s+(?:[^,]{{3,90}},\s+)?(?:{_VERB})\b"),
    # A described subject with an apposition: "The health ministry in Damascus, quoted by SANA, reported".
    re.compile(
        rf"^(?!(?i:{_OPENERS})\b)(?P<np>(?:{_WORD}\s+){{0,5}}{_WORD}),\s+[^,]{{3,90}},\s+(?:{_VERB}|{_ENGLISH_VERB})\b"
    ),
    # A long name closed by its acronym: "The Geological Survey of Denmark and Greenland (GEUS) said", "Le Bureau
    # de coordination des affaires humanitaires de l'ONU (Ocha) avançait".
    re.compile(rf"\((?P<np>[A-ZÄÖÜ][\w\-]{{1,9}})\)\s+{_BETWEEN}(?:{_VERB}|{_ENGLISH_VERB}|avan[cç]\w*)\b"),
    # English puts the subject right before the verb after any adverbial: "By Monday evening AFAD said",
    # "its spokesman Gor Abrahamyan said", "Vice-President Fuat Oktay had still spoken of".
    re.compile(rf"(?P<np>{_PERSON})\s+{_BETWEEN}{_ENGLISH_VERB}\b"),
    # A described source closing the sentence: "..., the armed forces said.", "..., the country's health minister
    # said on Friday."
    re.compile(
        rf",\s+(?P<np>(?:the|its|their)\s+(?:{_WORD}\s+){{0,4}}?{_WORD})\s+{_BETWEEN}{_ENGLISH_VERB}\b[^,;]{{0,40}}$"
    ),
    # German past perfect, subject first or after an adverbial: "Bundeskanzler Olaf Scholz hatte ... gesprochen",
    # "Am Dienstagmorgen hatten die Gesundheitsbehörden ... gemeldet".
    re.compile(
        rf"^(?!(?i:{_OPENERS})\b)(?P<np>(?:{_WORD}\s+){{0,5}}{_WORD})\s+(?:hatte|hatten|hat|haben)\b"
        rf"{_IN_CLAUSE}\b{_PARTICIPLE}\b"
    ),
    re.compile(
        rf"^(?i:{_OPENERS})\b[^,;]{{0,40}}?\b(?:hatte|hatten|hat|haben)\s+(?P<np>{_NAMED})\s+"
        rf"{_IN_CLAUSE}\b{_PARTICIPLE}\b"
    ),
    # A pronoun after the auxiliary, after any adverbial: "Neun Stunden zuvor hatte sie noch 13.550 gezählt".
    re.compile(rf"\b(?:hatte|hatten|hat|haben)\s+(?P<np>er|sie)\b{_IN_CLAUSE}\b{_PARTICIPLE}\b"),
    # Verb first, a role and then the name after a comma: "teilte der Menschenrechtsbeauftragte der ... Republik,
    # Gegham Stepanjan, mit".
    re.compile(rf"\b(?:{_VERB})\s+(?:der|die|the|le|la|el)\s+[^,]{{3,80}},\s+(?P<np>{_NAME}),"),
    # Verb first: German inversion ("sagte Putin", "nannte Afad-Chef Yunus Sezer") and English "said X"; an
    # English verb with an object names its listener or target there ("told Reuters", "blamed Kyiv").
    re.compile(rf"\b(?!(?:{_OBJECT_VERBS})\b)(?:{_VERB}|{_BLAME})\s+(?P<np>{_PRONOUN}|{_NAMED})(?=[\s,.:;!?]|$)"),
    re.compile(
        rf"\b(?:gaben|geben|gab|gibt)\s+sich\s+(?P<np>{_NAMED})\s+(?:gegenseitig\s+)?die\s+(?:Verantwortung|Schuld)"
    ),
    re.compile(rf",\s*so\s+(?P<np>{_NAMED})[.!?]?$"),
    # "hieß es am Freitag in einer Mitteilung der Karabach-Armenier", "hieß es aus dem Kreml".
    re.compile(
        r"\bhie(?:ß|ss)\s+es\b[^,;.]{0,30}?\b(?:in\s+(?:einer|der)\s+\w*(?:Mitteilung|Erklärung|Stellungnahme)\s+|aus\s+)"
        rf"(?P<np>{_NAMED})"
    ),
]
# The owner of a claim that the next sentence gives without naming its source again: "Weit darüber hinaus geht eine
# Behauptung des Nationalen Widerstandszentrums. Allein in Oleschky seien 500 Menschen gestorben, hieß es in einer
# Mitteilung vom Dienstag."
_CLAIM_OF = re.compile(
    r"\b(?:Behauptung|Darstellung|Schätzung|Mitteilung|Erklärung|Stellungnahme|claim|account|estimate|statement|"
    r"affirmation|déclaration|estimation|communiqué|afirmación|declaración|estimación|comunicado)\s+"
    rf"(?:(?:by|from|of|de|du|del)\s+|(?=(?:des|der)\s))(?P<np>{_NAMED})"
)
# A source the sentence leaves unnamed: "hieß es", "it was said", "a-t-on indiqué", "se informó".
_UNNAMED_SOURCE = re.compile(
    r"\bhie(?:ß|ss)\s+es\b|\bit\s+(?:was|is)\s+(?:said|stated|claimed)\b|\ba-t-on\s+\w+|"
    r"\bse\s+(?:informó|indicó|afirmó|aseguró|dijo)\b"
)
# A speech verb with its subject dropped, between commas: "En la vecina región, añadió, hay 23 localidades".
_DROPPED_SUBJECT = re.compile(r",\s+(?:añadió|agregó|dijo|afirmó|explicó|aseguró|precisó|señaló|indicó|detalló)[,.]")
# Words that go on with what the same speaker said just before: "añadió", "he added", "fügte er hinzu".
_ADDED = re.compile(r"\b(?:añadió|agregó|added|adding|ergänzte|fügte\b.{0,60}\bhinzu|ajout\w*)\b")
# A name opening a sentence as its subject, an inserted phrase between commas, then the verb: whom "he" points back
# to next ("Aliyev, in a televised address, praised the statement ... He said the Armenian leader ...").
_LEADING_NAME = re.compile(rf"^(?P<np>{_PERSON}),\s+[^,]{{3,90}},\s+[a-zäöü]")
# Heads of noun phrases that name an actor (matched at the start of the last part of a compound, any case);
# anything else before a verb ("Der Konflikt fordert weiter Todesopfer") is not a speaker.
_ACTOR_STEMS = (
    "behörde regierung ministerium außenministerium seite armee militär streitkräfte kreml polizei führung "
    "staatsmedien agentur parlament opposition rebellen separatisten verwaltung staatsanwaltschaft nato uno osze "
    "authorit government ministr side army military forces police official kremlin agency ministère gouvernement "
    "armée autorit ministerio gobierno ejército autorid "
    # institutions that publish figures
    "kommission commission survey institut bank verband association organisation organization ombuds committee "
    "komitee prosecutor staatsanwalt gericht court group gruppe groupe grupo"
).split()
_ROLE_STEMS = (
    "präsident chef minister kanzler sekretär sprecher führer premier president secretary spokes leader chancellor "
    "ministr président presidente portavoz porte-parole jefe"
).split()
_PREPOSITIONS = {"in", "von", "aus", "of", "from", "de", "du", "del"}
_ARTICLES = {
    "der",
    "die",
    "das",
    "den",
    "dem",
    "des",
    "the",
    "a",
    "an",
    "ein",
    "eine",
    "einer",
    "eines",
    "einem",
    "einen",
    "le",
    "la",
    "les",
    "el",
    "los",
    "las",
}
_NAME_PARTICLE = re.compile(rf"{_ARABIC_ARTICLE}[A-ZÄÖÜÁÉÍÓÚ]")
_ROMANCE_ARTICLES = {"le", "la", "les", "el", "los", "las"}
_DEFINITE = {"der", "die", "das", "den", "dem", "des", "the", "le", "la", "les", "el", "los", "las"}
# Institutions whose names hold a role ("Umweltministerium", "ministry"): no person named earlier.
_INSTITUTION_STEMS = ["ministerium", "ministry", "ministère", "ministerio", "amt", "office"]
_QUANTIFIERS = {"beide", "alle", "viele", "einige", "both", "all", "many", "some"}
_CALENDAR = set(MONTHS) | set(WEEKDAYS)
# Auxiliaries, adverbs and clitic pronouns between a subject and its verb, which the subject-first patterns take in:
# "had already called", "lui demande", "se han".
_BEFORE_VERB = set(
    "had has have already also still hatte hatten hat haben bereits schon lui leur se ne y en le les lo no".split()
)
_NOT_SPEAKERS = {"es", "das", "dies", "man", "it", "this", "that", "there", "wir", "we", "ich", "i", "sie", "they"}
# Question words: "Was sagte X?", "Welche Zahlen nannte X?" ask what X said.
_INTERROGATIVES = set(
    "was wer wen wem wie welche welcher welches welchen what who whom which how qui que quoi quel quelle quels "
    "quelles qué quién cuál cuáles cómo".split()
)
# German Konjunktiv I: reported speech that continues the previous sentence's speaker.
_REPORTED = re.compile(
    r"\b(sei|seien|habe|werde|gebe|könne|müsse|wolle|solle|dürfe|möge|nähere|liege|stehe|gehe|komme|halte|"
    r"bleibe|wisse|brauche|plane|gelte|erwarte|fordere|hoffe|glaube|meine)\b"
)
# The German Konjunktiv II that stands in for Konjunktiv I in reported speech ("42 Menschen würden vermisst").
_KONJUNKTIV_II = r"würden?|hätten?|wären?"
# After a sentence with a speaker, the Konjunktiv II ("70 Länder hätten Hilfe angeboten") goes on with their words
# as much as Konjunktiv I does.
_CONTINUES = re.compile(rf"{_REPORTED.pattern}|\b(?:{_KONJUNKTIV_II})\b")
_OPENING_QUOTE = re.compile(r"^[„\"“»‚']")
# A quotation gives words, a quoted name or title does not ("den Wohnkomplex „Rönesans Rezidans“ gebaut"): three
# words at least between the marks, or a mark left open (the quotation runs on from or into the next sentence).
_QUOTED = re.compile(r"[„“”«»\"]([^„“”«»\"]*)([“”«»\"]?)")
# "geht/ging ... davon aus" and "schließt ... aus" report a view; without their particle the same verbs narrate
# ("1956 ging das Kraftwerk in Betrieb").
_PARTICLE_VERB = re.compile(r"\b(?:geht|ging|gehen|gingen|schließt|schloss|schlossen)\b(?!.*\baus\b)", re.I)
# More forms that give a source's words or count than the rules read a speaker from: the German Konjunktiv II
# that stands in for Konjunktiv I ("42 Menschen würden vermisst"), a count someone made ("hatte sie 13.550
# Ankömmlinge gezählt"), French and Spanish present and imperfect ("l'Ocha avançait un chiffre").
_REPORTING = re.compile(
    rf"\b(?:{_PARTICIPLE}|{_KONJUNKTIV_II}|zählte|zählten|verzeichnete?n?|registriert\w*|counted|"
    r"recorded|registered|put the|avan[cç]\w*|font état|fait état|faisait état|estim\w*|indiqu\w*|affirm\w*|"
    r"annon[cç]\w*|déclar\w*|précis\w*|cifr\w*|inform\w*|señal\w*|asegur\w*)\b",
    re.I,
)


def _says_outright(sentence: str) -> bool:
    """A speech verb, "laut", a quotation or a form that gives a count: words given by more than the mood."""
    speech = any(not _PARTICLE_VERB.match(sentence, m.start()) for m in SPEECH.finditer(sentence))
    quotation = any(len(m.group(1).split()) >= 3 or not m.group(2) for m in _QUOTED.finditer(sentence))
    return bool(speech or quotation or _REPORTING.search(sentence))


def reports_speech(sentence: str) -> bool:
    """Whether a sentence gives someone's words or count (a speech verb, "laut", reported speech, a quotation), so
    that it can have a speaker at all; "Der Stausee fasste rund 18 Milliarden Kubikmeter" is the article's own
    voice."""
    return _says_outright(sentence) or bool(_REPORTED.search(sentence))


def speech_by_mood_only(clause: str) -> bool:
    """Reported speech in the Konjunktiv alone: words of someone named elsewhere, so a person the clause names is
    whom they speak of ("Die Entscheidung habe Präsident Joe Biden ... getroffen, behauptet Hersh")."""
    return bool(_REPORTED.search(clause)) and not _says_outright(clause)


def names_source(sentence: str, speaker: Speaker) -> bool:
    """Whether the sentence names the speaker as its source outright: "nach Angaben der Regierung", "laut Putin",
    "der Weltbank zufolge", "nach Kreml-Angaben"."""
    return any(speaker.mentioned_in(next(filter(None, m.groups()))) for m in _SOURCED.finditer(sentence))


@dataclass(frozen=True)
class Speaker:
    key: str  # the same across articles and spellings: "putin", "behörden in bergkarabach"
    label: str  # how the briefing names them: "Wladimir Putin", "Behörden in Bergkarabach"
    person: bool  # named ("Putin", "Armenien"), not described ("die Behörden"): "er" may point back to them

    def named_in(self, text: str) -> bool:
        """Whether a sentence names this speaker (by the last word of the name)."""
        last = _normal(self.label).split()[-1:]
        return bool(last) and last[0] in words(_normal(text))  # words: "Baghdasaryan," names Baghdasaryan

    def mentioned_in(self, text: str) -> bool:
        """named_in, or for a described party its head noun: "laut den Behörden" mentions "Behörden in
        Bergkarabach"."""
        if self.named_in(text):
            return True
        head = []
        for word in self.label.split():
            if word.lower() in _PREPOSITIONS:
                break
            head.append(word)
        return not self.person and bool(head) and head[-1].lower() in words(text)


def _normal(text: str) -> str:
    return re.sub(r"[\-’']", "", text).lower()


def _strip_article(words: list[str]) -> list[str]:
    return words[1:] if words and words[0].lower() in _ARTICLES else words


def _is(word: str, stems: list[str]) -> bool:
    # German compounds put the head last: "Kremlchef", "Nato-Generalsekretär", "Außenministerium".
    last = word.lower().split("-")[-1]
    return any(stem in last for stem in stems)


def _is_capitalised(word: str) -> bool:
    """A word of a name: capitalised, or an Arabic name with its article ("al-Assad", "el-Sisi")."""
    return word[:1].isupper() or bool(_NAME_PARTICLE.match(word))


def _speaker(phrase: str) -> Speaker | None:
    """A Speaker for a noun phrase, or None if the phrase does not name an actor."""
    words = phrase.strip(" ,.:;").split()
    while len(words) > 1 and words[-1].lower() in _BEFORE_VERB:
        words = words[:-1]  # "Seventeen opposition parties had already (called)", "La France lui (demande)"
    if len(words) > 2 and re.fullmatch(_OPENERS, words[0].lower()) and words[1].lower() in _CALENDAR:
        words = words[2:]  # "On Wednesday Erdogan (had given)": English names the subject after the adverbial
    core = _strip_article(words)
    if not core or (len(core) == 1 and core[0].lower() in _NOT_SPEAKERS):
        return None
    if any(word.lower().strip(".,;:?") in _INTERROGATIVES for word in words):
        return None
    if re.fullmatch(_OPENERS, words[0].lower()) or core[-1].lower().strip(".") in _CALENDAR:
        return None  # "Am Dienstag", "On Monday": when, not who
    head = []  # the phrase before any attachment ("Putin" of "Putin in Moskau")
    for word in core:
        if word.lower() in _PREPOSITIONS:
            break
        head.append(word)
    capitalised = bool(head) and head[0].lower() not in _QUANTIFIERS and all(map(_is_capitalised, head))
    roles = [i for i, w in enumerate(head) if _is(w, _ROLE_STEMS)]
    if capitalised and (core is words or roles):
        # A name, perhaps after a role: "Russlands Präsident Wladimir Putin", "Kremlchef Putin", "Armenien",
        # "die Innenministerin Nancy Faeser".
        name = head[roles[-1] + 1 :][-3:] if roles else head[-3:]
        if name:
            return Speaker(_normal(name[-1]), " ".join(name), True)
    # The name after the role: German capitalises the role too ("der ukrainische Innenminister Ihor Klymenko").
    trailing = list(itertools.takewhile(lambda w: _is_capitalised(w) and not _is(w, _ROLE_STEMS), reversed(head)))
    trailing.reverse()
    if roles and trailing and roles[-1] < len(head) - len(trailing):
        # A role after a word in lower case, then the name: "le président turc Recep Tayyip Erdogan", "the regional
        # governor Oleksandr Prokudin", "der ukrainische Innenminister Ihor Klymenko".
        return Speaker(_normal(trailing[-1]), " ".join(trailing[-3:]), True)
    if capitalised and len(head) >= 2:
        # An institution's proper name after an article: "the US Geological Survey", "die Nord Stream AG"; one
        # capitalised word there is a German noun as often as a name ("die Zahl"), so it needs an actor's head.
        label = " ".join(head)
        return Speaker(_normal(label), label, False)
    if words[0].lower() in _ROMANCE_ARTICLES and head[0][:1].isupper() and not roles:
        # French and Spanish capitalise a name's first word only, adjectives follow it: "les Casques blancs".
        label = " ".join(head)
        return Speaker(_normal(label), label, False)
    # A described actor: "die Behörden in Bergkarabach", "die aserbaidschanische Seite", "beide Seiten".
    if not any(_is(w, _ACTOR_STEMS) or _is(w, _ROLE_STEMS) for w in head):
        return None
    label = " ".join(core)
    return Speaker(_normal(label), label[:1].upper() + label[1:], False)


def speaker_for(phrase: str) -> Speaker | None:
    """A Speaker for a name or description proposed elsewhere (the model's, attribution.py), read as the rules
    read theirs; an apposition after a comma ("Björn Lund, head of ...") is left off, unless the description
    comes first and the name after it ("The Menschenrechtsbeauftragte der Republik, Gegham Stepanjan"). None for a
    word that refers back to an institution ("Organisation"), and for a role without a name ("Kremlchef"): the
    model copies them instead of the name they stand for."""
    first, *rest = [part.strip() for part in phrase.split(",")]
    if _refers_back(first):
        return None
    role_only = _names_role_only(first)
    if re.fullmatch(_NAME, first) and not role_only:
        return _speaker(first)
    name = next((part for part in rest if re.fullmatch(_NAME, part)), None)
    if name is None and role_only:
        return None
    return _speaker(name or first)


def _refers_back(phrase: str) -> str | None:
    """The noun of a phrase that refers back to an institution ("organisation" of "der Organisation"), else None."""
    words = _strip_article(phrase.strip(" ,.:;").split())
    return words[0].lower() if len(words) == 1 and words[0].lower() in _BACK_REFERENCES else None


def _names_role_only(phrase: str) -> bool:
    """A role and no name ("Kremlchef", "der russische Präsident"): who holds it is the person named before, which
    the rules resolve and a proposal read alone cannot."""
    nouns = [word for word in _strip_article(phrase.split()) if word[:1].isupper()]
    return len(nouns) == 1 and _is(nouns[0], _ROLE_STEMS) and not _is(nouns[0], _INSTITUTION_STEMS)


def _is_role_only(phrase: str) -> bool:
    """'der Kremlchef', 'der russische Präsident', 'er': a person named earlier. Not 'eines Sprechers' (someone
    not named before) nor 'das Umweltministerium' (an institution, whatever minister its name holds)."""
    words = _strip_article(phrase.split())
    if len(words) == 1 and words[0].lower() in ("er", "sie", "he", "she", "il", "elle", "seinen", "ihren"):
        return True
    return phrase.split()[0].lower() in _DEFINITE and _names_role_only(phrase)


def find_speakers(sentences: Sequence[str]) -> list[Speaker | None]:
    """The speaker of each sentence of one article, in order; None where the article speaks itself."""
    found: list[Speaker | None] = []
    last_person: Speaker | None = None
    last_institution: Speaker | None = None
    previous: Speaker | None = None
    claim_owner: Speaker | None = None
    for sentence in sentences:
        text = DATELINE_OPENING.sub("", sentence.strip())
        speaker = None
        for pattern in _PATTERNS:
            for match in pattern.finditer(text):
                side = match.groupdict().get("side")
                phrase = f"{side}e Seite" if side else match.group("np").strip()
                if phrase.lower() in ("sie", "elle") and previous is not None and not previous.person:
                    speaker = previous  # "die Regierung ... teilte mit. Zuvor hatte sie ... gezählt"
                elif _is_role_only(phrase):
                    speaker = last_person
                elif phrase.lower() == "it":
                    speaker = last_institution
                elif noun := _refers_back(phrase):
                    # The last institution, where its name has that noun ("Umweltorganisation Greenpeace").
                    speaker = last_institution if last_institution and noun in last_institution.key else None
                else:
                    speaker = _speaker(phrase)
                if speaker:
                    break
            if speaker:
                break
        # A speech verb whose subject the rules cannot read names someone else ("Die von Moskau eingesetzten
        # Behörden im besetzten Teil der Region sprachen von acht Toten, zwei davon seien ...").
        carries = _CONTINUES.search(text) or _OPENING_QUOTE.match(text)
        if speaker is None and previous is not None and carries and not SPEECH.search(text):
            speaker = previous
        if speaker is None and _UNNAMED_SOURCE.search(text):
            speaker = claim_owner or previous
        if speaker is None and _DROPPED_SUBJECT.search(text):
            speaker = next((earlier for earlier in reversed(found[-2:]) if earlier), None)  # the speaker just before
        owner = _CLAIM_OF.search(text)
        claim_owner = _speaker(owner.group("np")) if owner else None
        if speaker is not None and speaker.person:
            last_person = speaker
        elif speaker is not None:
            last_institution = speaker
        elif (subject := _LEADING_NAME.match(text)) and (named := _speaker(subject["np"])) and named.person:
            last_person = named  # "Aliyev, in a televised address, praised ... He said the Armenian leader ..."
        found.append(speaker)
        previous = speaker
    # "Según el ministro, había 48 localidades inundadas. En la orilla ucraniana se han evacuado 2.412 personas. En
    # la vecina región, añadió, hay 23": what one speaker "added" goes on from their words, the sentence between too.
    for i in range(1, len(found) - 1):
        if found[i] is None and found[i - 1] is not None and found[i + 1] == found[i - 1]:
            if _ADDED.search(sentences[i + 1]) and not SPEECH.search(sentences[i]):
                found[i] = found[i - 1]
    return found


# A clause with a party and its figure but no verb of its own, after a comma: "Kiew zählt 21 Tote, die
# Besatzungsverwaltung 41", "Moscow gave 5,000, Kyiv 12,000". The figure is that party's, not the sentence's speaker's.
_ELLIPTICAL = re.compile(
    rf"^(?:(?:und|and|et|y)\s+)?(?P<np>(?:{_WORD}\s+){{0,3}}{_WORD})\s+(?:(?:mehr als|more than|über|rund|etwa|"
    r"about|nearly|fast|knapp|at least|mindestens|plus de|près de|más de|casi)\s+)?\d"
)


def elliptical_speaker(clause: str) -> Speaker | None:
    """The party a clause without a verb gives its figure to (see _ELLIPTICAL), else None."""
    match = _ELLIPTICAL.match(clause.strip())
    return _speaker(match["np"]) if match else None


def unify(speakers: Sequence[Speaker | None]) -> dict[str, Speaker]:
    """One Speaker per key across all articles: the fullest name ("Wladimir Putin" over "Putin")."""
    best: dict[str, Speaker] = {}
    for speaker in speakers:
        if speaker is not None:
            known = best.get(speaker.key)
            if known is None or len(speaker.label.split()) > len(known.label.split()):
                best[speaker.key] = speaker
    return best
