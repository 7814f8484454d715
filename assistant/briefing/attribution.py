"""Who says what, proposed by the model and verified in code. The rules of speakers.py and figures.py were
written for German agency copy and miss most attributions elsewhere (appositions, French and Spanish, "nach
seinen Angaben"); the model reads one sentence at a time, with the two before it, and replies with JSON its
sampler is constrained to (SCHEMA). Nothing it says is taken on trust:

- the speaker must be named, word for word, in the sentence or the sentences before it, and be an actor
  (no pronoun, no "it"), of a sentence that gives someone's words (the model names one for plain narration);
- each figure's value must be a number of the sentence that is not part of a date (dates.py), and its noun a
  word within a few words of that number; a qualifier stands only where its word stands before the number;
- the rules stay as cross-check and fallback: where both name a speaker and disagree, the model's is taken only
  if the sentence itself names it; where the model names none, the rules' stands.

The model's cost is bounded: only sentences with a speech verb or a number are read, at most `limit` per run,
those where its reading can add most first (asking_order), and every reply is cached by the hash of the model, the
prompt version and the text it was asked about."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..cleaning import is_metadata_line
from ..dates import counts
from ..generate import LLM
from ..prompts import Prompt
from ..text import number_spans, words
from .figures import GROUPS, MEASURES, QUALIFIER_WORDS, Mention, measure_of
from .speakers import SPEECH, Speaker, names_source, reports_speech, speaker_for, speech_by_mood_only

QUALIFIERS = ("", "about", "more_than", "nearly", "at_least", "up_to", "fewer_than")
SCHEMA: dict = {
    "type": "object",
    "properties": {
        "speaker": {"type": ["string", "null"]},
        "figures": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "value": {"type": "string"},
                    "noun": {"type": "string"},
                    "counted": {"type": "string"},
                    "qualifier": {"type": "string", "enum": list(QUALIFIERS)},
                },
                "required": ["value", "noun", "counted", "qualifier"],
            },
        },
    },
    "required": ["speaker", "figures"],
}
_MAX_TOKENS = 160  # a reply for a sentence with four figures; a longer one is cut and fails to parse
_BEFORE_CHARS = 400
_NOUN_WINDOW = 4  # words between a number and the noun that says what it counts
_NOT_NAMES = {"er", "sie", "es", "he", "she", "it", "they", "il", "elle", "ils", "él", "ella", "ellos", "man", "we"}
# Who was told or who passed the words on, not who spoke: "his father told Reuters", "sagte der Zeitung",
# "gegenüber der AFP", "a déclaré à l'AFP", "quoted by the state news agency SANA".
_TOLD = (
    r"\b(?:told|said\s+to|in\s+an\s+interview\s+with|speaking\s+to|(?:sagte|sagten|erklärte|erklärten|"
    r"berichtete|bestätigte)\s+(?:de[mnr]|einem|einer)|gegenüber|a\s+(?:déclaré|dit|confié|affirmé)\s+(?:à|au|aux)"
    r"|(?:dijo|declaró|aseguró|explicó)\s+(?:a|al)|(?:quoted|cited)\s+by|zitiert\s+(?:von|nach)|citée?s?\s+par"
    r"|citad[oa]s?\s+por)\s+(?:(?:the|la|le|l'|el|los|der|dem|den|des)\s*)?(?:[\w\-]+\s+){0,4}?"
)
_FILLER = {"der", "die", "das", "den", "dem", "des", "the", "a", "an", "of", "von", "de", "la", "le", "el", "les"}


@dataclass(frozen=True)
class ModelFigure:
    value: str  # normalised as text.number_spans normalises ("2316")
    raw: str  # as written in the sentence ("2,316")
    start: int  # where the number stands in the sentence
    noun: str  # the sentence's word for what is counted
    counted_en: str  # what is counted, in English words
    qualifier: str  # a key of QUALIFIERS, confirmed by its word in the sentence


@dataclass(frozen=True)
class Verified:
    """What survived the checks of one model reply: a speaker named in the text (None: none, or none that
    checks out) and the figures whose values and nouns stand in the sentence."""

    speaker: Speaker | None
    in_sentence: bool  # the speaker is named in the sentence itself, not only in the ones before
    figures: tuple[ModelFigure, ...]
    rejected: tuple[str, ...]  # what was proposed but failed a check, for --misses and debugging


def worth_asking(sentence: str) -> bool:
    """A sentence the model is asked about: one with a speech verb or a number that is not a date."""
    return bool(SPEECH.search(sentence)) or bool(counts(sentence))


def asking_order(texts: Sequence[str], credited: Sequence[bool], articles: Sequence[int]) -> list[int]:
    """The order in which to spend the model's budget on sentences: where its reading can add most first (a count
    the rules credit to no one, then other words they credit to no one, then cross-checks of counts and of the
    rest), and within each, the articles in turn, so that a library's later articles are read too."""
    seen: dict[tuple[int, int], int] = {}
    keys = []
    for index, (text, has_speaker) in enumerate(zip(texts, credited)):
        urgency = (0 if counts(text) else 1) + (2 if has_speaker else 0)
        rank = seen[articles[index], urgency] = seen.get((articles[index], urgency), -1) + 1
        keys.append((urgency, rank, index))
    return [index for *_, index in sorted(keys)]


