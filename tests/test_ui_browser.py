"""The app as a user meets it: `assistant index` then `assistant ui` on a copy of the sample corpus with the real
default models, driven by Debian's headless Chromium through Playwright. One app process for the module."""

import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.settings import ROOT, Settings

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
ANSWER_TIMEOUT_MS = 300_000  # the first question also loads the models; on 2 busy cores that can take minutes
TIFLIS = "# Beobachter für Tiflis\n\nDie OSZE will 40 Fachleute als Beobachter nach Tiflis schicken. Sie sollen die Waffenruhe überwachen.\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The running app: its URL (as it printed it), its corpus folder and a folder for files to upload."""
    settings = Settings(_env_file=None)
    if not settings.llm_path.is_file() or not settings.embedder_path.is_dir():
        pytest.fail("the default models are missing: run `bash scripts/setup.sh`")
    base = tmp_path_factory.mktemp("ui")
    shutil.copytree(ROOT / "articles", base / "articles")
    env = {
        **os.environ,
        "ASSISTANT_CORPUS_DIR": str(base / "articles"),
        "ASSISTANT_INDEX_DIR": str(base / "index"),
        "ASSISTANT_MAX_ANSWER_TOKENS": "96",
        "ASSISTANT_BRIEF_MAX_SENTENCES": "8",
        "GRADIO_TEMP_DIR": str(base / "gradio"),
    }
    command = [sys.executable, "-m", "assistant.cli"]
    indexed = subprocess.run([*command, "index"], env=env, capture_output=True, text=True, timeout=900)
    assert indexed.returncode == 0, indexed.stderr
    port = _free_port()
    process = subprocess.Popen(
        [*command, "ui", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    printed: list[str] = []
    started = threading.Event()

    def read_output():
        for line in process.stdout:
            printed.append(line)
            if "running on" in line:
                started.set()

    threading.Thread(target=read_output, daemon=True).start()
    try:
        started.wait(timeout=120)
        assert started.is_set(), "".join(printed)
        url = f"http://127.0.0.1:{port}/"
        assert url in "".join(printed)
        yield {"url": url, "corpus": base / "articles", "uploads": base / "uploads"}
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: `bash scripts/setup.sh` installs Debian's chromium (never `playwright install`)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(app, browser):
    """Opens app pages that record every host they contact."""
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    hosts: set[str] = set()

    def open_one():
        page = context.new_page()
        page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
        page.goto(app["url"])
        page.wait_for_selector("#question textarea")
        return page

    yield open_one
    context.close()
    assert hosts == {app["url"].split("/")[2]}, f"the page reached beyond the app: {hosts}"


def _screenshot(page, name, record_property):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path))
    record_property("screenshot", str(path))


def _ask(page, question):
    """Asks, and returns the checked answer to come (call .wait_for() on it)."""
    page.get_by_role("tab", name="Ask").click()
    coming = page.locator("#chat .answer").nth(page.locator("#chat .answer").count())
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()
    return coming


def _upload(page, path):
    page.get_by_role("tab", name="Library").click()
    page.locator("#upload input[type=file]").set_input_files(str(path))
    message = page.locator("#upload-message").locator(".ok, .error", has_text=path.name).first
    message.wait_for(timeout=ANSWER_TIMEOUT_MS)
    return message.inner_text()


def _watch_for_draft(page):
    """Records whether the raw draft was ever rendered: a short answer streams in well under a second, too briefly
    for polling to be sure to see it."""
    page.evaluate(
        """() => {
            window.sawDraft = false;
            new MutationObserver(() => {
                if (document.querySelector("#chat .draft")) window.sawDraft = true;
            }).observe(document.body, {childList: true, subtree: true});
        }"""
    )


def test_two_tabs_ask_at_once_answers_stream_and_citations_open_the_passage(open_page, record_property):
    first, second = open_page(), open_page()
    _watch_for_draft(first)
    answer = _ask(first, "Wie viele Soldaten wurden laut den Behörden in Berg-Karabach getötet?")
    other = _ask(second, "Welche Staaten bilden die Minsk-Gruppe?")

    answer.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert first.evaluate("window.sawDraft"), "the raw stream never showed before the checked answer"
    assert "874" in answer.locator("p").inner_text()
    links = answer.locator("p a.cite")
    assert links.count() >= 1

    highlighted = []
    for n in range(links.count()):
        start, end = links.nth(n).get_attribute("href").split("/")[2:4]
        links.nth(n).click()
        first.locator("#source-chat .source-file", has_text=f"characters {start}–{end}").wait_for()
        highlighted.append(first.locator("#source-chat mark").first.inner_text())
        if "874" in highlighted[-1]:
            break
    assert any("874 Soldaten" in text for text in highlighted), highlighted
    _screenshot(first, "chat.png", record_property)

    other.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "Frankreich" in other.inner_text() and other.locator("a.cite").count() >= 1


def test_uploaded_article_can_be_asked_about_and_an_empty_file_is_refused(app, open_page, record_property):
    page = open_page()
    app["uploads"].mkdir(exist_ok=True)
    empty = app["uploads"] / "leer.txt"
    empty.write_text("", encoding="utf-8")
    before = sorted(p.name for p in app["corpus"].iterdir())
    assert "leer.txt: empty file" in _upload(page, empty)
    assert sorted(p.name for p in app["corpus"].iterdir()) == before

    article = app["uploads"] / "tiflis.md"
    article.write_text(TIFLIS, encoding="utf-8")
    assert "Added and indexed: tiflis.md" in _upload(page, article)
    assert "Beobachter für Tiflis" in page.locator("#library").inner_text()

    answer = _ask(page, "Wie viele Fachleute will die OSZE als Beobachter nach Tiflis schicken?")
    answer.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "40" in answer.locator("p").inner_text()
    assert "tiflis.md" in answer.locator("ol.sources").inner_text()

    page.get_by_role("tab", name="Library").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#remove-choice input").click()
    page.get_by_role("option", name="tiflis.md").click()
    page.locator("#remove").click()
    page.locator("#library-message .ok").wait_for(timeout=60_000)
    assert "Removed tiflis.md" in page.locator("#library-message").inner_text()
    assert not (app["corpus"] / "tiflis.md").exists()
    assert "Beobachter für Tiflis" not in page.locator("#library").inner_text()


def test_briefing_shows_progress_a_figures_table_with_working_citations_and_a_markdown_download(
    open_page, record_property
):
    page = open_page()
    page.get_by_role("tab", name="Briefing").click()
    page.locator("#brief").click()
    page.locator("#briefing", has_text="one checked sentence at a time").wait_for(timeout=ANSWER_TIMEOUT_MS)
    table = page.locator("#briefing table")
    table.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "Wladimir Putin" in table.inner_text()

    link = table.locator("tr", has_text="874").locator("a.cite").first
    start, end = link.get_attribute("href").split("/")[2:4]
    link.click()
    page.locator("#source-brief .source-file", has_text=f"characters {start}–{end}").wait_for()
    assert "874 Soldaten" in page.locator("#source-brief mark").first.inner_text()

    with page.expect_download() as download:
        page.locator("#download-md").click()
    markdown = Path(download.value.path()).read_text(encoding="utf-8")
    assert markdown.startswith("# Briefing") and "| 874 |" in markdown
    page.locator("#briefing h2").first.scroll_into_view_if_needed()
    _screenshot(page, "briefing.png", record_property)
