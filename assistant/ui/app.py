"""The browser app (`assistant ui`): a chat whose citations open the cited passage inside its file, briefings,
the library of articles and the settings in use. One Assistant per process; model work runs one request at a
time (the llama.cpp model is not thread-safe), so requests from several tabs wait in Gradio's queue."""

from __future__ import annotations

import json
import re
import tempfile
from html import escape
from importlib import resources
from pathlib import Path

from ..api import Assistant
from ..embed import offline_environment
from ..errors import AssistantError
from ..prompts import prompt_names
from .desk import Desk
from .render import briefing_markdown, count, error_html, library_html, settings_html, uploads_html

QUEUE = "models"  # the Gradio concurrency group of every event that uses the models or the index
BRIEF_STAGES = {
    "loading": "Loading the models (first use only)",
    "reading": "Reading the articles",
    "figures": "Finding the disputed figures",
    "picking": "Choosing the statements",
    "writing": "Writing, one checked sentence at a time",
    "checking": "Checking every citation",
    "done": "Done",
}
_EMPTY_SOURCE = (
    '<div class="source empty">Click a citation such as <b>[1]</b> to read the passage in its article.</div>'
)


def _static(name: str) -> str:
    return (resources.files("assistant.ui") / "static" / name).read_text(encoding="utf-8")


def _gradio():
    offline_environment()  # before Gradio is imported: analytics off
    try:
        import gradio
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise AssistantError(f"gradio is not installed ({exc}); run `bash scripts/setup.sh`") from exc
    return gradio


def build_app(assistant: Assistant, warm: bool = False):
    """The Blocks app; launch() it, or pass it to Gradio's test client. warm: the models are loaded already."""
    gr = _gradio()
    desk = Desk(assistant, warm)
    settings = assistant.settings
    with gr.Blocks(title="News desk · offline briefing assistant") as app:
        gr.HTML(
            '<header class="masthead"><div class="brand">News desk</div><div class="tagline">Answers and briefings '
            "from your articles only. Every sentence cited; nothing leaves this machine.</div>"
            f'<div class="setup">{escape(settings.llm_path.name)} · {escape(settings.corpus_dir.name)}/</div></header>'
        )
        with gr.Tabs():
            with gr.Tab("Ask", id="ask"):
                _ask_tab(gr, desk)
            with gr.Tab("Briefing", id="briefing"):
                _briefing_tab(gr, desk)
            with gr.Tab("Library", id="library"):
                library_view, outputs = _library_tab(gr, desk)
            with gr.Tab("Settings", id="settings"):
                prompts = [assistant.prompt(name).id for name in prompt_names(settings.prompts_dir)]
                gr.HTML(settings_html(settings, prompts))
        app.load(library_view, None, outputs, concurrency_id=QUEUE, concurrency_limit=1)
    return app


def _guarded(gr, fn):
    """User-fixable errors become a Gradio message instead of a stack trace."""

    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except AssistantError as exc:
            raise gr.Error(str(exc)) from exc

    return call


def _source_panel(gr, desk: Desk, scope: str):
    def show_source(args):
        # Gradio 6.31 hands a server function the list of the arguments the JavaScript call passed.
        return desk.source(args[0] if isinstance(args, list) else args)

    return gr.HTML(
        _EMPTY_SOURCE,
        js_on_load=_static("source.js"),
        server_functions=[show_source],
        scope=scope,
        elem_id=f"source-{scope}",
        elem_classes=["source-panel"],
    )


