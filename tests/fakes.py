"""Small recording fakes behind the same interfaces as the real embedder and LLM."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

from assistant.text import stems
from assistant.tokens import count_tokens


class HashingEmbedder:
    """Bag of stemmed words hashed into a fixed number of dimensions: similar words, similar vectors."""

    def __init__(self, dims: int = 256):
        self.dims = dims
        self.documents_embedded: list[str] = []
        self.queries: list[str] = []

    @property
    def name(self) -> str:
        return f"hashing-test:{self.dims}"

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dims, dtype=np.float32)
        for word in stems(text):
            vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dims] += 1.0
        norm = np.linalg.norm(vector)
        return vector / norm if norm else vector

    def embed_documents(self, texts: Sequence[str], titles: Sequence[str] | None = None) -> np.ndarray:
        self.documents_embedded.extend(texts)
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dims), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        self.queries.append(text)
        return self._vector(text)


class ScriptedLLM:
    """Replies with the scripted texts in turn and records every chat it was given. The answer check
    (the prompt named answer_check) gets `verdict` without using up a scripted reply. Fakes route on the prompt's
    name and variables (assistant.prompts.Chat), never on its wording. JSON calls (complete_json) reply with
    `propose(variables)` as JSON, by default that nothing is attributed and no figure given."""

    def __init__(self, *replies: str, verdict: str = "YES", propose: Callable[[dict], dict] | None = None):
        self.replies = list(replies)
        self.verdict = verdict
        self.propose = propose or (lambda variables: {"speaker": None, "figures": []})
        self.calls: list[list[dict[str, str]]] = []
        self.checks: list[list[dict[str, str]]] = []
        self.json_calls: list[tuple[str, dict]] = []  # (prompt name, variables)

    @property
    def name(self) -> str:
        return "scripted-test.gguf"

    def stream(self, messages, max_tokens: int) -> Iterator[str]:
        if messages.prompt in ("translate_question", "translate_sentence"):
            # A translation that changes nothing: the fake speaks every language.
            yield messages.variables.get("question") or messages.variables["text"]
            return
        if messages.prompt == "answer_check":
            self.checks.append(list(messages))
            yield self.verdict
            return
        self.calls.append(list(messages))
        reply = self.replies.pop(0)
        for word in reply.split(" "):
            yield word + " "

    def complete_json(self, messages, schema: dict, max_tokens: int) -> str:
        self.json_calls.append((messages.prompt, dict(messages.variables)))
        return json.dumps(self.propose(messages.variables))

    def count_tokens(self, messages) -> int:
        return sum(count_tokens(m["content"]) + 4 for m in messages)

    def prefill(self, messages) -> None:
        self.prefilled = list(messages)


class GullibleLLM(ScriptedLLM):
    """The worst reader of a prompt: it does whatever the passages say, so it repeats them word for word
    (an injected "answer with X" comes out as X). Briefing rewrites hand back the sentence they were given;
    the answer check says YES. Records every chat, to show what reached the model."""

    def __init__(self):
        super().__init__()

    def stream(self, messages, max_tokens: int) -> Iterator[str]:
        self.calls.append(list(messages))
        variables = messages.variables
        if messages.prompt == "answer_check":
            reply = "YES"
        elif messages.prompt == "answer":
            reply = " ".join(passage.text for passage in variables["passages"])
        else:  # brief_shorten (sentence) and brief_translate (text)
            reply = variables.get("sentence", variables.get("text", ""))
        yield reply


# German function words and English ones for them: a stand-in translation keeps every content word (what the
# hashing embedder compares) and reads as English to the language check.
_ENGLISH = {
    **dict.fromkeys(["der", "die", "das", "den", "dem", "des"], "the"),
    **dict.fromkeys(["ein", "eine", "einer", "einem", "eines"], "a"),
    **{"und": "and", "ist": "is", "sind": "are", "von": "of", "mit": "with", "nicht": "not", "hat": "has"},
    **{"haben": "have", "wurde": "was", "wurden": "were", "für": "for", "auf": "on", "nach": "after", "aus": "from"},
    **{"zu": "to", "im": "in", "auch": "also", "als": "as", "wird": "will", "bei": "at", "dass": "that"},
    **{"sei": "was", "seien": "were", "habe": "had", "über": "about", "oder": "or", "aber": "but", "vor": "before"},
}


def into_english(text: str) -> str:
    return re.sub(r"\w+", lambda m: _ENGLISH.get(m.group().lower(), m.group()), text)


class RuleLLM(ScriptedLLM):
    """Replies by rule to the briefing prompts: `shorten(sentence)` and `translate(text)` give the reply."""

    def __init__(self, shorten=lambda s: s, translate=into_english):
        super().__init__()
        self.shorten, self.translate = shorten, translate

    def stream(self, messages, max_tokens):
        self.calls.append(list(messages))
        if messages.prompt == "brief_shorten":
            yield self.shorten(messages.variables["sentence"])
        else:
            yield self.translate(messages.variables["text"])


def indexed_articles(folder: Path, articles: dict[str, str]):
    """(Assistant, Settings) over the given articles (file name: text), indexed with the hashing embedder; briefs
    with the rule-following fake model."""
    from assistant.api import Assistant
    from assistant.settings import Settings

    corpus = folder / "articles"
    corpus.mkdir()
    for name, text in articles.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=folder / "index", _env_file=None)
    assistant = Assistant(settings, embedder=HashingEmbedder(), llm=RuleLLM())
    assistant.index()
    return assistant, settings
