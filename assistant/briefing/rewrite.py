"""Writing one briefing sentence from one source sentence. The application tidies it itself (names the speaker
behind "sagte er", leaves out where a statement was made); the small model may shorten it, accepted only as a
pure deletion that keeps numbers, negations and the speaker, or translate it, accepted only if numbers,
negations, names and meaning survive. Loaded terms stay inside a quotation of whoever used them."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from ..cite import Dropped
from ..embed import Embedder
from ..faithful import translation_problem
from ..generate import LLM, reply_line
from ..language import NAMES
from ..prompts import Prompt
from ..settings import Settings
from ..text import numbers, words
from .speakers import Speaker

# One side's vocabulary: allowed only inside a quotation attributed to whoever used it.
LOADED = re.compile(
    r"\b(illegal\w*\s+(?:Okkupation|Besatzung|Annexion|occupation|annexation)|Okkupation\w*|Okkupant\w*|Besatzer\w*"
    r"|Besatzungs\w*|besetzt\w*\s+Gebiet\w*|Aggressor\w*|Terrorist\w*|Völkermord\w*|Genozid\w*|Marionette\w*"
    r"|Regime\b|occup\w+\s+(?:territor\w*|illegally)|occupation|occupier\w*|aggressor\w*|terrorist\w*|genocide"
    r"|puppet\w*)",
    re.I,
)
_QUOTED = re.compile(r"„[^“”]*[“”]|“[^”“]*[”“]|\"[^\"]*\"|»[^«]*«|«[^»]*»")
CLOSING = re.compile(r"[.!?…][\"“”»«'’)\]]*$")
# Words whose loss turns a sentence into another statement.
_CRITICAL = frozenset(
    "nicht kein keine keinen keiner keinem keines nie niemals ohne weder not no never without nor none "
    "hoffe hofft hoffen hoffte soll sollen solle sollte sollten könnte könnten müsse müssten angeblich mutmaßlich "
    "vermutlich wahrscheinlich möglicherweise offenbar hope hopes hoped may might could should allegedly reportedly "
    "probably possibly apparently".split()
)
# A deletion of nothing but these ("ist nach Kreml-Angaben" -> "ist Kreml-Angaben") breaks the sentence.
_FUNCTION_WORDS = frozenset(
    "in im ins nach von vom zu zum zur mit bei beim an am auf aus für um unter über gegen durch der die das den dem "
    "des ein eine einen einem einer eines und oder dass als wie the a an of in on at to for with by from and or that "
    "as".split()
)
_ATTRIBUTION = frozenset(
    "laut zufolge nach angaben sagte sagt sagten erklärte dass according to said says that".split()
)
_SPEECH_ADJUNCT = re.compile(
    r"(,\s*(?:sagte|sagt|erklärte|betonte|so|said|told)\s+[A-ZÄÖÜ][\w\-]*)\s+(?:in|im|bei|beim|am|an|auf|nach|vor"
    r"|während|gegenüber|at|on|after|during|in)\s[^\"“”„]*?([.!?])$"
)
_PRONOUN_AFTER_VERB = re.compile(r"\b(sagte|sagt|erklärte|betonte|kündigte|said|told)\s+(er|sie|he|she)\b")


def tidy(sentence: str, speaker: Speaker | None) -> str:
    """Faithful edits the application can make itself: "sagte er" names the speaker, and the circumstances of
    a statement after its speaker (", sagte Alijew in einer Fernsehansprache.") are left out."""
    text = " ".join(sentence.split())
    if speaker is not None and speaker.person:
        surname = speaker.label.split()[-1]
        text = _PRONOUN_AFTER_VERB.sub(lambda m: f"{m.group(1)} {surname}", text)
    return _SPEECH_ADJUNCT.sub(lambda m: m.group(1) + m.group(2), text)


def reply_text(reply: str) -> str:
    """The reply as one briefing sentence, ending in a full stop."""
    line = reply_line(reply)
    if line and not CLOSING.search(line):
        line += "."
    return line


def cut_problem(short: str, source: str, speaker: Speaker | None) -> str | None:
    """Why a shortened sentence is not the source with words deleted, or None if it is."""
    mine, theirs = words(short), words(source)
    extra = _ATTRIBUTION | set(words(speaker.label) if speaker else [])
    at = 0
    gaps = []  # runs of deleted source words between kept ones
    for word in mine:
        found = next((i for i in range(at, len(theirs)) if theirs[i] == word), None)
        if found is None:
            if word in extra:
                continue
            return f"the model changed or added '{word}'"
        if found > at and at > 0:
            gaps.append(theirs[at:found])
        at = found + 1
    if any(all(word in _FUNCTION_WORDS for word in gap) for gap in gaps):
        return (
            f"the model cut '{' '.join(next(g for g in gaps if all(w in _FUNCTION_WORDS for w in g)))}' out of a phrase"
        )
    lost = {w for w in theirs if w in _CRITICAL} - set(mine)
    if lost:
        return f"the model dropped '{', '.join(sorted(lost))}'"
    if numbers(short) != numbers(source):
        return "the model changed the numbers"
    if speaker and speaker.named_in(source) and not set(words(speaker.label)) & set(theirs) <= set(mine):
        return f"the model dropped the speaker ({speaker.label})"
    if not 4 <= len(mine) <= 0.85 * len(theirs):
        return "not a real shortening"
    return None


class Writer:
    """Turns a picked source sentence into a briefing sentence, with the model where it helps and is checked."""

    def __init__(
        self, llm: LLM, shorten: Prompt, translate: Prompt, embedder: Embedder, language: str, settings: Settings
    ):
        self.llm, self.shorten_prompt, self.translate_prompt = llm, shorten, translate
        self.embedder, self.language = embedder, language
        self.max_tokens, self.shorten_above = settings.brief_fact_tokens, settings.brief_shorten_above
        self.n_ctx = settings.n_ctx
        self.calls = 0
        self.tokens = 0
        self.rejected: list[Dropped] = []
        self._labels: dict[str, str] = {}

    def _ask(self, messages) -> str:
        if self.llm.count_tokens(messages) + self.max_tokens > self.n_ctx:
            return ""
        self.calls += 1
        pieces = list(self.llm.stream(messages, self.max_tokens))
        self.tokens += len(pieces)  # llama.cpp streams one token per piece
        return reply_text("".join(pieces))

    def write(self, sentence: str, language: str, speaker: Speaker | None) -> tuple[str, str]:
        """(text, origin) for a source sentence in `language`: origin "source" (the sentence as it stands, tidied),
        "model" (shortened or translated, checked) or "untranslated" (in another language than the briefing's,
        where the model's translation failed its checks: the fact stays, in its own words)."""
        tidied = tidy(sentence, speaker)
        if language != self.language:
            reply = self._ask(self.translate_prompt.render(text=tidied, language_name=NAMES[self.language]))
            problem = self._translation_problem(reply, tidied, speaker, language)
            if problem:
                self.rejected.append(Dropped(reply or tidied, problem))
                return tidied, "untranslated"
            return reply, "model"
        if len(words(tidied)) <= self.shorten_above:
            return tidied, "source"
        reply = self._ask(self.shorten_prompt.render(sentence=tidied))
        problem = cut_problem(reply, tidied, speaker) if reply else "the model gave no reply"
        if problem:
            self.rejected.append(Dropped(reply, problem))
            return tidied, "source"
        return reply, "model"

    def _translation_problem(self, reply: str, source: str, speaker: Speaker | None, language: str) -> str | None:
        if reply and speaker and speaker.named_in(source):
            # "Armenien" may rightly come out as "Armenia": the speaker's translated name counts too.
            translated = words(self._translated(speaker.label, language))
            if not (speaker.named_in(reply) or (translated and translated[-1] in words(reply))):
                return f"the translation dropped the speaker ({speaker.label})"
        return translation_problem(reply, source, self.embedder, language=self.language, source_language=language)

    def _translated(self, name: str, language: str) -> str:
        if language == self.language:
            return name
        if name not in self._labels:
            reply = self._ask(self.translate_prompt.render(text=name, language_name=NAMES[self.language])).rstrip(".")
            ok = reply and len(reply.split()) <= 2 * len(name.split()) + 2 and numbers(reply) == numbers(name)
            self._labels[name] = reply if ok else name
        return self._labels[name]

    def label(self, name: str, language: str) -> str:
        """A speaker's name in the briefing's language; the original follows where the two differ by more than
        spelling ("Government in Bergkarabach (Behörden in Bergkarabach)", but "Vladimir Putin")."""
        translated = self._translated(name, language)
        mine, theirs = _plain(translated).split(), _plain(name).split()
        if len(mine) == len(theirs) and all(SequenceMatcher(None, a, b).ratio() >= 0.75 for a, b in zip(mine, theirs)):
            return translated
        return f"{translated} ({name})"


_UNACCENTED = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


def _plain(text: str) -> str:
    """Lower case, German umlauts spelled out plainly."""
    return text.lower().translate(_UNACCENTED)


def neutral(text: str, speaker: Speaker | None, quotes: tuple[str, str]) -> tuple[str | None, str]:
    """Loaded terms stay only as a quotation of whoever used them; in the briefing's own voice they are not
    printed. Returns (text, "") or (None, why)."""
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    loose = [m for m in LOADED.finditer(text) if not any(a <= m.start() < b for a, b in quoted)]
    if not loose:
        return text, ""
    if speaker is None:
        return None, f"loaded term '{loose[0].group(0)}' in the briefing's own voice"
    for match in reversed(loose):
        text = text[: match.start()] + quotes[0] + match.group(0) + quotes[1] + text[match.end() :]
    return text, ""


def copied(text: str, source: str) -> float:
    """Share of a sentence's words that stand, in the same order, in its source sentence: 1.0 for a copy or a
    pure deletion, near 0 for a translation."""
    own, theirs = words(text), words(source)
    if not own:
        return 0.0
    matched = sum(block.size for block in SequenceMatcher(None, own, theirs, autojunk=False).get_matching_blocks())
    return round(matched / len(own), 3)