def _ask_tab(gr, desk: Desk) -> None:
    def ask(question, turns):
        try:
            for messages, new_turns in desk.chat(question, turns):
                yield messages, new_turns, ""
        except AssistantError as exc:
            raise gr.Error(str(exc)) from exc

    def new_conversation():
        return [], [], _EMPTY_SOURCE

    turns = gr.State([])
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(
                elem_id="chat",
                elem_classes=["cite-scope-chat"],
                show_label=False,
                height=560,
                buttons=["copy"],
                feedback_options=None,
                layout="panel",
                placeholder=(
                    "**Ask about the articles in the library.**\n\nAnswers use only those articles. "
                    "Every sentence is checked against the passage it cites, and a question they do not "
                    "answer gets a plain *not in the sources*."
                ),
            )
            with gr.Row():
                question = gr.Textbox(
                    elem_id="question",
                    show_label=False,
                    placeholder="Your question, in any language",
                    max_lines=4,
                    scale=6,
                    autofocus=True,
                )
                ask_button = gr.Button("Ask", variant="primary", elem_id="ask", scale=1, min_width=90)
            with gr.Row():
                gr.HTML(
                    '<div class="hint">Follow-up questions see the last answers; the search always '
                    "runs on the new question.</div>"
                )
                clear = gr.Button(
                    "New conversation",
                    size="sm",
                    variant="secondary",
                    elem_id="new-conversation",
                    scale=0,
                    min_width=160,
                )
        with gr.Column(scale=2, elem_classes=["source-column"]):
            chat_source = _source_panel(gr, desk, "chat")
    for trigger in (ask_button.click, question.submit):
        trigger(
            ask,
            [question, turns],
            [chatbot, turns, question],
            concurrency_id=QUEUE,
            concurrency_limit=1,
            show_progress="minimal",
        )
    clear.click(new_conversation, None, [chatbot, turns, chat_source])


