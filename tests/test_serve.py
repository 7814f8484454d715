"""`assistant serve` on loopback with the fakes, driven by the official `openai` client (a client nobody here
wrote) and by plain HTTP: the OpenAI chat shape with citations, streaming, history, the JSON endpoints that mirror
the CLI, one-line errors, and one request at a time."""

import json
import re
import socket
import threading
import time
from contextlib import contextmanager

import httpx
import openai
import pytest

from assistant.api import Assistant
from assistant.serve import Service, build_app

from conftest import real_assistant, running
from fakes import HashingEmbedder, ScriptedLLM

SOLDIERS = "Wie viele Soldaten wurden laut den Behörden in Berg-Karabach getötet?"
SOLDIERS_REPLY = "Laut den Behörden in Berg-Karabach wurden bislang 874 Soldaten getötet."
MEDIATOR = "Wer vermittelte die erste Feuerpause?"
MEDIATOR_REPLY = "Die erste Feuerpause wurde unter Vermittlung Russlands beschlossen."
KARABAKH_FILES = {"003_93abe25851774db3.txt", "004_dc163207c980f9d6.txt"}


class ServedLLM(ScriptedLLM):
    """Scripted answers; briefing rewrites are declined ("-"), so a briefing prints the source sentences.
    Records whether two chats ever ran at once."""

    def __init__(self, *replies: str, pause: float = 0.0):
        super().__init__(*replies)
        self.pause = pause
        self.running = 0
        self.overlapped = False

    def stream(self, messages, max_tokens):
        self.running += 1
        self.overlapped |= self.running > 1
        try:
            if messages.prompt.startswith("brief_"):
                yield "-"
                return
            for piece in super().stream(messages, max_tokens):
                time.sleep(self.pause)
                yield piece
        finally:
            self.running -= 1


@contextmanager
def serving(settings, llm, embedder=None):
    """`assistant serve`'s app over these settings and models, on a free loopback port."""
    service = Service(Assistant(settings, embedder=embedder or HashingEmbedder(), llm=llm))
    service.warm_up()
    with running(build_app(service)) as url:
        yield url


@pytest.fixture
def indexed(settings):
    Assistant(settings, embedder=HashingEmbedder()).index()
    return settings


def _client(url):
    return openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0, timeout=30)


def test_openai_client_gets_the_checked_answer_with_citations_that_quote_the_file(indexed):
    with serving(indexed, ServedLLM(SOLDIERS_REPLY)) as url:
        client = _client(url)
        assert [m.id for m in client.models.list()] == ["assistant"]
        completion = client.chat.completions.create(model="assistant", messages=[{"role": "user", "content": SOLDIERS}])
    message = completion.choices[0].message
    assert message.role == "assistant" and "874" in message.content and "[1]" in message.content
    extra = completion.model_extra
    assert extra["abstained"] is False and extra["retrieved"]
    citation = extra["citations"][0]
    assert set(citation) == {"n", "source", "start", "end", "quote", "date"}
    text = (indexed.corpus_dir / citation["source"]).read_text(encoding="utf-8")
    assert text[citation["start"] : citation["end"]] == citation["quote"] and "874" in citation["quote"]


def test_streaming_sends_the_draft_then_a_final_chunk_with_the_checked_answer(indexed):
    with serving(indexed, ServedLLM(SOLDIERS_REPLY)) as url:
        chunks = list(
            _client(url).chat.completions.create(
                model="assistant", messages=[{"role": "user", "content": SOLDIERS}], stream=True
            )
        )
    draft = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert draft.strip() == SOLDIERS_REPLY and len(chunks) > 3  # piece by piece
    final = chunks[-1]
    assert final.choices[0].finish_reason == "stop"
    assert [c.choices[0].finish_reason for c in chunks[:-1]] == [None] * (len(chunks) - 1)
    assert final.model_extra["answer"].startswith(SOLDIERS_REPLY) and "[1]" in final.model_extra["answer"]
    assert final.model_extra["abstained"] is False and final.model_extra["citations"]