def _named(phrase: str, text: str) -> bool:
    """Every word of the phrase (but articles) stands in the text: the model copied it, it did not make it up."""
    wanted = [w for w in words(phrase) if w not in _FILLER]
    have = set(words(text))
    return bool(wanted) and all(w in have for w in wanted)


def _check_speaker(name: object, sentence: str, before: str) -> tuple[Speaker | None, bool, str]:
    if name is None:
        return None, False, ""
    if not isinstance(name, str) or not name.strip() or len(name.split()) > 10:
        return None, False, f"speaker {name!r}: not a name"
    if set(words(name)) <= _NOT_NAMES | _FILLER:
        return None, False, f"speaker {name!r}: a pronoun"
    if not reports_speech(sentence):
        return None, False, f"speaker {name!r}: the sentence gives no one's words"
    if re.search(_TOLD + re.escape(name.split()[0]), sentence, re.I):
        return None, False, f"speaker {name!r}: the one told, not the one who spoke"
    in_sentence = _named(name, sentence)
    if not in_sentence and not _named(name, before):
        return None, False, f"speaker {name!r}: not named in the text"
    if any(_named(name, clause) and speech_by_mood_only(clause) for clause in re.split(r"[,;:]", sentence)):
        return None, False, f"speaker {name!r}: whom reported speech is about, not who speaks"
    speaker = speaker_for(name)
    if speaker is None:
        return None, False, f"speaker {name!r}: names no actor"
    return speaker, in_sentence, ""


def _check_figure(figure: dict, sentence: str, taken: set[int]) -> ModelFigure | str:
    value = str(figure.get("value", "")).strip()
    parsed = number_spans(value)
    if len(parsed) != 1:
        return f"figure {value!r}: not one number"
    spots = [(start, end) for start, end, normal in counts(sentence) if normal == parsed[0][2] and start not in taken]
    if not spots:
        return f"figure {value!r}: not a count in the sentence"
    noun = str(figure.get("noun", "")).strip().lower()
    counted_en = " ".join(str(figure.get("counted", "")).split())
    if not noun or not counted_en or len(counted_en.split()) > 8:
        return f"figure {value!r}: says not what it counts"
    for start, end in spots:
        around = words(sentence[:start])[-_NOUN_WINDOW:] + words(sentence[end:])[:_NOUN_WINDOW]
        if any(w == noun or (len(noun) > 3 and w.startswith(noun[:-1])) for w in around):
            break
    else:
        return f"figure {value!r}: its noun {noun!r} is not next to it"
    qualifier = str(figure.get("qualifier", ""))
    lead = sentence[:start]
    confirmed = [name for name, pattern in QUALIFIER_WORDS if pattern.search(lead)]
    if qualifier not in confirmed:
        qualifier = confirmed[0] if confirmed else ""
    taken.add(start)
    return ModelFigure(parsed[0][2], sentence[start:end], start, noun, counted_en, qualifier)


def verify(reply: str, sentence: str, before: str) -> Verified:
    """The checked content of one reply to the brief_attribute prompt."""
    try:
        data = json.loads(reply)
    except json.JSONDecodeError:
        return Verified(None, False, (), ("reply is not JSON",))
    if not isinstance(data, dict):
        return Verified(None, False, (), ("reply is not an object",))
    speaker, in_sentence, problem = _check_speaker(data.get("speaker"), sentence, before)
    rejected = [problem] if problem else []
    figures: list[ModelFigure] = []
    taken: set[int] = set()
    for figure in data.get("figures") or []:
        checked = _check_figure(figure, sentence, taken) if isinstance(figure, dict) else "figure: not an object"
        if isinstance(checked, str):
            rejected.append(checked)
        else:
            figures.append(checked)
    return Verified(speaker, in_sentence, tuple(figures), tuple(rejected))


class ReplyCache:
    """The model's replies by the hash of what was asked, one JSON line each, so a sentence is read once per
    model and prompt version however many briefings include it."""

    def __init__(self, path: Path | None):
        self.path = path
        self._replies: dict[str, str] = {}
        if path is not None and path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut short by an interrupted run
                self._replies[entry["key"]] = entry["reply"]

    def get(self, key: str) -> str | None:
        return self._replies.get(key)

    def put(self, key: str, reply: str) -> None:
        self._replies[key] = reply
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as file:
                file.write(json.dumps({"key": key, "reply": reply}, ensure_ascii=False) + "\n")