def _briefing_tab(gr, desk: Desk) -> None:
    def brief(topic, language, progress=gr.Progress()):
        briefing = desk.brief(
            topic.strip(), language, lambda stage, fraction: progress(fraction, desc=BRIEF_STAGES.get(stage, stage))
        )
        name = "-".join(["briefing", *re.findall(r"\w+", topic.lower())[:6], briefing.language])
        folder = Path(tempfile.mkdtemp(prefix="newsdesk-"))
        markdown, data = folder / f"{name}.md", folder / f"{name}.json"
        markdown.write_text(briefing.to_markdown(), encoding="utf-8")
        data.write_text(json.dumps(briefing.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
        return (
            briefing_markdown(briefing),
            gr.update(value=str(markdown), visible=True),
            gr.update(value=str(data), visible=True),
            _EMPTY_SOURCE,
        )

    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            with gr.Row(equal_height=True):
                topic = gr.Textbox(
                    elem_id="topic",
                    show_label=False,
                    scale=4,
                    max_lines=1,
                    placeholder="Topic (optional; empty: the whole library)",
                )
                language = gr.Dropdown(
                    [("Corpus language", ""), ("Deutsch", "de"), ("English", "en")],
                    value="",
                    show_label=False,
                    elem_id="brief-language",
                    scale=2,
                    min_width=150,
                )
                brief_button = gr.Button("Write briefing", variant="primary", elem_id="brief", scale=1, min_width=150)
            briefing = gr.Markdown(
                "<div class='source empty'>A briefing tells what happened, who says what, which figures "
                "are disputed and what is not known. Every sentence carries its citation.</div>",
                elem_id="briefing",
                elem_classes=["cite-scope-brief", "briefing"],
                min_height=560,
            )
            with gr.Row():
                download_md = gr.DownloadButton(
                    "Download Markdown", visible=False, elem_id="download-md", size="sm", variant="secondary"
                )
                download_json = gr.DownloadButton(
                    "Download JSON", visible=False, elem_id="download-json", size="sm", variant="secondary"
                )
        with gr.Column(scale=2, elem_classes=["source-column"]):
            brief_source = _source_panel(gr, desk, "brief")
    for trigger in (brief_button.click, topic.submit):
        trigger(
            _guarded(gr, brief),
            [topic, language],
            [briefing, download_md, download_json, brief_source],
            concurrency_id=QUEUE,
            concurrency_limit=1,
        )


def _library_tab(gr, desk: Desk):
    """Builds the tab; returns the function that renders the library and the components it fills, for page load."""
    settings = desk.settings

    def library_view():
        library = desk.library()
        choices = [e.source for e in library.entries]
        return library_html(library), gr.update(choices=choices, value=None)

    def indexing_progress(progress):
        return lambda done, total, name: progress((done, total), desc=f"Indexing {name}")

    def upload(files, progress=gr.Progress()):
        paths = [Path(f) for f in files or []]
        verdicts, report = desk.add(paths, indexing_progress(progress))
        return uploads_html(verdicts, report), *library_view(), None

    def sync(progress=gr.Progress()):
        report = desk.sync(indexing_progress(progress))
        skipped = "".join(error_html(f"Skipped {s.path.name}: {s.reason}") for s in report.skipped)
        return f'<div class="ok">{escape(report.summary())}</div>{skipped}', *library_view()

    def remove(source):
        if not source:
            return error_html("Choose an article to remove."), *library_view()
        chunks = desk.remove(source)
        return f'<div class="ok">Removed {escape(source)} and its {count(chunks, "chunk")}.</div>', *library_view()

    library_table = gr.HTML(elem_id="library")
    with gr.Row(equal_height=False):
        with gr.Column():
            files = gr.File(
                label=f"Add articles (.txt or .md, up to {settings.max_file_bytes // 1_000_000} MB each)",
                file_count="multiple",
                file_types=[".txt", ".md"],
                elem_id="upload",
                height=120,
            )
            upload_message = gr.HTML(elem_id="upload-message")
        with gr.Column():
            with gr.Row():
                to_remove = gr.Dropdown(
                    label="Remove an article (the file and its chunks)", elem_id="remove-choice", scale=3
                )
                remove_button = gr.Button("Remove", variant="stop", elem_id="remove", scale=1)
            sync_button = gr.Button(f"Sync with the folder {settings.corpus_dir.name}/", size="sm", elem_id="sync")
            library_message = gr.HTML(elem_id="library-message")
    files.upload(
        _guarded(gr, upload),
        files,
        [upload_message, library_table, to_remove, files],
        concurrency_id=QUEUE,
        concurrency_limit=1,
    )
    sync_button.click(
        _guarded(gr, sync), None, [library_message, library_table, to_remove], concurrency_id=QUEUE, concurrency_limit=1
    )
    remove_button.click(
        _guarded(gr, remove),
        to_remove,
        [library_message, library_table, to_remove],
        js="(source) => (source && confirm('Remove ' + source + ' and its chunks from the library?')) ? source : null",
        concurrency_id=QUEUE,
        concurrency_limit=1,
    )
    return _guarded(gr, library_view), [library_table, to_remove]


def serve(
    assistant: Assistant, host: str, port: int, preload: bool = False, login: tuple[str, str] | None = None
) -> None:
    """Starts the app and blocks; prints the local URL first. preload: load the models before serving, so the
    first question does not wait for them. login: (user, password) the app asks for."""
    gr = _gradio()
    if preload:
        print("Loading the language model and the embedder…", flush=True)
        assistant.warm_up()
    app = build_app(assistant, warm=preload)
    app.queue(default_concurrency_limit=1)
    try:
        app.launch(
            server_name=host,
            server_port=port,
            auth=login,
            share=False,
            quiet=True,
            prevent_thread_lock=True,
            footer_links=[],
            run_history=False,
            ssr_mode=False,
            mcp_server=False,
            pwa=False,
            max_file_size=4 * assistant.settings.max_file_bytes,
            theme=_theme(gr),
            css=_static("style.css"),
        )
    except OSError as exc:
        raise AssistantError(f"cannot serve on {host}:{port} ({exc}); pass another --port") from exc
    print(f"News desk running on {app.local_url}  (Ctrl+C stops it)", flush=True)
    try:
        app.block_thread()
    finally:
        app.close()


def _theme(gr):
    sans = ["Inter", "Segoe UI", "Helvetica Neue", "Arial", "sans-serif"]  # system fonts: nothing fetched
    return gr.themes.Base(
        primary_hue=gr.themes.colors.slate,
        secondary_hue=gr.themes.colors.stone,
        neutral_hue=gr.themes.colors.stone,
        radius_size=gr.themes.sizes.radius_sm,
        font=sans,
        font_mono=["DejaVu Sans Mono", "monospace"],
    ).set(
        body_background_fill="#f7f5f0",
        block_background_fill="#ffffff",
        button_primary_background_fill="#1f2a37",
        button_primary_background_fill_hover="#111827",
        button_primary_text_color="#ffffff",
    )
