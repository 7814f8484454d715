"""The local LLM behind a small interface; llama-cpp-python is imported only when a model is loaded."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, cast

from .errors import ModelMissingError

Messages = Sequence[dict[str, str]]


class LLM(Protocol):
    @property
    def name(self) -> str:
        """The model file name, recorded with every output."""

    def stream(self, messages: Messages, max_tokens: int) -> Iterator[str]:
        """The reply to a chat, piece by piece."""

    def count_tokens(self, messages: Messages) -> int:
        """Prompt tokens of a chat, counted with the model's own tokenizer."""

    def prefill(self, messages: Messages) -> None:
        """Evaluate a chat's prompt now, so later chats that start the same way reuse its KV cache."""

    def complete_json(self, messages: Messages, schema: dict, max_tokens: int) -> str:
        """The reply to a chat as JSON text that the sampler was constrained to `schema` (a JSON schema) while
        writing: always parseable, with the schema's keys and types (values still need checking)."""


class LlamaCppLLM:
    def __init__(self, path: Path, *, n_ctx: int, n_threads: int, seed: int, temperature: float):
        try:
            from llama_cpp import Llama
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ModelMissingError(f"llama-cpp-python is not installed ({exc}); run `bash scripts/setup.sh`") from exc
        self._llm = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=n_threads, seed=seed, verbose=False)
        self._name = path.name
        self._seed = seed
        self._temperature = temperature

    @property
    def name(self) -> str:
        return self._name

    @property
    def llama(self):
        """The underlying llama_cpp.Llama, for benchmarks against the raw library."""
        return self._llm

    def stream(self, messages: Messages, max_tokens: int) -> Iterator[str]:
        parts: Any = self._llm.create_chat_completion(
            messages=cast(Any, list(messages)),
            max_tokens=max_tokens,
            temperature=self._temperature,
            seed=self._seed,
            stream=True,
        )
        for part in parts:
            piece = part["choices"][0]["delta"].get("content")
            if piece:
                yield piece

    def complete_json(self, messages: Messages, schema: dict, max_tokens: int) -> str:
        # llama-cpp-python compiles the schema to a GBNF grammar that masks every token the schema forbids.
        reply: Any = self._llm.create_chat_completion(
            messages=cast(Any, list(messages)),
            max_tokens=max_tokens,
            temperature=self._temperature,
            seed=self._seed,
            response_format={"type": "json_object", "schema": schema},
        )
        return reply["choices"][0]["message"]["content"] or ""

    def prefill(self, messages: Messages) -> None:
        # llama.cpp keeps the evaluated tokens and skips the longest common prefix on the next call.
        self._llm.create_chat_completion(messages=cast(Any, list(messages)), max_tokens=1, temperature=0.0)

    def count_tokens(self, messages: Messages) -> int:
        # ChatML adds about four tokens of framing per message around its content.
        return sum(len(self._llm.tokenize(m["content"].encode("utf-8"), add_bos=False)) + 4 for m in messages) + 3
