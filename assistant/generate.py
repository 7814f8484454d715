"""The LLM behind a small interface: the local llama-cpp model (llama-cpp-python is imported only when it loads)
or any OpenAI-compatible endpoint (llama-cpp-python's own server, vLLM, Ollama) for a shared GPU box."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, cast

from .errors import BackendUnreachableError, ModelMissingError
from .tokens import count_tokens

Messages = Sequence[dict[str, str]]


# A label before a one-line reply ("Translation: ...", "Kurz: ...").
_REPLY_LABEL = re.compile(r"^(short|translation|kurz|übersetzung)\s*:\s*", re.I)
_QUOTE_PAIRS = {'"': '"', "'": "'", "«": "»", "»": "«", "„": "“", "“": "”"}


def reply_line(reply: str) -> str:
    """The one line a short reply (a translation, a shortened sentence) is: its first line of text, after a
    preamble line ("Here is the English translation:"), without a label or the quotes around all of it."""
    lines = [line.strip() for line in reply.strip().splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].endswith(":"):
        lines = lines[1:]
    line = _REPLY_LABEL.sub("", lines[0]).strip() if lines else ""
    if len(line) > 1 and _QUOTE_PAIRS.get(line[0]) == line[-1]:
        line = line[1:-1].strip()
    return line


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
        return chat_tokens(messages, lambda text: len(self._llm.tokenize(text.encode("utf-8"), add_bos=False)))


def chat_tokens(messages: Messages, count: Callable[[str], int]) -> int:
    # ChatML adds about four tokens of framing per message around its content.
    return sum(count(m["content"]) + 4 for m in messages) + 3


class OpenAICompatibleLLM:
    """A chat model behind an OpenAI-compatible HTTP endpoint. Tokens are counted by the server's own tokenizer
    where it has an endpoint for that (llama-cpp-python's `/extras/tokenize/count`), else estimated with tiktoken;
    the budgets leave room for the difference."""

    def __init__(
        self, base_url: str, *, model: str | None, api_key: str | None, seed: int, temperature: float, timeout: float
    ):
        import httpx

        self._base = base_url.rstrip("/")
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(headers=headers, timeout=timeout)
        self._seed = seed
        self._temperature = temperature
        self._counts: dict[str, int] = {}  # the system prompt and passages repeat from one budget check to the next
        self._server_counts = True
        self._name = model or self._first_model()

    def _request(self, method: str, url: str, **kwargs: Any):
        import httpx

        try:
            response = self._http.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            raise BackendUnreachableError(
                f"cannot reach the language model server at {self._base} ({exc}); start it, or unset "
                "ASSISTANT_LLM_BASE_URL to use the local model file"
            ) from exc
        return response

    def _first_model(self) -> str:
        response = self._request("GET", self._base + "/models")
        response.raise_for_status()
        models = response.json().get("data") or []
        if not models:
            raise BackendUnreachableError(f"the server at {self._base} lists no model; set ASSISTANT_LLM_MODEL")
        return str(models[0]["id"])

    @property
    def name(self) -> str:
        return self._name

    def _chat(self, messages: Messages, max_tokens: int, temperature: float, stream: bool) -> dict:
        return {
            "model": self._name,
            "messages": [{"role": m["role"], "content": m["content"]} for m in messages],
            "max_tokens": max_tokens,
            "temperature": temperature,
            "seed": self._seed,
            "stream": stream,
            # llama-cpp-python's server penalises repeats (1.1) unless told, the local model does not (1.0): the
            # same setting gives the same answers. Servers that do not know the field ignore it.
            "repeat_penalty": 1.0,
        }

    def stream(self, messages: Messages, max_tokens: int) -> Iterator[str]:
        import httpx

        body = self._chat(messages, max_tokens, self._temperature, True)
        try:
            with self._http.stream("POST", self._base + "/chat/completions", json=body) as response:
                response.raise_for_status()
                for line in response.iter_lines():
                    if not line.startswith("data:"):
                        continue
                    data = line[len("data:") :].strip()
                    if data == "[DONE]":
                        return
                    choices = json.loads(data).get("choices") or [{}]
                    piece = (choices[0].get("delta") or {}).get("content")
                    if piece:
                        yield piece
        except httpx.TransportError as exc:
            raise BackendUnreachableError(f"the language model server at {self._base} went away ({exc})") from exc

    def complete_json(self, messages: Messages, schema: dict, max_tokens: int) -> str:
        # llama-cpp-python's server takes the schema in response_format (as the local model does) and constrains
        # the reply by grammar; an OpenAI-style server that ignores it still replies JSON, which is checked anyway.
        import httpx

        body = {
            **self._chat(messages, max_tokens, self._temperature, False),
            "response_format": {"type": "json_object", "schema": schema},
        }
        try:
            response = self._http.post(self._base + "/chat/completions", json=body)
            response.raise_for_status()
        except httpx.TransportError as exc:
            raise BackendUnreachableError(f"the language model server at {self._base} went away ({exc})") from exc
        choices = response.json().get("choices") or [{}]
        return (choices[0].get("message") or {}).get("content") or ""

    def prefill(self, messages: Messages) -> None:
        # One token, so a server that keeps its last prompt's KV cache (llama.cpp's does) starts from this prefix.
        self._request(
            "POST", self._base + "/chat/completions", json=self._chat(messages, 1, 0.0, False)
        ).raise_for_status()

    def _count(self, text: str) -> int:
        if text not in self._counts:
            self._counts[text] = self._server_count(text) if self._server_counts else count_tokens(text)
        return self._counts[text]

    def _server_count(self, text: str) -> int:
        # The extras live beside /v1, not under it; a server without them is asked once.
        url = self._base.removesuffix("/v1") + "/extras/tokenize/count"
        response = self._request("POST", url, json={"input": text})
        if response.status_code in (404, 405):
            self._server_counts = False
            return count_tokens(text)
        response.raise_for_status()
        return int(response.json()["count"])

    def count_tokens(self, messages: Messages) -> int:
        return chat_tokens(messages, self._count)
