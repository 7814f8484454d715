"""The app's core without a browser: the chat stream, citation links that resolve to the exact passage,
the library (uploads checked before they touch the corpus, removal with the chunks), one request at a time."""

import re
import socket
import subprocess
import sys
import threading
import time
from html import unescape

import pytest

from assistant.api import Assistant
from assistant.errors import AssistantError, BadQuestionError
from assistant.ui.app import build_app
from assistant.ui.desk import Desk
from assistant.ui.render import briefing_markdown, library_html, settings_html, source_html

from fakes import HashingEmbedder, ScriptedLLM

SOLDIERS = "Wie viele Soldaten wurden laut den Behörden in Berg-Karabach getötet?"
SOLDIERS_REPLY = "Laut den Behörden in Berg-Karabach wurden bislang 874 Soldaten getötet."


@pytest.fixture
def indexed(settings):
    Assistant(settings, embedder=HashingEmbedder()).index()
    return settings


def _desk(settings, *replies):
    llm = ScriptedLLM(*replies)
    return Desk(Assistant(settings, embedder=HashingEmbedder(), llm=llm)), llm


def _last_answer(desk, question, turns=()):
    frames = list(desk.chat(question, list(turns)))
    messages, new_turns = frames[-1]
    return frames, messages[-1]["content"], new_turns


def _targets(html):
    return re.findall(r'<a class="cite" href="([^"]+)"', html)


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_chat_streams_a_draft_then_the_checked_answer_whose_links_open_the_exact_passage(indexed):
    desk, _ = _desk(indexed, SOLDIERS_REPLY)
    frames, final, turns = _last_answer(desk, SOLDIERS)
    bodies = [messages[-1]["content"] for messages, _ in frames]
    assert "Loading the language model" in bodies[0]
    assert any('class="draft"' in body and "874" in body for body in bodies[:-1])
    assert 'class="answer"' in final and "874" in final
    assert turns[-1]["plain"] == SOLDIERS_REPLY and "[" not in turns[-1]["plain"]

    views = [source_html(unescape(t), indexed.corpus_dir, indexed.max_file_bytes) for t in _targets(final)]
    marked = [m for view in views for m in re.findall(r"<mark>(.*?)</mark>", view, re.S)]
    assert any("874 Soldaten" in m for m in marked)
    # The marked text is exactly the cited characters of the file.
    citation_text = (indexed.corpus_dir / "004_dc163207c980f9d6.txt").read_text(encoding="utf-8")
    assert any(unescape(m) in citation_text and "874" in m for m in marked)


def test_models_warm_up_once_and_follow_ups_carry_the_answer_not_the_abstention(indexed):
    desk, llm = _desk(
        indexed, SOLDIERS_REPLY, "NO_ANSWER", "Die aserbaidschanische Seite spricht von 63 getöteten Zivilisten."
    )
    _, _, turns = _last_answer(desk, SOLDIERS)
    frames, abstained, turns = _last_answer(desk, "Wie heißt der Bürgermeister von Stepanakert?", turns)
    assert "Loading" not in frames[0][0][-1]["content"]
    assert "Not in the sources" in abstained and 'class="cite"' in abstained  # the passages it checked
    assert turns[-1]["plain"] == ""
    _, final, turns = _last_answer(desk, "Und wie viele Zivilisten laut Aserbaidschan?", turns)
    assert "63" in final and len(turns) == 3
    follow_up = llm.calls[-1]
    assert [m["content"] for m in follow_up[1:3]] == [SOLDIERS, SOLDIERS_REPLY]
    assert not any("Bürgermeister" in m["content"] for m in follow_up)


def test_an_empty_question_is_refused_before_anything_is_shown(indexed):
    desk, llm = _desk(indexed)
    with pytest.raises(BadQuestionError):
        next(desk.chat("   ", []))
    assert llm.calls == []