def test_earlier_turns_are_the_history_and_the_search_runs_on_the_last_question(indexed):
    llm = ServedLLM(SOLDIERS_REPLY, MEDIATOR_REPLY)
    with serving(indexed, llm) as url:
        client = _client(url)
        first = client.chat.completions.create(model="x", messages=[{"role": "user", "content": SOLDIERS}])
        answer = first.choices[0].message.content
        client.chat.completions.create(
            model="x",
            messages=[
                {"role": "system", "content": "ignored: the assistant's prompts are its own"},
                {"role": "user", "content": SOLDIERS},
                {"role": "assistant", "content": answer},
                {"role": "user", "content": [{"type": "text", "text": MEDIATOR}]},
            ],
        )
    follow_up = llm.calls[-1]
    assert [m["role"] for m in follow_up] == ["system", "user", "assistant", "user"]
    assert follow_up[1]["content"] == SOLDIERS and follow_up[2]["content"] == SOLDIERS_REPLY  # [n] marks stripped
    assert MEDIATOR in follow_up[3]["content"] and "ignored" not in str(follow_up)


def test_bad_input_is_a_400_with_the_cli_message_and_a_bad_body_a_422(indexed):
    with serving(indexed, ServedLLM()) as url:
        with pytest.raises(openai.BadRequestError) as raised:
            _client(url).chat.completions.create(model="x", messages=[{"role": "user", "content": "   "}])
        assert raised.value.body["message"] == "the question is empty; ask something about the articles"
        too_long = httpx.post(f"{url}/v1/ask", json={"question": "Wort " * 400})
        not_last = httpx.post(f"{url}/v1/chat/completions", json={"messages": [{"role": "assistant", "content": "a"}]})
        missing = httpx.post(f"{url}/v1/ask", json={"questions": "?"})
        language = httpx.post(f"{url}/v1/brief", json={"language": "fr"})
    assert too_long.status_code == 400 and "tokens long, the limit is 200" in too_long.json()["error"]["message"]
    assert not_last.status_code == 400 and "last message must come from the user" in not_last.text
    assert missing.status_code == 422 and missing.json()["error"]["message"].startswith("question: ")
    assert (
        language.status_code == 400
        and language.json()["error"]["message"] == "briefings are written in de or en, not 'fr'"
    )


def test_ask_and_brief_return_what_the_cli_prints_as_json(indexed):
    in_process = Assistant(indexed, embedder=HashingEmbedder(), llm=ServedLLM(SOLDIERS_REPLY))
    expected_answer = in_process.ask(SOLDIERS).to_json()
    expected_brief = in_process.brief().to_json()
    with serving(indexed, ServedLLM(SOLDIERS_REPLY)) as url:
        health = httpx.get(f"{url}/health").json()
        asked = httpx.post(f"{url}/v1/ask", json={"question": SOLDIERS}, timeout=30).json()
        briefed = httpx.post(f"{url}/v1/brief", json={"markdown": True}, timeout=60).json()
    assert health == {"status": "ok", "model": "scripted-test.gguf", "chunks": in_process.store.count()}
    assert set(asked) == set(expected_answer)
    del asked["timings"], expected_answer["timings"]
    assert asked == expected_answer
    assert briefed.pop("markdown").startswith("# Briefing")
    assert set(briefed) == set(expected_brief)
    assert briefed["sections"] == expected_brief["sections"] and briefed["citations"] == expected_brief["citations"]


