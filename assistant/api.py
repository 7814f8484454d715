"""The Python API the CLI, the UI and the evals share. Models load on first use and stay loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator, Sequence

from . import backends
from .answer import Answer, Token, answer_stream, check_question
from .brief import BriefProgress, Briefing, build_briefing, check_language
from .embed import Embedder
from .generate import LLM
from .indexing import IndexReport, Progress, sync_folder
from .prompts import Prompt, load_prompt
from .retrieve import Retriever
from .settings import Settings
from .store import ChunkStore, index_exists
from .errors import AssistantError, IndexMissingError


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
        return load_prompt(self.settings.prompts_dir, name)

    @property
    def store(self) -> ChunkStore:
        if self._store is None:
            if not index_exists(self.settings.index_dir):
                raise IndexMissingError(f"no index at {self.settings.index_dir}; run `assistant index` first")
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

    def index(self, folder: Path | None = None, *, rebuild: bool = False, progress: Progress | None = None) -> IndexReport:
        folder = folder or self.settings.corpus_dir
        if not folder.is_dir():
            raise AssistantError(f"{folder} is not a folder; give a folder of .txt or .md articles")
        self._store = backends.open_store(self.settings, self.embedder.name, create=True, rebuild=rebuild)
        self._retriever = None
        return sync_folder(
            folder, self._store, self.embedder, max_tokens=self.settings.chunk_max_tokens,
            min_tokens=self.settings.chunk_min_tokens, max_file_bytes=self.settings.max_file_bytes, progress=progress,
        )

    def ask_stream(self, question: str, history: Sequence[tuple[str, str]] = ()) -> Iterator[Token | Answer]:
        s = self.settings
        check_question(question, s.max_question_tokens)  # before any model loads
        llm = self.llm  # a missing model file is reported before the embedder spends seconds loading
        return answer_stream(
            question, retriever=self.retriever, llm=llm, embedder=self.embedder, prompt=self.prompt("answer"),
            check=self.prompt("answer_check"),
            top_k=s.top_k, n_ctx=s.n_ctx, max_answer_tokens=s.max_answer_tokens,
            max_question_tokens=s.max_question_tokens, history=history,
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
        s = self.settings
        topic = check_question(topic, s.max_question_tokens) if topic is not None and topic.strip() else None
        check_language(language)
        store = self.store  # a missing index is reported before any model loads
        return build_briefing(
            store=store, embedder=self.embedder, llm=self.llm, retriever=self.retriever if topic else None,
            shorten=self.prompt("brief_shorten"), translate=self.prompt("brief_translate"), topic=topic,
            language=language, max_sentences=s.brief_max_sentences, fact_tokens=s.brief_fact_tokens,
            shorten_above=s.brief_shorten_above, n_ctx=s.n_ctx, top_k=s.top_k, max_file_bytes=s.max_file_bytes,
            progress=progress,
        )
