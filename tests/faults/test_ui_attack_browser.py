"""Article text written as an attack: HTML and scripts in a title and a cited passage render as text in the
Library tab and the source view, and no script runs. The app asks for its login first. In-process app with
the recording fakes, in Debian's headless Chromium."""

import shutil
import socket

import pytest

from assistant.api import Assistant
from assistant.settings import ROOT, Settings

from fakes import HashingEmbedder, ScriptedLLM

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
LOGIN = ("desk", "korrekt-pferd-batterie")
HOSTILE = (
    '<script>window.__ran = "title"</script> Angriff auf <b>Goris</b>\n\n'
    "Die Behörden in Goris meldeten am Montag <img src=x onerror=\"window.__ran='img'\"> zwölf Verletzte nach dem "
    "Beschuss der Stadt.\n\n"
    "<svg onload=\"window.__ran='svg'\"></svg><a href=\"javascript:window.__ran='link'\">Mehr lesen</a> über die Lage.\n"
)
QUESTION = "Wie viele Verletzte meldeten die Behörden in Goris?"
REPLY = "Die Behörden in Goris meldeten zwölf Verletzte nach dem Beschuss der Stadt."


@pytest.fixture
def app(tmp_path):
    from assistant.ui.app import build_app

    shutil.copytree(ROOT / "articles", tmp_path / "articles")
    (tmp_path / "articles" / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    settings = Settings(
        corpus_dir=tmp_path / "articles", index_dir=tmp_path / "index", prompts_dir=ROOT / "prompts", _env_file=None
    )
    assistant = Assistant(settings, embedder=HashingEmbedder(), llm=ScriptedLLM(REPLY))
    assistant.index()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    blocks = build_app(assistant, warm=True)
    blocks.queue(default_concurrency_limit=1)
    blocks.launch(
        server_name="127.0.0.1", server_port=port, auth=LOGIN, prevent_thread_lock=True, quiet=True, ssr_mode=False
    )
    yield f"http://127.0.0.1:{port}/"
    blocks.close()


def test_html_and_scripts_in_articles_render_inert_behind_the_login(app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(app)
        page.locator("input[type=password]").wait_for(timeout=60_000)  # the login comes first
        assert page.locator("#question").count() == 0
        page.locator("input[type=text]").first.fill(LOGIN[0])
        page.locator("input[type=password]").fill(LOGIN[1])
        page.keyboard.press("Enter")
        page.locator("#question textarea").wait_for(timeout=60_000)

        page.get_by_role("tab", name="Library").click()
        row = page.locator("#library tr", has_text="hostile.txt")
        row.wait_for(timeout=60_000)
        assert '<script>window.__ran = "title"</script> Angriff auf <b>Goris</b>' in row.inner_text()

        page.get_by_role("tab", name="Ask").click()
        page.locator("#question textarea").fill(QUESTION)
        page.locator("#ask").click()
        answer = page.locator("#chat .answer").first
        answer.wait_for(timeout=60_000)
        answer.locator("a.cite", has_text="hostile.txt").first.click()
        source = page.locator("#source-chat .doc")
        source.wait_for(timeout=30_000)
        text = source.inner_text()
        assert "<img src=x onerror=" in text and "<svg onload=" in text and "javascript:" in text
        assert source.locator("img, svg, script, a[href^=javascript]").count() == 0
        assert source.locator("a").count() == 0  # "Mehr lesen" is text, not a link

        assert page.evaluate("window.__ran") is None and dialogs == []
        browser.close()