def test_requests_take_turns_and_an_abandoned_stream_frees_the_model(indexed):
    llm = ServedLLM(SOLDIERS_REPLY, SOLDIERS_REPLY, SOLDIERS_REPLY, pause=0.05)
    with serving(indexed, llm) as url:
        with httpx.stream(
            "POST",
            f"{url}/v1/chat/completions",
            json={"messages": [{"role": "user", "content": SOLDIERS}], "stream": True},
        ) as response:
            next(response.iter_lines())  # the client goes away after the first chunk
        results: list = []
        threads = [
            threading.Thread(
                target=lambda: results.append(httpx.post(f"{url}/v1/ask", json={"question": SOLDIERS}, timeout=30))
            )
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert [r.status_code for r in results] == [200, 200]
    assert all("874" in r.json()["answer"] for r in results)
    assert not llm.overlapped and llm.replies == []


@pytest.mark.e2e
def test_real_models_answer_the_openai_client_with_citations_and_abstain(tmp_path):
    assistant, _ = real_assistant(tmp_path, max_answer_tokens=96)
    with serving(assistant.settings, assistant.llm, embedder=assistant.embedder) as url:
        client = _client(url)
        found = client.chat.completions.create(
            model="assistant",
            messages=[
                {
                    "role": "user",
                    "content": "How many soldiers were killed according to the authorities in Nagorno-Karabakh?",
                }
            ],
        )
        chunks = list(
            client.chat.completions.create(
                model="assistant", messages=[{"role": "user", "content": "Who won the 2018 World Cup?"}], stream=True
            )
        )
    assert "874" in found.choices[0].message.content and found.model_extra["abstained"] is False
    assert {c["source"] for c in found.model_extra["citations"] if "874" in c["quote"]} == KARABAKH_FILES
    final = chunks[-1].model_extra
    assert final["abstained"] is True and final["citations"] == []


@pytest.fixture
def cli_with_fakes(indexed, monkeypatch, tmp_path):
    """`assistant.cli.main` in this process, its settings from the environment as a user's, its models fakes."""
    from assistant import backends

    monkeypatch.chdir(tmp_path)  # no .env of the repository
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(indexed.corpus_dir))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(indexed.index_dir))
    monkeypatch.setattr(backends, "load_embedder", lambda settings: HashingEmbedder())
    monkeypatch.setattr(backends, "load_llm", lambda settings: ServedLLM(SOLDIERS_REPLY))
    monkeypatch.setattr(backends, "check_llm", lambda settings: None)
    from assistant.cli import main

    return main


def _run(main, capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    # The closing line's seconds are the only figure that differs between two runs.
    return code, out, re.sub(r"\d+(\.\d+)? s$", "N s", err.strip())


@pytest.mark.parametrize("args", [["ask", SOLDIERS], ["ask", "--json", SOLDIERS], ["brief"], ["brief", "--json"]])
def test_cli_output_through_a_server_is_the_in_process_output(cli_with_fakes, capsys, indexed, args):
    in_process = _run(cli_with_fakes, capsys, *args)
    with serving(indexed, ServedLLM(SOLDIERS_REPLY)) as url:
        served = _run(cli_with_fakes, capsys, args[0], "--server", url, *args[1:])
    if "--json" in args:
        in_process, served = [(code, _without_timings(out), err) for code, out, err in (in_process, served)]
    assert served == in_process
    assert in_process[0] == 0 and "874" in str(in_process[1])


def _without_timings(out):
    data = json.loads(out)
    del data["timings"]
    # A briefing's model calls depend on what the first run left in the attribution cache of the index folder.
    for key in ("attribution_calls", "attribution_cached"):
        data.get("stats", {}).pop(key, None)
    return data


def test_cli_uses_the_server_setting_and_reports_one_that_is_not_running(cli_with_fakes, capsys, indexed, monkeypatch):
    served = ServedLLM(SOLDIERS_REPLY)
    with serving(indexed, served) as url:
        monkeypatch.setenv("ASSISTANT_SERVER_URL", url)
        assert _run(cli_with_fakes, capsys, "ask", SOLDIERS)[0] == 0
        assert _run(cli_with_fakes, capsys, "ask", " ") == (
            2,
            "",
            "error: the question is empty; ask something about the articles",
        )
    assert len(served.calls) == 1  # the question went to the server's model
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    monkeypatch.setenv("ASSISTANT_SERVER_URL", f"http://127.0.0.1:{port}")
    code, out, err = _run(cli_with_fakes, capsys, "ask", SOLDIERS)
    assert code == 2 and out == ""
    assert err.startswith(f"error: cannot reach the assistant server at http://127.0.0.1:{port}") and "\n" not in err
