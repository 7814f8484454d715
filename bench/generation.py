"""Generation: time to first token and tokens/s of the assistant's answer path versus llama-cpp-python called
directly with the same messages and model, and what reusing the system prompt's KV cache saves.

    .venv/bin/python bench/generation.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assistant import Assistant, Settings, Token  # noqa: E402
from assistant.backends import load_llm  # noqa: E402

from _util import percentile, table  # noqa: E402

QUESTIONS = [
    "Wie viele Zivilisten starben nach Angaben der Behörden in Berg-Karabach?",
    "Wann brachen die aktuellen Kämpfe aus?",
    "What did the Russian foreign ministry publish?",
    "Wen sieht Armenien als seine Schutzmacht an?",
    "Who mediates in the conflict as the Minsk group?",
]
MAX_TOKENS = 64


class Recording:
    """Passes calls through to the real LLM and keeps the chats, so the raw library gets the same answer chat
    (the one rendered from the answer prompt; others translate the question or check the answer)."""

    def __init__(self, llm):
        self.inner = llm
        self.chats = []

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def stream(self, messages, max_tokens):
        self.chats.append(messages)
        return self.inner.stream(messages, max_tokens)


def assistant_run(assistant: Assistant, question: str) -> tuple[float, float, int]:
    """(time to first token, tokens/s, tokens) through Assistant.ask_stream; TTFT includes retrieval."""
    started = time.perf_counter()
    stamps = []
    for event in assistant.ask_stream(question):
        if isinstance(event, Token):
            stamps.append(time.perf_counter())
    return _rates(started, stamps)


def direct_run(llama, messages) -> tuple[float, float, int]:
    started = time.perf_counter()
    stamps = []
    for part in llama.create_chat_completion(
        messages=messages, max_tokens=MAX_TOKENS, temperature=0.0, seed=0, stream=True
    ):
        if part["choices"][0]["delta"].get("content"):
            stamps.append(time.perf_counter())
    return _rates(started, stamps)


def _rates(started: float, stamps: list[float]) -> tuple[float, float, int]:
    ttft = stamps[0] - started if stamps else float("nan")
    rate = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 2 else float("nan")
    return ttft, rate, len(stamps)


def main() -> str:
    workdir = Path(tempfile.mkdtemp(prefix="bench-generation-"))
    try:
        settings = Settings(index_dir=workdir / "index", max_answer_tokens=MAX_TOKENS, _env_file=None)
        llm = Recording(load_llm(settings))
        assistant = Assistant(settings, llm=llm)
        assistant.index()
        llama = llm.inner.llama
        assistant.ask(QUESTIONS[0])  # load and warm everything once

        rows, ratios, cold, warm = [], [], [], []
        for question in QUESTIONS:
            llama.reset()  # nothing cached: the whole prompt is evaluated
            llm.chats.clear()
            ttft_cold, rate_assistant, n_tokens = assistant_run(assistant, question)
            messages = next(list(chat) for chat in llm.chats if chat.prompt == "answer")
            prompt_tokens = llm.count_tokens(messages)
            llama.reset()
            ttft_direct, rate_direct, _ = direct_run(llama, messages)
            assistant.warm_up()  # only the fixed system prompt is cached, as between two questions
            ttft_warm, _, _ = assistant_run(assistant, question)
            ratios.append(rate_assistant / rate_direct)
            cold.append(ttft_cold)
            warm.append(ttft_warm)
            rows.append(
                [
                    question[:48],
                    prompt_tokens,
                    n_tokens,
                    ttft_direct,
                    ttft_cold,
                    ttft_warm,
                    rate_direct,
                    rate_assistant,
                    rate_assistant / rate_direct,
                ]
            )
        rows.append(
            ["median", "", "", "", percentile(cold, 0.5), percentile(warm, 0.5), "", "", percentile(ratios, 0.5)]
        )
        return table(
            f"Generation ({settings.llm_path.name}, n_threads={settings.n_threads}, max {MAX_TOKENS} new tokens)",
            [
                "question",
                "prompt tok",
                "new tok",
                "TTFT raw llama cold s",
                "TTFT ask cold s",
                "TTFT ask, system prompt cached s",
                "tok/s raw llama",
                "tok/s ask",
                "ratio ask/raw",
            ],
            rows,
        ) + (
            "\nTTFT of `ask` includes retrieval (query embedding + hybrid search, ~0.1 s). 'cold': KV cache reset before "
            "the call; 'system prompt cached': the state between two questions of one process (the fixed system "
            "prompt is reused by llama.cpp's prefix match, and `Assistant.warm_up()` prepares it at UI start).\n"
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    print(main())