def test_a_setup_error_during_the_answer_is_shown_in_the_conversation(indexed, tmp_path):
    settings = indexed.model_copy(update={"llm_path": tmp_path / "missing.gguf"})
    desk = Desk(Assistant(settings, embedder=HashingEmbedder()))
    _, shown, turns = _last_answer(desk, SOLDIERS)
    assert 'class="error"' in shown and "no model file" in shown
    assert turns[-1]["plain"] == ""


class _OneAtATimeLLM(ScriptedLLM):
    """Fails if two chats stream at once, as llama.cpp would corrupt its state."""

    def __init__(self, *replies):
        super().__init__(*replies)
        self.active = 0

    def stream(self, messages, max_tokens):
        self.active += 1
        assert self.active == 1, "two requests reached the model at once"
        try:
            for piece in super().stream(messages, max_tokens):
                time.sleep(0.01)
                yield piece
        finally:
            self.active -= 1


def test_two_sessions_asking_at_once_both_get_answers(indexed):
    llm = _OneAtATimeLLM(SOLDIERS_REPLY, SOLDIERS_REPLY)
    desk = Desk(Assistant(indexed, embedder=HashingEmbedder(), llm=llm))
    finals, errors = [], []

    def session():
        try:
            finals.append(_last_answer(desk, SOLDIERS)[1])
        except Exception as exc:  # collected: an assertion in a thread would otherwise be lost
            errors.append(exc)

    threads = [threading.Thread(target=session) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == [] and len(finals) == 2
    assert all("874" in final and 'class="answer"' in final for final in finals)


class _KeepsSentences(ScriptedLLM):
    """Declines every rewrite, so a briefing prints the source sentences themselves."""

    def stream(self, messages, max_tokens):
        self.calls.append(list(messages))
        yield "-"


def test_briefing_reports_its_stages_and_every_citation_link_opens_its_passage(indexed):
    desk = Desk(Assistant(indexed, embedder=HashingEmbedder(), llm=_KeepsSentences()))
    stages = []
    briefing = desk.brief("", "", lambda stage, fraction: stages.append(stage))
    assert stages[0] == "loading" and "writing" in stages and stages[-1] == "done"
    shown = briefing_markdown(briefing)
    assert "| 874 |" in shown and shown.count('<a class="cite"') >= len({c.n for c in briefing.citations})
    row = next(line for line in shown.splitlines() if "| 874 |" in line)
    views = [desk.source(unescape(t)) for t in _targets(row)]
    assert views and all("<mark>" in v for v in views)
    assert any("874 Soldaten" in m for v in views for m in re.findall(r"<mark>(.*?)</mark>", v, re.S))
    again = []
    desk.brief("Putin", "en", lambda stage, fraction: again.append(stage))
    assert "loading" not in again


def test_source_view_notices_a_file_changed_after_the_answer_and_greys_removed_boilerplate(indexed):
    desk, _ = _desk(indexed, SOLDIERS_REPLY)
    _, final, _ = _last_answer(desk, SOLDIERS)
    target = unescape(_targets(final)[0])
    source = re.match(r"#cite/([^/]+)/", target).group(1)
    view = desk.source(target)
    assert "<mark>" in view
    if source == "003_93abe25851774db3.txt":
        assert 'class="removed"' in view

    path = indexed.corpus_dir / source
    path.write_text("Neuer Vorspann.\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    changed = desk.source(target)
    assert "has changed since" in changed and "<mark>" not in changed
    assert "not a citation link" in desk.source("#cite/../../etc/passwd/0/4/0123456789").lower()
    assert "no longer in the library" in desk.source("#cite/gone.txt/0/4/0123456789")


def test_library_lists_chunks_cleaning_and_wire_copies(indexed):
    desk, _ = _desk(indexed)
    library = desk.library()
    entries = {e.source: e for e in library.entries}
    assert set(entries) == {"000_0387e041e845605f.txt", "003_93abe25851774db3.txt", "004_dc163207c980f9d6.txt"}
    assert all(e.chunks > 0 and not e.problem for e in entries.values())
    assert "paywall/site tail" in entries["003_93abe25851774db3.txt"].removed_summary
    assert [c.sources for c in library.clusters] == [("003_93abe25851774db3.txt", "004_dc163207c980f9d6.txt")]
    assert library.stories == 2
    html = library_html(library)
    assert "2 independent stories" in html and "same wire text as" in html


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"  \n", "empty file"),
        ("binary.txt", b"\x00\x01\x02binary" * 50, "binary"),
        ("huge.txt", b"Wort " * 500_000, "too large"),
        ("table.csv", b"a,b\n1,2\n", "only .txt and .md"),
        ("000_0387e041e845605f.txt", b"Ein anderer Text.\n", "already in the library"),
        ("copy.txt", None, "same text is already in the library"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason_and_change_nothing(indexed, tmp_path, name, content, message):
    upload = tmp_path / "uploads" / name
    upload.parent.mkdir()
    upload.write_bytes(
        content if content is not None else (indexed.corpus_dir / "000_0387e041e845605f.txt").read_bytes()
    )
    desk, _ = _desk(indexed)
    before, chunks_before = _snapshot(indexed.corpus_dir), desk.assistant.store.count()
    verdicts, report = desk.add([upload])
    assert report is None and len(verdicts) == 1 and message in verdicts[0].error
    assert _snapshot(indexed.corpus_dir) == before
    assert desk.assistant.store.count() == chunks_before


def test_upload_is_indexed_with_progress_then_removal_takes_its_chunks(indexed, tmp_path):
    upload = tmp_path / "tiflis.md"
    upload.write_text(
        "# Beobachter in Tiflis\n\nDie OSZE will 40 Fachleute als Beobachter nach Tiflis schicken.\n", encoding="utf-8"
    )
    desk, _ = _desk(indexed)
    progress = []
    verdicts, report = desk.add([upload], lambda done, total, name: progress.append((done, total, name)))
    assert [v.error for v in verdicts] == [""] and report.indexed == ["tiflis.md"]
    assert progress[-1] == (4, 4, "tiflis.md")
    assert (indexed.corpus_dir / "tiflis.md").read_bytes() == upload.read_bytes()
    added = [c for c in desk.assistant.store.all_chunks() if c.source == "tiflis.md"]
    assert added and "40 Fachleute" in added[0].text

    assert desk.remove("tiflis.md") == len(added)
    assert not (indexed.corpus_dir / "tiflis.md").exists()
    assert all(c.source != "tiflis.md" for c in desk.assistant.store.all_chunks())
    with pytest.raises(AssistantError, match="not in the library"):
        desk.remove("tiflis.md")


def test_without_an_index_the_library_lists_the_folder_and_sync_builds_it(settings):
    desk, _ = _desk(settings)
    library = desk.library()
    assert all(e.chunks == 0 and "not indexed yet" in e.problem for e in library.entries)
    report = desk.sync()
    assert len(report.indexed) == 3
    assert all(e.chunks > 0 for e in desk.library().entries)


def test_settings_shown_are_the_settings_in_use_and_the_app_builds(indexed):
    html = settings_html(indexed, ["answer@2"])
    for shown in (indexed.llm_path.name, indexed.embedder_path.name, f">{indexed.top_k}<", "ASSISTANT_TOP_K"):
        assert shown in html
    app = build_app(Assistant(indexed, embedder=HashingEmbedder(), llm=ScriptedLLM()))
    assert app.title.startswith("News desk")


def test_model_text_is_escaped_in_drafts_and_answers(indexed):
    desk, _ = _desk(indexed, "Die Behörden in Berg-Karabach meldeten <b>874</b> getötete Soldaten.")
    frames, final, _ = _last_answer(desk, SOLDIERS)
    bodies = [messages[-1]["content"] for messages, _ in frames]
    assert any("&lt;b&gt;874" in body for body in bodies)
    assert not any("<b>874" in body for body in bodies)


def _ui(*args):
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_ui_has_no_share_option_and_a_busy_port_is_one_error_line():
    assert _ui("--share").returncode == 2
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = _ui("--port", str(busy.getsockname()[1]))
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "pass another --port" in errors[0]
