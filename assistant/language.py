"""Offline language detection (lingua ships its models in the wheel); answers follow the question's language."""

from __future__ import annotations

import re
from functools import lru_cache

from .text import words

NAMES = {
    "de": "German",
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "nl": "Dutch",
    "pl": "Polish",
    "pt": "Portuguese",
    "ru": "Russian",
    "tr": "Turkish",
}


# Words that make a question an open one, not a yes/no one; per language, since English "was" asks yes or no.
_OPEN_QUESTION = {
    "en": r"what|which|who|whom|whose|when|where|why|how",
    "de": r"was|welch\w*|wer|wen|wem|wessen|wann|wo|wohin|woher|wie|warum|weshalb|wieso|wo(?:r|)(?:an|auf|aus|für|gegen|mit|nach|über|um|von|vor|zu)",
    "fr": r"que|qu|quel\w*|lequel|laquelle|qui|quand|où|comment|pourquoi|combien",
    "es": r"qué|cuál\w*|quién\w*|cuándo|dónde|cómo|por qué|cuánt\w*",
}
# Where a question joins a second one to the first ("..., und wer nannte die Zahl der Toten?").
_AND = {"en": r"and|but", "de": r"und|aber|sowie", "fr": r"et|mais", "es": r"y|e|pero"}


# A question that names two things in one clause ("die Weltbank und Türkonfed", "Putin and the authorities") or
# sets them side by side ("jeweils", "compare") needs facts from as many sentences.
_SEVERAL = {
    "en": r"and|compare\w*|each|both|versus",
    "de": r"und|sowie|jeweils|beide\w*|vergleich\w*",
    "fr": r"et|chacun\w*|compar\w*|les deux",
    "es": r"y|cada|ambos|ambas|compar\w*",
}


@lru_cache(maxsize=16)
def question_words(language: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)({_OPEN_QUESTION.get(language, _OPEN_QUESTION['en'])})(?!\w)", re.I)


def question_parts(question: str, language: str) -> list[str]:
    """The questions a question joins: "How many died, and who gave the figures?" asks two things, each with
    evidence of its own. One part where it asks one thing."""
    joins = _AND.get(language, _AND["en"])
    words = _OPEN_QUESTION.get(language, _OPEN_QUESTION["en"])
    # The second question may open with a preposition: "..., and on which day did she announce it?"
    split = re.compile(rf"(?:,\s*|\s+)(?:{joins})\s+(?=(?:\w{{2,4}}\s+)?(?:{words})(?!\w))", re.I)
    parts = [part.strip(" ,?") for part in split.split(question)]
    # "When and why did ...?" asks two things of one clause: a part needs words of its own.
    if len(parts) < 2 or any(len(part.split()) < 3 for part in parts):
        return [question]
    return [part + "?" for part in parts]


def names_several(question: str, language: str) -> bool:
    """Whether a question joins or sets side by side several things ("X und Y", "jeweils", "compare")."""
    return re.search(rf"(?<!\w)(?:{_SEVERAL.get(language, _SEVERAL['en'])})(?!\w)", question, re.I) is not None


@lru_cache(maxsize=1)
def _detector():
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in NAMES]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect(text: str, default: str = "de") -> str:
    """ISO 639-1 code of the text's language, or default when the text gives no clue."""
    language = _detector().detect_language_of(text)
    return language.iso_code_639_1.name.lower() if language else default


# Function words of each language that the others do not share ("die" is an English word, "de" French and
# Spanish, "in" German and English): a sentence in a language uses its own.
_FUNCTION_WORDS = {
    "de": "der das und ist nicht ein eine zu von mit dem sich auf für im auch als wird wurde sind hat haben bei "
    "nach aus einer eines einem noch wie über nur oder aber vor dass seien sei habe",
    "en": "the and is not to of with on for also as was were are has have by after from which that this or but be "
    "been its their it said would will",
    "fr": "le les et est pas une du avec sur pour dans aussi comme été sont ont par après qui ce cette ou mais au aux "
    "selon à sa ses leur",
    "es": "el los las y una del con sobre para también como fue ha han por después este esta pero según su sus "
    "sin hay está están",
}
_OWN_WORDS = {code: frozenset(listed.split()) for code, listed in _FUNCTION_WORDS.items()}


def written_in(text: str, language: str) -> bool:
    """False where a sentence is plainly in another language than `language`: more of another language's function
    words than its own (at least two, or one where it has none of its own). Asked to translate into German, the
    small model sometimes writes English; character statistics misjudge such a sentence when it keeps a German
    name ("Weißhelme" reads as German)."""
    if language not in _OWN_WORDS:
        return True
    tokens = words(text)
    own = sum(token in _OWN_WORDS[language] for token in tokens)
    other = max(sum(token in theirs for token in tokens) for code, theirs in _OWN_WORDS.items() if code != language)
    return other <= own or (other < 2 and own > 0)
