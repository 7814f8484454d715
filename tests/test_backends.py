"""The server backends' client side with a fake OpenAI-compatible endpoint on loopback: what is sent, what streams
back, how tokens are counted, and one-line errors when a configured server does not answer. The real servers
(llama-cpp-python's, Chroma's) run in the e2e tests (test_e2e.py, fixture engine_servers)."""

import json

import numpy as np
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

from assistant import backends
from assistant.embed import SentenceTransformerEmbedder
from assistant.errors import BackendUnreachableError
from assistant.generate import OpenAICompatibleLLM, chat_tokens
from assistant.settings import Settings
from assistant.tokens import count_tokens

from conftest import free_port, running

PIECES = ["Laut ", "den ", "Behörden ", "874."]
MESSAGES = [{"role": "system", "content": "Antworte knapp."}, {"role": "user", "content": "Wie viele Soldaten?"}]


def fake_endpoint(tokenize: bool) -> tuple[FastAPI, list[dict]]:
    """Streams PIECES for every chat; counts one token per word where `tokenize` (as llama-cpp-python's extras)."""
    app = FastAPI()
    bodies: list[dict] = []

    @app.get("/v1/models")
    def models():
        return {"object": "list", "data": [{"id": "served-model", "object": "model"}]}

    @app.post("/v1/chat/completions")
    async def chat(request: Request):
        body = await request.json()
        bodies.append(body)
        if not body["stream"]:
            return {"choices": [{"index": 0, "message": {"role": "assistant", "content": PIECES[0]}}]}
        chunks = [{"choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}]} for p in PIECES]
        lines = [f"data: {json.dumps(c)}\n\n" for c in chunks] + ["data: [DONE]\n\n"]
        return StreamingResponse(iter(lines), media_type="text/event-stream")

    if tokenize:

        @app.post("/extras/tokenize/count")
        async def count(request: Request):
            return JSONResponse({"count": len((await request.json())["input"].split())})

    return app, bodies


def _llm(url: str) -> OpenAICompatibleLLM:
    llm = backends.load_llm(Settings(llm_base_url=f"{url}/v1", seed=7, _env_file=None))
    assert isinstance(llm, OpenAICompatibleLLM)
    return llm


def test_the_endpoint_backend_streams_the_reply_greedily_and_counts_with_the_servers_tokenizer():
    app, bodies = fake_endpoint(tokenize=True)
    with running(app) as url:
        llm = _llm(url)
        pieces = list(llm.stream(MESSAGES, max_tokens=32))
        counted = llm.count_tokens(MESSAGES)
        llm.prefill(MESSAGES)
    assert llm.name == "served-model" and pieces == PIECES
    sent = bodies[0]
    assert sent["messages"] == MESSAGES and sent["model"] == "served-model" and sent["max_tokens"] == 32
    assert sent["temperature"] == 0.0 and sent["seed"] == 7 and sent["repeat_penalty"] == 1.0
    assert counted == chat_tokens(MESSAGES, lambda text: len(text.split()))
    assert bodies[1]["max_tokens"] == 1 and not bodies[1]["stream"]


def test_without_a_tokenize_endpoint_tokens_are_estimated_with_tiktoken():
    app, _ = fake_endpoint(tokenize=False)
    with running(app) as url:
        counted = _llm(url).count_tokens(MESSAGES)
    assert counted == chat_tokens(MESSAGES, count_tokens)


def test_servers_that_do_not_answer_are_one_line_errors_saying_how_to_fix_it(tmp_path):
    port = free_port()  # nothing listens there
    with pytest.raises(
        BackendUnreachableError, match="cannot reach the language model server .*ASSISTANT_LLM_BASE_URL"
    ):
        backends.load_llm(Settings(llm_base_url=f"http://127.0.0.1:{port}/v1", _env_file=None))
    chroma = Settings(chroma_host="127.0.0.1", chroma_port=port, index_dir=tmp_path / "index", _env_file=None)
    with pytest.raises(BackendUnreachableError, match="cannot reach the Chroma server .*chroma run") as raised:
        backends.check_index(chroma)
    assert "\n" not in str(raised.value)
    assert not (tmp_path / "index").exists()


class _RecordingModel:
    """Stands in for a sentence-transformers model with EmbeddingGemma's task prompts."""

    prompts = {"query": "task: search result | query: ", "document": "title: none | text: "}

    def __init__(self):
        self.calls: list[tuple[list[str], dict]] = []

    def encode(self, texts, **kwargs):
        self.calls.append((list(texts), kwargs))
        return np.ones((len(texts), 4), dtype=np.float32) / 2


def test_documents_are_read_with_their_title_where_the_model_has_a_title_slot(tmp_path):
    (tmp_path / "modules.json").write_text("[]")
    embedder = SentenceTransformerEmbedder(tmp_path)
    model = embedder._model = _RecordingModel()
    embedder.embed_documents(["874 Soldaten getötet."], ["Putin geht von\nTausenden Toten aus"])
    embedder.embed_documents(["Ohne Titel."], [""])
    embedder.embed_documents(["Wie bisher."])
    assert model.calls[0] == (
        ["title: Putin geht von Tausenden Toten aus | text: 874 Soldaten getötet."],
        {"batch_size": 16, "normalize_embeddings": True, "convert_to_numpy": True},
    )
    assert model.calls[1][0] == ["title: none | text: Ohne Titel."]
    assert model.calls[2] == (["Wie bisher."], {**model.calls[0][1], "prompt_name": "document"})