class Attributor:
    """Asks the model about sentences, at most `limit` new ones (cached replies are free), and verifies each."""

    def __init__(self, llm: LLM, prompt: Prompt, cache: ReplyCache, limit: int):
        self.llm, self.prompt, self.cache, self.limit = llm, prompt, cache, limit
        self.asked = 0  # new model calls
        self.reused = 0  # replies from the cache

    def read(self, sentence: str, before: str) -> Verified | None:
        """The verified reply for one sentence; None where it is not worth asking or the budget is spent."""
        if not worth_asking(sentence):
            return None
        before = before[-_BEFORE_CHARS:]
        what = json.dumps([self.llm.name, self.prompt.id, self.prompt.sha256, before, sentence])
        key = hashlib.sha256(what.encode()).hexdigest()
        reply = self.cache.get(key)
        if reply is None:
            if self.asked >= self.limit:
                return None
            self.asked += 1
            chat = self.prompt.render(before=before or "-", sentence=sentence)
            reply = self.llm.complete_json(chat, SCHEMA, _MAX_TOKENS)
            self.cache.put(key, reply)
        else:
            self.reused += 1
        return verify(reply, sentence, before)


def merge_speaker(rules: Speaker | None, model: Verified | None, sentence: str, previous: str = "") -> Speaker | None:
    """The rules' speaker cross-checked by the model's: agreement or no proposal keeps the rules' (their labels
    are the fuller names); the model's fills a gap, and overrules the rules where the sentence names the model's
    speaker (unless the sentence names the rules' outright as its source: "nach Angaben der Regierung"), or names
    neither ("he said": the model read the sentences before, the rules only recall the last person they saw)
    unless the sentence just before (previous) names the rules' speaker and not the model's: reported speech goes
    on with whoever was just quoted ("Die Behörden teilten mit, ... Zudem seien ...")."""
    if model is None or model.speaker is None:
        return rules
    if rules is None:
        return model.speaker
    if rules.key == model.speaker.key or model.speaker.named_in(rules.label) or rules.named_in(model.speaker.label):
        return rules
    if names_source(sentence, rules) and not names_source(sentence, model.speaker):
        return rules  # "X wurde nach Angaben der Regierung angegriffen": the model took X, whom the words are about
    if model.in_sentence:
        return model.speaker
    if rules.named_in(sentence) or (rules.mentioned_in(previous) and not model.speaker.mentioned_in(previous)):
        return rules
    return model.speaker


def context_before(texts: Sequence[str], index: int, articles: Sequence[int]) -> str:
    """The two sentences before texts[index] in its article, which the model reads it with; a byline or a date
    line is not one of them (the model took the author of "Von Lea Marquardt" for the speaker)."""
    before: list[str] = []
    for i in range(index - 1, -1, -1):
        if len(before) == 2 or articles[i] != articles[index]:
            break
        if not is_metadata_line(texts[i]):
            before.insert(0, texts[i])
    return " ".join(before)


def with_model_figures(
    texts: Sequence[str],
    mentions: Sequence[Mention],
    verified: Sequence[Verified | None],
    speakers: Sequence[Speaker | None],
) -> list[Mention]:
    """The rules' figures cross-checked by the model's (texts: the sentences they were read in): a figure both
    found gains the model's noun and English description where that names what the rules found it counts (their
    measure, group and qualifier stay); a figure only the model found is added where its noun or description says
    what it counts and the sentence has a word for that; a figure only the rules found stays (fallback)."""
    merged: list[Mention] = []
    for mention in mentions:
        reply = verified[mention.sentence]
        match = next((f for f in reply.figures if f.value == mention.value), None) if reply else None
        # The model calls the dead that a rescue organisation reports "people saved".
        if match and MEASURES[mention.measure].search(match.counted_en):
            mention = replace(mention, noun=match.noun, counted_en=match.counted_en)
        merged.append(mention)
    for index, reply in enumerate(verified):
        if reply is None:
            continue
        known = {m.value for m in mentions if m.sentence == index}
        for figure in reply.figures:
            measure = measure_of(f"{figure.noun} {figure.counted_en}")
            if figure.value in known or measure is None or not MEASURES[measure].search(texts[index]):
                continue
            group = next((name for name, pattern in GROUPS.items() if pattern.search(figure.counted_en)), "all")
            merged.append(
                Mention(
                    index, measure, group, "", figure.value, figure.raw, figure.qualifier, "", speakers[index],
                    figure.noun, figure.counted_en,
                )
            )  # fmt: skip
    return sorted(merged, key=lambda m: m.sentence)
