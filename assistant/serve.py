"""`assistant serve`: the assistant as an HTTP API (FastAPI on uvicorn), so other programs, OpenAI clients and
chat front-ends can use it and a one-shot `assistant ask --server URL` pays no model load.

Endpoints: `GET /health`, `GET /v1/models`, an OpenAI-compatible `POST /v1/chat/completions` (streaming and not)
whose reply carries the checked answer plus `citations`, `abstained` and `retrieved`, and `POST /v1/ask` and
`POST /v1/brief`, which return exactly what `ask --json` and `brief --json` print.

One Assistant per process behind one lock: llama.cpp is not thread-safe, so requests take turns, and the models
load before the first request is accepted. Scale out with more processes (see docs/deploy.md).

Streaming: the model's draft streams as `delta.content`, but the checks after it may drop sentences, add `[n]`
marks or abstain, so the last chunk (finish_reason "stop") carries the checked text in `answer` with the other
fields; a client must show that text, not the concatenated deltas.
"""

from __future__ import annotations

import json
import queue
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import asdict
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .answer import Answer, Token, check_question
from .api import Assistant
from .briefing import Briefing
from .errors import AssistantError
from .spans import strip_marks

MODEL_ID = "assistant"  # what /v1/models lists; any model name in a request gets the same assistant


class Service:
    """One Assistant behind one lock. Streaming runs in a thread of its own that holds the lock until the answer
    is complete, so a client that goes away mid-stream never leaves the lock taken."""

    def __init__(self, assistant: Assistant):
        self.assistant = assistant
        self.settings = assistant.settings
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Models and index before the first request: a missing index or model fails the start, not a request."""
        with self._lock:
            self.assistant.warm_up()
            self.assistant.retriever.search("warm-up", 1)  # reads the chunks and builds the lexical index

    def ask(self, question: str, history: Sequence[tuple[str, str]]) -> Answer:
        with self._lock:
            return self.assistant.ask(question, history)

    def brief(self, topic: str | None, language: str | None) -> Briefing:
        with self._lock:
            return self.assistant.brief(topic=topic, language=language)

    def ask_events(self, question: str, history: Sequence[tuple[str, str]]) -> queue.Queue:
        """A queue that receives the Token pieces, then the Answer, or an exception, then None."""
        events: queue.Queue = queue.Queue()

        def produce() -> None:
            with self._lock:
                try:
                    for event in self.assistant.ask_stream(question, history):
                        events.put(event)
                except Exception as exc:  # handed to the request, which reports it
                    events.put(exc)
            events.put(None)

        threading.Thread(target=produce, name="assistant-stream", daemon=True).start()
        return events

    def count(self) -> int:
        return self.assistant.store.count()


# Request bodies. Extra fields are allowed where OpenAI clients send options (temperature, max_tokens, ...) that
# the assistant's own settings decide.


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: str
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):  # content parts: only the text ones carry a question
            return "".join(str(part.get("text", "")) for part in self.content if part.get("type") == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str
    history: list[tuple[str, str]] = Field(default_factory=list, description="earlier (question, answer) turns")
    include_dropped: bool = Field(False, description="also return the sentences the checks left out")


class BriefRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    topic: str | None = None
    language: str | None = None
    markdown: bool = Field(False, description="also return the briefing as Markdown")
    debug: bool = Field(False, description="the Markdown also lists what was left out")


def conversation(messages: Sequence[ChatMessage]) -> tuple[str, list[tuple[str, str]]]:
    """The last user message is the question; earlier user turns with the assistant reply after each are the
    history (system messages are ignored: the assistant's prompts are its own)."""
    turns = [m for m in messages if m.role in ("user", "assistant")]
    if not turns or turns[-1].role != "user":
        raise AssistantError("the last message must come from the user: it is the question")
    history = [
        (asked.text(), strip_marks(reply.text()))
        for asked, reply in zip(turns[:-1], turns[1:-1])
        if asked.role == "user" and reply.role == "assistant"
    ]
    return turns[-1].text(), history


def answer_fields(answer: Answer) -> dict:
    """What a chat completion carries beside the OpenAI fields, in the shapes of `ask --json`."""
    data = answer.to_json()
    return {key: data[key] for key in ("citations", "abstained", "retrieved")}


def error_body(message: str, kind: str = "invalid_request_error") -> dict:
    # OpenAI's error shape, so its clients raise BadRequestError with this message.
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


def build_app(service: Service):
    """The FastAPI app around a Service (tests pass one built on fakes)."""
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse, StreamingResponse

    app = FastAPI(title="News-briefing assistant", docs_url=None, redoc_url=None, openapi_url=None)

    @app.exception_handler(AssistantError)
    async def bad_input(request: Request, exc: AssistantError) -> JSONResponse:
        return JSONResponse(error_body(str(exc)), status_code=400)

    @app.exception_handler(RequestValidationError)
    async def bad_body(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"] if part != "body")
        return JSONResponse(error_body(f"{where or 'body'}: {first['msg']}"), status_code=422)

    @app.get("/health")
    def health() -> dict:
        return {"status": "ok", "model": service.assistant.llm.name, "chunks": service.count()}

    @app.get("/v1/models")
    def models() -> dict:
        return {
            "object": "list",
            "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": service.assistant.llm.name}],
        }

    @app.post("/v1/ask")
    def ask(body: AskRequest) -> dict:
        answer = service.ask(body.question, body.history)
        data = answer.to_json()
        if body.include_dropped:
            data["dropped"] = [asdict(d) for d in answer.dropped]
        return data

    @app.post("/v1/brief")
    def brief(body: BriefRequest) -> dict:
        briefing = service.brief(body.topic, body.language)
        data = briefing.to_json()
        if body.markdown:
            data["markdown"] = briefing.to_markdown(debug=body.debug)
        return data

    @app.post("/v1/chat/completions", response_model=None)
    async def chat(body: ChatRequest) -> Any:
        question, history = conversation(body.messages)
        check_question(question, service.settings.max_question_tokens)  # bad input is a 400, not a broken stream
        completion_id = f"chatcmpl-{uuid.uuid4().hex}"
        created = int(time.time())
        head = {"id": completion_id, "created": created, "model": body.model}
        if not body.stream:
            from starlette.concurrency import run_in_threadpool

            answer = await run_in_threadpool(service.ask, question, history)
            return {
                **head,
                "object": "chat.completion",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": answer.answer},
                        "finish_reason": "stop",
                    }
                ],
                **answer_fields(answer),
            }
        events = service.ask_events(question, history)
        return StreamingResponse(_sse(events, head), media_type="text/event-stream")

    return app


