"""The shared, thread-safe core the Gradio handlers call: one Assistant behind one lock."""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
from html import escape
from pathlib import Path
from typing import cast

from ..answer import Answer, Token, check_question
from ..api import Assistant
from ..briefing import Briefing
from ..errors import AssistantError
from ..indexing import IndexReport
from ..library import Library, add_uploads, read_library, remove_article
from ..spans import strip_marks
from .render import answer_html, draft_html, error_html, source_html, status_html


class Desk:
    """One Assistant behind one lock: the models load once (at start with --preload, else on first use) and
    serve one request at a time."""

    def __init__(self, assistant: Assistant, warm: bool = False):
        self.assistant = assistant
        self.settings = assistant.settings
        self._lock = threading.Lock()
        self._warm = warm

    def _store(self):
        try:
            return self.assistant.store
        except AssistantError:  # no index yet: the library lists the folder, and indexing creates the index
            return None

    def chat(self, question: str, turns: list[dict]) -> Iterator[tuple[list[dict], list[dict]]]:
        """Yields (chat messages, turns) while the answer forms: status, the raw draft, then the checked answer.
        A turn is {"question", "html", "plain"}; "plain" (the answer without [n]) is the history for follow-ups."""
        question = check_question(question, self.settings.max_question_tokens)
        # Follow-ups see earlier answers; abstentions and errors carry no facts, so they are left out.
        history = [(t["question"], t["plain"]) for t in turns if t["plain"]]
        shown = chat_messages(turns)

        def frame(body: str) -> list[dict]:
            return [*shown, {"role": "user", "content": escape(question)}, {"role": "assistant", "content": body}]

        answer: Answer | None = None
        with self._lock:
            try:
                if not self._warm:
                    yield frame(status_html("Loading the language model and the embedder (first use only)…")), turns
                    self._warm_up()
                yield frame(status_html("Searching the articles…")), turns
                draft = ""
                with closing(cast(Generator, self.assistant.ask_stream(question, history))) as events:
                    for event in events:
                        if isinstance(event, Token):
                            draft += event.text
                            yield frame(draft_html(draft)), turns
                        else:
                            answer = event
            except AssistantError as exc:
                turn = {"question": question, "html": error_html(str(exc)), "plain": ""}
                yield frame(turn["html"]), [*turns, turn]
                return
        assert answer is not None, "ask_stream always ends with an Answer"
        plain = "" if answer.abstained else strip_marks(answer.answer)
        turn = {"question": question, "html": answer_html(answer), "plain": plain}
        yield frame(turn["html"]), [*turns, turn]

    def _warm_up(self) -> None:
        """Models load once per process; the caller holds the lock."""
        if not self._warm:
            self.assistant.warm_up()
            self._warm = True

    def brief(self, topic: str, language: str, progress: Callable[[str, float], None] | None = None) -> Briefing:
        """A briefing of the library, or of the articles about a topic; progress(stage, fraction) follows it."""
        with self._lock:
            if not self._warm and progress:
                progress("loading", 0.0)
            self._warm_up()
            return self.assistant.brief(topic=topic or None, language=language or None, progress=progress)

    def source(self, target: str) -> str:
        return source_html(target, self.settings.corpus_dir, self.settings.max_file_bytes)

    def library(self) -> Library:
        with self._lock:
            return read_library(self.settings.corpus_dir, self._store(), self.settings.max_file_bytes)

    def add(self, paths: Sequence[Path], progress: Callable[[int, int, str], None] | None = None):
        """Checks and copies the uploads into the corpus, then indexes incrementally. Returns (verdicts, report)."""
        with self._lock:
            added, verdicts = add_uploads(paths, self.settings.corpus_dir, self.settings.max_file_bytes)
            if not added:
                return verdicts, None
            try:
                report = self.assistant.index(progress=progress)
            except BaseException:
                for path in added:  # nothing half-added stays; the next sync drops any chunks already written
                    path.unlink(missing_ok=True)
                raise
            return verdicts, report

    def remove(self, source: str) -> int:
        with self._lock:
            return remove_article(source, self.settings.corpus_dir, self._store())

    def sync(self, progress: Callable[[int, int, str], None] | None = None) -> IndexReport:
        with self._lock:
            return self.assistant.index(progress=progress)


def chat_messages(turns: Sequence[dict]) -> list[dict]:
    return [
        message
        for turn in turns
        for message in (
            {"role": "user", "content": escape(turn["question"])},
            {"role": "assistant", "content": turn["html"]},
        )
    ]
