"""The Python API the CLI, the UI and the evals share. Models load on first use and stay loaded."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from pathlib import Path

from . import backends
from .answer import Answer, AnswerPrompts, Token, answer_stream, check_question
from .briefing import Briefing, BriefProgress, build_briefing, check_language
from .embed import Embedder
from .errors import AssistantError
from .evidence import EvidenceSelector
from .generate import LLM
from .indexing import IndexReport, Progress, sync_folder
from .prompts import Prompt, load_prompt
from .retrieve import Retriever
from .settings import Settings
from .store import ChunkStore, writing


class Assistant:
    """Pass in ready objects (tests use fakes); whatever is not given is built from the settings when needed."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embedder: Embedder | None = None,
        llm: LLM | None = None,
    ):
        self.settings = settings or Settings()
        self._embedder = embedder
        self._llm = llm
        self._store: ChunkStore | None = None
        self._retriever: Retriever | None = None
        self._selector: EvidenceSelector | None = None

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = backends.load_embedder(self.settings)
        return self._embedder

    @property
    def llm(self) -> LLM:
        if self._llm is None:
            self._llm = backends.load_llm(self.settings)
        return self._llm

    def prompt(self, name: str) -> Prompt:
        return load_prompt(name, self.settings.prompts_dir)

    @property
    def store(self) -> ChunkStore:
        if self._store is None:
            backends.check_index(self.settings)  # before the embedder loads, whose name the store checks
            self._store = backends.open_store(self.settings, self.embedder.name)
        return self._store

    @property
    def retriever(self) -> Retriever:
        if self._retriever is None:
            self._retriever = Retriever(self.store, self.embedder)
        return self._retriever

    def warm_up(self) -> None:
        """Load both models and evaluate the fixed system prompt, so the first question pays only for
        its passages and itself (for long-running processes such as the UI)."""
        self.llm.prefill([self.prompt("answer").system_message(), {"role": "user", "content": ""}])
        self.embedder.embed_query("warm-up")

    def index(
        self, folder: Path | None = None, *, rebuild: bool = False, progress: Progress | None = None
    ) -> IndexReport:
        folder = folder or self.settings.corpus_dir
        if not folder.is_dir():
            raise AssistantError(f"{folder} is not a folder; give a folder of .txt or .md articles")
        embedder_name = self.embedder.name  # a missing embedder is reported before anything is written
        with writing(self.settings.index_dir):
            self._store = backends.open_store(self.settings, embedder_name, create=True, rebuild=rebuild)
            self._retriever = None
            report = sync_folder(folder, self._store, self.embedder, self.settings, progress=progress)
        if self._store.kept_aside:
            report.notes.append(f"the unreadable index was moved to {self._store.kept_aside}; delete it when done")
        return report

    @property
    def selector(self) -> EvidenceSelector:
        if self._selector is None:
            self._selector = EvidenceSelector(
                self.embedder, self.settings.max_evidence, self.settings.max_evidence_several
            )
        return self._selector

    def answer_prompts(self) -> AnswerPrompts:
        return AnswerPrompts(
            self.prompt("answer"), self.prompt("answer_check"), self.prompt("translate_question"),
            self.prompt("translate_sentence"),
        )  # fmt: skip

    def ask_stream(
        self, question: str, history: Sequence[tuple[str, str]] = ()
    ) -> Generator[Token | Answer, None, None]:
        check_question(question, self.settings.max_question_tokens)
        if self._llm is None:  # the cheap checks first: no model loads before all of them pass
            backends.check_llm(self.settings)
        retriever = self.retriever
        llm = self.llm  # loaded before the embedder, whose loading takes longer
        return answer_stream(
            question,
            self.settings,
            retriever=retriever,
            selector=self.selector,
            llm=llm,
            embedder=self.embedder,
            prompts=self.answer_prompts(),
            history=history,
        )

    def ask(self, question: str, history: Sequence[tuple[str, str]] = ()) -> Answer:
        for event in self.ask_stream(question, history):
            if isinstance(event, Answer):
                return event
        raise AssertionError("answer_stream always ends with an Answer")

    def brief(
        self, topic: str | None = None, language: str | None = None, *, progress: BriefProgress | None = None
    ) -> Briefing:
        """A neutral briefing of the whole index, or of the articles about a topic; language "de" or "en"
        (default: the language most articles are in). progress(stage, fraction) follows the work."""
        topic = check_question(topic, self.settings.max_question_tokens) if topic and topic.strip() else None
        check_language(language)
        store = self.store  # a missing index is reported before any model loads
        return build_briefing(
            self.settings,
            store=store,
            embedder=self.embedder,
            llm=self.llm,
            retriever=self.retriever if topic else None,
            shorten=self.prompt("brief_shorten"),
            translate=self.prompt("brief_translate"),
            attribute=self.prompt("brief_attribute"),
            topic=topic,
            language=language,
            progress=progress,
        )