async def _sse(events: queue.Queue, head: dict) -> AsyncIterator[str]:
    """Server-sent events as OpenAI streams them: chunks, then `data: [DONE]`."""
    from starlette.concurrency import run_in_threadpool

    def chunk(delta: dict, finish: str | None = None, **extra: Any) -> str:
        body = {
            **head,
            "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        return f"data: {json.dumps({**body, **extra}, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    while (event := await run_in_threadpool(events.get)) is not None:
        if isinstance(event, Token):
            yield chunk({"content": event.text})
        elif isinstance(event, Answer):
            yield chunk({}, "stop", answer=event.answer, **answer_fields(event))
        else:  # the stream has begun, so an error can only be reported inside it
            message = str(event) if isinstance(event, AssistantError) else f"internal error: {event}"
            yield f"data: {json.dumps(error_body(message, 'server_error'), ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"


def run(assistant: Assistant, host: str, port: int) -> None:
    """Loads the models and the index, then serves until interrupted (blocks)."""
    import uvicorn

    service = Service(assistant)
    service.warm_up()
    # Bound here, not by uvicorn, whose bind failure exits the process instead of raising.
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise AssistantError(f"cannot serve on {host}:{port} ({exc.strerror}); pass another --port") from exc
    sock.listen(128)  # requests that arrive before uvicorn runs wait in the backlog
    print(f"Assistant API on http://{host}:{port}  (Ctrl+C stops it)", flush=True)
    config = uvicorn.Config(build_app(service), log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])
