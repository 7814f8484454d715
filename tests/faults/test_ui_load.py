"""The app's core under load (four sessions asking while a fifth uploads) and how it is served: on this
machine only by default, with a login from the settings when it is not."""

import threading

import pytest

from assistant.api import Assistant
from assistant.cli import main
from assistant.settings import ROOT
from assistant.ui.desk import Desk

from fakes import HashingEmbedder, ScriptedLLM

SOLDIERS = "Wie viele Soldaten wurden laut den Behörden in Berg-Karabach getötet?"
SOLDIERS_REPLY = "Laut den Behörden in Berg-Karabach wurden bislang 874 Soldaten getötet."


@pytest.fixture
def settings(settings):
    """The prompt templates of this checkout, wherever the virtualenv's editable install points."""
    return settings.model_copy(update={"prompts_dir": ROOT / "prompts"})


def test_four_sessions_ask_while_a_fifth_uploads_and_the_index_stays_consistent(settings, tmp_path):
    Assistant(settings, embedder=HashingEmbedder()).index()
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    paths = []
    for n in range(30):
        path = uploads / f"hilfe-{n:02d}.txt"
        path.write_text(
            f"Hilfe für Goris {n}\n\nIn Goris verteilten Helfer am Tag {n} insgesamt {9 * n + 4} Decken an Familien "
            f"aus {n % 6 + 2} Dörfern, teilte die Stadtverwaltung mit.\n",
            encoding="utf-8",
        )
        paths.append(path)
    settings = settings.model_copy(update={"index_batch": 4})  # many small commits to interleave with
    desk = Desk(Assistant(settings, embedder=HashingEmbedder(), llm=ScriptedLLM(*[SOLDIERS_REPLY] * 4)))
    start = threading.Barrier(5)
    answers: list[str] = []
    uploaded: list = []
    errors: list[BaseException] = []

    def session():
        try:
            start.wait()
            answers.append(list(desk.chat(SOLDIERS, []))[-1][0][-1]["content"])
        except BaseException as exc:  # a thread cannot raise into the test: collected, asserted below
            errors.append(exc)

    def uploader():
        try:
            start.wait()
            uploaded.append(desk.add(paths))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=session) for _ in range(4)] + [threading.Thread(target=uploader)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors and not any(t.is_alive() for t in threads)
    assert len(answers) == 4 and all('class="answer"' in a and "874" in a for a in answers)

    verdicts, report = uploaded[0]
    assert not [v for v in verdicts if v.error] and len(report.indexed) == 30
    library = desk.library()
    assert len(library.entries) == 33 and all(e.chunks and not e.problem for e in library.entries)
    chunks = desk.assistant.store.all_chunks()
    by_source: dict[str, list] = {}
    for chunk in chunks:
        by_source.setdefault(chunk.source, []).append(chunk)
    assert all(len(found) == found[0].n_chunks for found in by_source.values())
    again = Assistant(settings, embedder=HashingEmbedder()).index()
    assert again.embedded == again.chunks_added == again.chunks_deleted == 0


@pytest.fixture
def served(monkeypatch):
    """What `assistant ui` would serve with: host and login, without starting a server."""
    calls = []
    monkeypatch.setattr(
        "assistant.ui.app.serve", lambda assistant, host, port, preload=False, login=None: calls.append((host, login))
    )
    monkeypatch.delenv("ASSISTANT_UI_LOGIN", raising=False)
    return calls


def test_the_app_binds_to_this_machine_by_default(served, capsys):
    assert main(["ui"]) == 0
    assert served == [("127.0.0.1", None)] and capsys.readouterr().err == ""


def test_host_without_a_login_warns_and_with_one_asks_for_it(served, capsys, monkeypatch):
    assert main(["ui", "--host", "0.0.0.0"]) == 0
    assert "warning: serving on 0.0.0.0" in capsys.readouterr().err and served[-1] == ("0.0.0.0", None)

    monkeypatch.setenv("ASSISTANT_UI_LOGIN", "desk:korrekt-pferd-batterie")
    assert main(["ui", "--host", "0.0.0.0"]) == 0
    err = capsys.readouterr().err
    assert "warning" not in err and "korrekt" not in err
    assert served[-1] == ("0.0.0.0", ("desk", "korrekt-pferd-batterie"))

    monkeypatch.setenv("ASSISTANT_UI_LOGIN", "desk")
    assert main(["ui", "--host", "0.0.0.0"]) == 2
    assert capsys.readouterr().err.startswith("error: ASSISTANT_UI_LOGIN must be user:password")


def test_the_settings_view_never_shows_the_password():
    from assistant.settings import Settings
    from assistant.ui.render import settings_html

    html = settings_html(Settings(ui_login="desk:geheim", _env_file=None), [])
    assert "ASSISTANT_UI_LOGIN" in html and "geheim" not in html
