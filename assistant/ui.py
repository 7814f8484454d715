"""The browser app (`assistant ui`): a chat whose citations open the cited passage inside its file, briefings,
the library of articles and the settings in use. One Assistant per process; model work runs one request at a
time (the llama.cpp model is not thread-safe), so requests from several tabs wait in Gradio's queue."""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import threading
from contextlib import closing
from html import escape
from pathlib import Path
from typing import Callable, Iterator, Sequence
from urllib.parse import quote, unquote

from .answer import Answer, Citation, Token, check_question, strip_citations
from .api import Assistant
from .briefing import Briefing
from .embed import offline_environment
from .errors import AssistantError
from .indexing import IndexReport
from .ingest import Skipped, read_article
from .library import Library, Upload, add_uploads, files_by_name, read_library, remove_article
from .settings import Settings

# Citation links carry where the passage is and a digest of its text, so a file edited after the answer is
# noticed instead of highlighting the wrong characters. The hash fragment survives Gradio's HTML sanitiser,
# which strips data- attributes.
_TARGET = re.compile(r"^#cite/(?P<source>[^/]+)/(?P<start>\d+)/(?P<end>\d+)/(?P<digest>[0-9a-f]{10})$")
_MARKER = re.compile(r"\[(\d+)\]")
QUEUE = "models"  # the Gradio concurrency group of every event that uses the models or the index
BRIEF_STAGES = {
    "loading": "Loading the models (first use only)", "reading": "Reading the articles",
    "figures": "Finding the disputed figures", "picking": "Choosing the statements",
    "writing": "Writing, one checked sentence at a time", "checking": "Checking every citation", "done": "Done",
}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def cite_target(source: str, start: int, end: int, text: str) -> str:
    return f"#cite/{quote(source, safe='')}/{start}/{end}/{_digest(text)}"


def cite_link(label: str, source: str, start: int, end: int, text: str) -> str:
    title = escape(f"{source}, characters {start}–{end}", quote=True)
    return f'<a class="cite" href="{cite_target(source, start, end, text)}" title="{title}">{escape(label)}</a>'


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _quote_excerpt(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


# --- rendering: chat messages are single HTML blocks without blank lines, which Markdown passes through ---


def status_html(text: str) -> str:
    return f'<div class="status"><span class="spinner"></span>{escape(text)}</div>'


def error_html(text: str) -> str:
    return f'<div class="error" role="alert">{escape(text)}</div>'


def draft_html(text: str) -> str:
    lines = escape(text).replace("\n", "<br>")
    return (
        '<div class="draft"><div class="label">Draft, not yet checked against the sources</div>'
        f'<div class="draft-text">{lines}</div></div>'
    )


def _by_number(citations: Sequence[Citation]) -> dict[int, list[Citation]]:
    """One number may stand for the same passage in several files (wire copies)."""
    by_number: dict[int, list[Citation]] = {}
    for citation in citations:
        by_number.setdefault(citation.n, []).append(citation)
    return by_number


def link_markers(text: str, by_number: dict[int, list[Citation]]) -> str:
    """Every [n] in already escaped text becomes a link to the first place passage n stands in."""

    def link(match: re.Match) -> str:
        located = by_number.get(int(match.group(1)))
        if not located:
            return match.group(0)
        first = located[0]
        return cite_link(match.group(0), first.source, first.start, first.end, first.quote)

    return _MARKER.sub(link, text)


def briefing_markdown(briefing: Briefing) -> str:
    """The briefing's own Markdown (what the download holds), escaped, with every [n] a citation link."""
    meta = (f"\n\n<div class='meta'>{escape(briefing.model)} · {escape(briefing.prompt_version)} · "
            f"{briefing.timings['total_s']:.0f} s · {briefing.stats['model_calls']} model calls</div>\n")
    return link_markers(escape(briefing.to_markdown(), quote=False), _by_number(briefing.citations)) + meta


def answer_html(answer: Answer) -> str:
    meta = f'<div class="meta">{escape(answer.model)} · {escape(answer.prompt_version)} · {answer.timings["total_s"]:.1f} s</div>'
    dropped = ""
    if answer.dropped:
        items = "".join(f"<li>{escape(d.text)} <span class='why'>({escape(d.reason)})</span></li>" for d in answer.dropped)
        dropped = (
            f'<details class="dropped"><summary>{_count(len(answer.dropped), "sentence")} of the draft left out: '
            f"not supported by the passages</summary><ul>{items}</ul></details>"
        )
    if answer.abstained:
        checked = "".join(
            f"<li>{cite_link(loc.source, loc.source, loc.start, loc.end, loc.text)} "
            f"<span class='quote'>„{escape(_quote_excerpt(loc.text))}“</span></li>"
            for passage in answer.passages for loc in passage.locations
        )
        checked = f'<details class="checked"><summary>Passages checked</summary><ul>{checked}</ul></details>' if checked else ""
        return (
            f'<div class="answer abstained"><div class="label">Not in the sources</div>'
            f"<p>{escape(answer.answer)}</p>{checked}{dropped}{meta}</div>"
        )
    by_number = _by_number(answer.citations)
    sources = "".join(
        f'<li><span class="n">[{n}]</span> '
        + " · ".join(cite_link(c.source, c.source, c.start, c.end, c.quote) for c in located)
        + f" <span class='quote'>„{escape(_quote_excerpt(located[0].quote))}“</span></li>"
        for n, located in sorted(by_number.items())
    )
    return (
        f'<div class="answer"><p>{link_markers(escape(answer.answer), by_number)}</p>'
        f'<div class="sources-head">Sources</div><ol class="sources">{sources}</ol>{dropped}{meta}</div>'
    )


def source_html(target: str, folder: Path, max_file_bytes: int) -> str:
    """The whole cited file, the passage highlighted at its exact offsets and text removed before indexing
    greyed out; or why it cannot be shown."""
    match = _TARGET.match(target or "")
    if not match:
        return error_html("Not a citation link.")
    source, start, end = unquote(match["source"]), int(match["start"]), int(match["end"])
    path = files_by_name(folder).get(source)
    if path is None:
        return error_html(f"{source} is no longer in the library.")
    article = read_article(path, max_file_bytes)
    if isinstance(article, Skipped):
        return error_html(f"{source} cannot be shown: {article.reason}.")
    text = article.text
    moved = end > len(text) or _digest(text[start:end]) != match["digest"]
    notice = error_html(f"{source} has changed since this was written: characters {start}–{end} no longer hold the cited passage.") if moved else ""
    # Cut the file at every boundary of the cited range and of the removed spans; each piece gets its classes.
    spans = [(r.start, r.end, r.reason) for r in article.removed]
    cuts = sorted({0, len(text), *(p for s, e, _ in spans for p in (s, e)), *(() if moved else (start, end))})
    pieces = []
    for a, b in zip(cuts, cuts[1:]):
        piece = escape(text[a:b])
        reason = next((why for s, e, why in spans if s <= a and b <= e), None)
        if reason:
            piece = f'<span class="removed" title="removed before indexing: {escape(reason, quote=True)}">{piece}</span>'
        if not moved and start <= a and b <= end:
            piece = f"<mark>{piece}</mark>"
        pieces.append(piece)
    where = "" if moved else f" · characters {start}–{end}"
    return (
        f'<div class="source"><div class="source-head"><div class="source-label">Source</div><div class="source-title">{escape(article.title)}</div>'
        f'<div class="source-file">{escape(source)}{where}</div></div>{notice}'
        f'<div class="doc">{"".join(pieces)}</div></div>'
    )


def library_html(library: Library) -> str:
    if not library.entries:
        return '<div class="empty">No articles yet. Add .txt or .md files below, or put them in the corpus folder and sync.</div>'
    cluster_of = {source: cluster for cluster in library.clusters for source in cluster.sources}
    rows = []
    for entry in library.entries:
        cluster = cluster_of.get(entry.source)
        wire = (
            "same wire text as " + ", ".join(escape(s) for s in cluster.sources if s != entry.source)
            + f" ({cluster.similarity:.0%} shared)"
            if cluster else "—"
        )
        if entry.removed:
            items = "".join(f"<li><b>{escape(r.reason)}</b>: {escape(_quote_excerpt(r.text, 120))}</li>" for r in entry.removed)
            cleaned = f"<details><summary>{escape(entry.removed_summary)}</summary><ul>{items}</ul></details>"
        else:
            cleaned = "nothing removed"
        agencies = f" <span class='agency'>{escape('/'.join(entry.agencies))}</span>" if entry.agencies else ""
        problem = f"<div class='problem'>{escape(entry.problem)}</div>" if entry.problem else ""
        rows.append(
            f"<tr><td class='title'>{escape(entry.title)}{agencies}{problem}</td><td class='file'>{escape(entry.source)}</td>"
            f"<td class='num'>{entry.chunks}</td><td>{cleaned}</td><td>{wire}</td></tr>"
        )
    indexed = sum(1 for e in library.entries if e.chunks)
    copies = f", {_count(len(library.clusters), 'wire-copy cluster')}" if library.clusters else ""
    summary = (
        f"{_count(indexed, 'article')} indexed, {_count(sum(e.chunks for e in library.entries), 'chunk')} · "
        f"{_count(library.stories, 'independent story', 'independent stories')}{copies}"
    )
    return (
        f'<div class="library"><div class="summary">{summary}</div><table><thead><tr><th>Title</th><th>File</th>'
        f"<th class='num'>Chunks</th><th>Boilerplate removed</th><th>Wire copies</th></tr></thead>"
        f'<tbody>{"".join(rows)}</tbody></table></div>'
    )


def uploads_html(verdicts: Sequence[Upload], report: IndexReport | None) -> str:
    added = [v.name for v in verdicts if not v.error]
    parts = [error_html(f"Not added: {v.error}") for v in verdicts if v.error]
    if added:
        parts.insert(0, f'<div class="ok">Added and indexed: {escape(", ".join(added))}.'
                        f'{" " + escape(report.summary()) if report else ""}</div>')
    return "".join(parts)


def settings_html(settings: Settings, prompt_id: str) -> str:
    rows = [
        ("Language model", settings.llm_path.name, str(settings.llm_path), "ASSISTANT_LLM_PATH"),
        ("Embedder", settings.embedder_path.name, str(settings.embedder_path), "ASSISTANT_EMBEDDER_PATH"),
        ("Passages per question (top-k)", str(settings.top_k), "", "ASSISTANT_TOP_K"),
        ("Answer length limit", f"{settings.max_answer_tokens} tokens", "", "ASSISTANT_MAX_ANSWER_TOKENS"),
        ("Context window", f"{settings.n_ctx} tokens", f"{settings.n_threads} CPU threads", "ASSISTANT_N_CTX, ASSISTANT_N_THREADS"),
        ("Chunk size", f"{settings.chunk_min_tokens}–{settings.chunk_max_tokens} tokens", "", "ASSISTANT_CHUNK_MAX_TOKENS"),
        ("Answer prompt", prompt_id, str(settings.prompts_dir), "ASSISTANT_PROMPTS_DIR"),
        ("Corpus folder", settings.corpus_dir.name + "/", str(settings.corpus_dir), "ASSISTANT_CORPUS_DIR"),
        ("Index folder", settings.index_dir.name + "/", str(settings.index_dir), "ASSISTANT_INDEX_DIR"),
    ]
    body = "".join(
        f"<tr><th>{escape(label)}</th><td>{escape(value)}<div class='detail'>{escape(detail)}</div></td>"
        f"<td class='where'>{escape(variable)}</td></tr>"
        for label, value, detail, variable in rows
    )
    return (
        '<div class="settings"><table><thead><tr><th>Setting</th><th>In use</th><th>Change with</th></tr></thead>'
        f"<tbody>{body}</tbody></table><p class='hint'>Set <code>ASSISTANT_*</code> environment variables or a "
        "<code>.env</code> file and restart; the command line reads the same settings.</p></div>"
    )


# --- the shared, thread-safe core the Gradio handlers call ---


class Desk:
    """One Assistant behind one lock: the models load once (at start with --preload, else on first use) and
    serve one request at a time."""

    def __init__(self, assistant: Assistant, warm: bool = False):
        self.assistant = assistant
        self.settings = assistant.settings
        self._lock = threading.Lock()
        self._warm = warm

    def _store(self):
        try:
            return self.assistant.store
        except AssistantError:  # no index yet: the library lists the folder, and indexing creates the index
            return None

    def chat(self, question: str, turns: list[dict]) -> Iterator[tuple[list[dict], list[dict]]]:
        """Yields (chat messages, turns) while the answer forms: status, the raw draft, then the checked answer.
        A turn is {"question", "html", "plain"}; "plain" (the answer without [n]) is the history for follow-ups."""
        question = check_question(question, self.settings.max_question_tokens)
        # Follow-ups see earlier answers; abstentions and errors carry no facts, so they are left out.
        history = [(t["question"], t["plain"]) for t in turns if t["plain"]]
        shown = chat_messages(turns)

        def frame(body: str) -> list[dict]:
            return [*shown, {"role": "user", "content": escape(question)}, {"role": "assistant", "content": body}]

        answer: Answer | None = None
        with self._lock:
            try:
                if not self._warm:
                    yield frame(status_html("Loading the language model and the embedder (first use only)…")), turns
                    self._warm_up()
                yield frame(status_html("Searching the articles…")), turns
                draft = ""
                with closing(self.assistant.ask_stream(question, history)) as events:
                    for event in events:
                        if isinstance(event, Token):
                            draft += event.text
                            yield frame(draft_html(draft)), turns
                        else:
                            answer = event
            except AssistantError as exc:
                turn = {"question": question, "html": error_html(str(exc)), "plain": ""}
                yield frame(turn["html"]), [*turns, turn]
                return
        assert answer is not None, "ask_stream always ends with an Answer"
        plain = "" if answer.abstained else strip_citations(answer.answer)
        turn = {"question": question, "html": answer_html(answer), "plain": plain}
        yield frame(turn["html"]), [*turns, turn]

    def _warm_up(self) -> None:
        """Models load once per process; the caller holds the lock."""
        if not self._warm:
            self.assistant.warm_up()
            self._warm = True

    def brief(self, topic: str, language: str, progress: Callable[[str, float], None] | None = None) -> Briefing:
        """A briefing of the library, or of the articles about a topic; progress(stage, fraction) follows it."""
        with self._lock:
            if not self._warm and progress:
                progress("loading", 0.0)
            self._warm_up()
            return self.assistant.brief(topic=topic or None, language=language or None, progress=progress)

    def source(self, target: str) -> str:
        return source_html(target, self.settings.corpus_dir, self.settings.max_file_bytes)

    def library(self) -> Library:
        with self._lock:
            return read_library(self.settings.corpus_dir, self._store(), self.settings.max_file_bytes)

    def add(self, paths: Sequence[Path], progress: Callable[[int, int, str], None] | None = None):
        """Checks and copies the uploads into the corpus, then indexes incrementally. Returns (verdicts, report)."""
        with self._lock:
            added, verdicts = add_uploads(paths, self.settings.corpus_dir, self.settings.max_file_bytes)
            if not added:
                return verdicts, None
            try:
                report = self.assistant.index(progress=progress)
            except BaseException:
                for path in added:  # nothing half-added stays; the next sync drops any chunks already written
                    path.unlink(missing_ok=True)
                raise
            return verdicts, report

    def remove(self, source: str) -> int:
        with self._lock:
            return remove_article(source, self.settings.corpus_dir, self._store())

    def sync(self, progress: Callable[[int, int, str], None] | None = None) -> IndexReport:
        with self._lock:
            return self.assistant.index(progress=progress)


def chat_messages(turns: Sequence[dict]) -> list[dict]:
    return [
        message
        for turn in turns
        for message in ({"role": "user", "content": escape(turn["question"])}, {"role": "assistant", "content": turn["html"]})
    ]


# --- the Gradio app ---

# Installed once per source panel: a click on a citation link inside the panel's scope asks the server for the
# file view and scrolls the highlighted passage into the middle of the panel.
_SOURCE_JS = """
window.__citeHandlers = window.__citeHandlers || {};
const scope = props.scope;
if (window.__citeHandlers[scope]) document.removeEventListener('click', window.__citeHandlers[scope]);
window.__citeHandlers[scope] = async (event) => {
  const link = event.target.closest('a.cite');
  if (!link || !link.closest('.cite-scope-' + scope)) return;
  event.preventDefault();
  document.querySelectorAll('.cite-scope-' + scope + ' a.cite.active').forEach((a) => a.classList.remove('active'));
  link.classList.add('active');
  props.value = await server.show_source(link.getAttribute('href'));
  setTimeout(() => {
    const mark = element.querySelector('mark');
    const doc = element.querySelector('.doc');
    if (mark && doc) doc.scrollTop = mark.offsetTop - doc.offsetTop - doc.clientHeight / 3;
  }, 50);
};
document.addEventListener('click', window.__citeHandlers[scope]);
"""

_EMPTY_SOURCE = '<div class="source empty">Click a citation such as <b>[1]</b> to read the passage in its article.</div>'


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

    def show_source(args):
        # Gradio 6.31 hands a server function the list of the arguments the JavaScript call passed.
        return desk.source(args[0] if isinstance(args, list) else args)

    def source_panel(scope: str):
        return gr.HTML(
            _EMPTY_SOURCE, js_on_load=_SOURCE_JS, server_functions=[show_source], scope=scope,
            elem_id=f"source-{scope}", elem_classes=["source-panel"],
        )

    def guarded(fn):
        """User-fixable errors become a Gradio message instead of a stack trace."""
        def call(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except AssistantError as exc:
                raise gr.Error(str(exc)) from exc
        return call

    def ask(question, turns):
        try:
            for messages, new_turns in desk.chat(question, turns):
                yield messages, new_turns, ""
        except AssistantError as exc:
            raise gr.Error(str(exc)) from exc

    def brief(topic, language, progress=gr.Progress()):
        briefing = desk.brief(topic.strip(), language,
                              lambda stage, fraction: progress(fraction, desc=BRIEF_STAGES.get(stage, stage)))
        name = "-".join(["briefing", *re.findall(r"\w+", topic.lower())[:6], briefing.language])
        folder = Path(tempfile.mkdtemp(prefix="newsdesk-"))
        markdown, data = folder / f"{name}.md", folder / f"{name}.json"
        markdown.write_text(briefing.to_markdown(), encoding="utf-8")
        data.write_text(json.dumps(briefing.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
        return (briefing_markdown(briefing), gr.update(value=str(markdown), visible=True),
                gr.update(value=str(data), visible=True), _EMPTY_SOURCE)

    def new_conversation():
        return [], [], _EMPTY_SOURCE

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
        return f'<div class="ok">Removed {escape(source)} and its {_count(chunks, "chunk")}.</div>', *library_view()

    with gr.Blocks(title="News desk · offline briefing assistant") as app:
        gr.HTML(
            '<header class="masthead"><div class="brand">News desk</div><div class="tagline">Answers and briefings '
            "from your articles only. Every sentence cited; nothing leaves this machine.</div>"
            f'<div class="setup">{escape(settings.llm_path.name)} · {escape(settings.corpus_dir.name)}/</div></header>'
        )
        with gr.Tabs():
            with gr.Tab("Ask", id="ask"):
                turns = gr.State([])
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(
                            elem_id="chat", elem_classes=["cite-scope-chat"], show_label=False, height=560,
                            buttons=["copy"], feedback_options=None, layout="panel",
                            placeholder=(
                                "**Ask about the articles in the library.**\n\nAnswers use only those articles. "
                                "Every sentence is checked against the passage it cites, and a question they do not "
                                "answer gets a plain *not in the sources*."
                            ),
                        )
                        with gr.Row():
                            question = gr.Textbox(
                                elem_id="question", show_label=False, placeholder="Your question, in any language",
                                max_lines=4, scale=6, autofocus=True,
                            )
                            ask_button = gr.Button("Ask", variant="primary", elem_id="ask", scale=1, min_width=90)
                        with gr.Row():
                            gr.HTML('<div class="hint">Follow-up questions see the last answers; the search always '
                                    "runs on the new question.</div>")
                            clear = gr.Button("New conversation", size="sm", variant="secondary",
                                              elem_id="new-conversation", scale=0, min_width=160)
                    with gr.Column(scale=2, elem_classes=["source-column"]):
                        chat_source = source_panel("chat")
                for trigger in (ask_button.click, question.submit):
                    trigger(ask, [question, turns], [chatbot, turns, question], concurrency_id=QUEUE,
                            concurrency_limit=1, show_progress="minimal")
                clear.click(new_conversation, None, [chatbot, turns, chat_source])

            with gr.Tab("Briefing", id="briefing"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        with gr.Row(equal_height=True):
                            topic = gr.Textbox(
                                elem_id="topic", show_label=False, scale=4, max_lines=1,
                                placeholder="Topic (optional; empty: the whole library)",
                            )
                            language = gr.Dropdown(
                                [("Corpus language", ""), ("Deutsch", "de"), ("English", "en")], value="",
                                show_label=False, elem_id="brief-language", scale=2, min_width=150,
                            )
                            brief_button = gr.Button("Write briefing", variant="primary", elem_id="brief", scale=1,
                                                     min_width=150)
                        briefing = gr.Markdown(
                            "<div class='source empty'>A briefing tells what happened, who says what, which figures "
                            "are disputed and what is not known. Every sentence carries its citation.</div>",
                            elem_id="briefing", elem_classes=["cite-scope-brief", "briefing"], min_height=560,
                        )
                        with gr.Row():
                            download_md = gr.DownloadButton("Download Markdown", visible=False, elem_id="download-md",
                                                            size="sm", variant="secondary")
                            download_json = gr.DownloadButton("Download JSON", visible=False, elem_id="download-json",
                                                              size="sm", variant="secondary")
                    with gr.Column(scale=2, elem_classes=["source-column"]):
                        brief_source = source_panel("brief")
                for trigger in (brief_button.click, topic.submit):
                    trigger(guarded(brief), [topic, language], [briefing, download_md, download_json, brief_source],
                            concurrency_id=QUEUE, concurrency_limit=1)

            with gr.Tab("Library", id="library"):
                library_table = gr.HTML(elem_id="library")
                with gr.Row(equal_height=False):
                    with gr.Column():
                        files = gr.File(
                            label=f"Add articles (.txt or .md, up to {settings.max_file_bytes // 1_000_000} MB each)",
                            file_count="multiple", file_types=[".txt", ".md"], elem_id="upload", height=120,
                        )
                        upload_message = gr.HTML(elem_id="upload-message")
                    with gr.Column():
                        with gr.Row():
                            to_remove = gr.Dropdown(label="Remove an article (the file and its chunks)", elem_id="remove-choice", scale=3)
                            remove_button = gr.Button("Remove", variant="stop", elem_id="remove", scale=1)
                        sync_button = gr.Button(f"Sync with the folder {settings.corpus_dir.name}/", size="sm", elem_id="sync")
                        library_message = gr.HTML(elem_id="library-message")
                files.upload(guarded(upload), files, [upload_message, library_table, to_remove, files],
                             concurrency_id=QUEUE, concurrency_limit=1)
                sync_button.click(guarded(sync), None, [library_message, library_table, to_remove],
                                  concurrency_id=QUEUE, concurrency_limit=1)
                remove_button.click(
                    guarded(remove), to_remove, [library_message, library_table, to_remove],
                    js="(source) => (source && confirm('Remove ' + source + ' and its chunks from the library?')) ? source : null",
                    concurrency_id=QUEUE, concurrency_limit=1,
                )

            with gr.Tab("Settings", id="settings"):
                gr.HTML(settings_html(settings, assistant.prompt("answer").id))

        app.load(guarded(library_view), None, [library_table, to_remove], concurrency_id=QUEUE, concurrency_limit=1)
    return app


def serve(assistant: Assistant, host: str, port: int, preload: bool = False) -> None:
    """Starts the app and blocks; prints the local URL first. preload: load the models before serving, so the
    first question does not wait for them."""
    gr = _gradio()
    if preload:
        print("Loading the language model and the embedder…", flush=True)
        assistant.warm_up()
    app = build_app(assistant, warm=preload)
    app.queue(default_concurrency_limit=1)
    try:
        app.launch(
            server_name=host, server_port=port, share=False, quiet=True, prevent_thread_lock=True,
            footer_links=[], run_history=False, ssr_mode=False, mcp_server=False, pwa=False,
            max_file_size=4 * assistant.settings.max_file_bytes, theme=_theme(gr), css=CSS,
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
        primary_hue=gr.themes.colors.slate, secondary_hue=gr.themes.colors.stone, neutral_hue=gr.themes.colors.stone,
        radius_size=gr.themes.sizes.radius_sm, font=sans, font_mono=["DejaVu Sans Mono", "monospace"],
    ).set(
        body_background_fill="#f7f5f0", block_background_fill="#ffffff", button_primary_background_fill="#1f2a37",
        button_primary_background_fill_hover="#111827", button_primary_text_color="#ffffff",
    )


CSS = """
.gradio-container { max-width: 1320px !important; width: 100% !important; margin: 0 auto; overflow: visible !important; }
.masthead { display: flex; align-items: baseline; gap: 18px; padding: 6px 2px 10px; border-bottom: 3px double #1f2a37; }
.masthead .brand { font-family: Georgia, 'DejaVu Serif', serif; font-size: 30px; font-weight: 700; color: #111827; letter-spacing: .5px; }
.masthead .tagline { color: #57534e; font-size: 14px; }
.masthead .setup { margin-left: auto; font-family: 'DejaVu Sans Mono', monospace; font-size: 11.5px; color: #78716c; }
.hint { color: #78716c; font-size: 12.5px; padding-top: 6px; }
a.cite { color: #9a3412; font-weight: 600; text-decoration: none; border-bottom: 1px dotted #9a3412; cursor: pointer; }
a.cite:hover, a.cite.active { background: #fde68a; color: #7c2d12; }
.answer p { margin: 0 0 8px; line-height: 1.55; }
.answer .sources-head { font-size: 12px; text-transform: uppercase; letter-spacing: .08em; color: #78716c; margin-top: 10px; }
.answer ol.sources { list-style: none; padding-left: 0; margin: 4px 0; font-size: 13px; }
.answer ol.sources li { margin: 3px 0; }
.answer .quote { color: #57534e; }
.answer .n { font-weight: 600; color: #44403c; }
.meta { font-size: 11px; color: #a8a29e; margin-top: 8px; }
.answer details { font-size: 12px; color: #78716c; margin-top: 6px; }
.answer.abstained { border-left: 3px solid #b45309; padding-left: 10px; }
.label { font-size: 11px; text-transform: uppercase; letter-spacing: .08em; color: #b45309; font-weight: 700; margin-bottom: 4px; }
.draft .label { color: #78716c; }
.draft-text { color: #57534e; }
.status { color: #57534e; font-style: italic; }
.spinner { display: inline-block; width: 10px; height: 10px; margin-right: 8px; border: 2px solid #d6d3d1; border-top-color: #1f2a37; border-radius: 50%; animation: spin 1s linear infinite; }
@keyframes spin { to { transform: rotate(360deg); } }
.error { color: #991b1b; background: #fef2f2; border: 1px solid #fecaca; padding: 6px 10px; border-radius: 4px; margin: 4px 0; }
.ok { color: #14532d; background: #f0fdf4; border: 1px solid #bbf7d0; padding: 6px 10px; border-radius: 4px; margin: 4px 0; }
.source-column { position: sticky; top: 8px; align-self: flex-start; }
.block.source-panel { background: #fff; border: 1px solid #e7e5e4; border-radius: 4px; padding: 14px 16px; min-height: 560px; }
.source-label { font-size: 11px; text-transform: uppercase; letter-spacing: .08em; color: #78716c; margin-bottom: 2px; }
.source.empty { color: #78716c; font-style: italic; padding: 40px 8px; text-align: center; }
.source-head { border-bottom: 1px solid #e7e5e4; padding-bottom: 6px; margin-bottom: 8px; }
.source-title { font-family: Georgia, 'DejaVu Serif', serif; font-size: 18px; font-weight: 700; color: #111827; }
.source-file { font-size: 12px; color: #78716c; }
.source .doc { white-space: pre-wrap; font-family: Georgia, 'DejaVu Serif', serif; font-size: 14.5px; line-height: 1.6; color: #292524; max-height: calc(100vh - 170px); overflow-y: auto; }
.source mark { background: #fde68a; padding: 1px 0; box-shadow: 0 0 0 2px #fde68a; }
.source .removed { color: #a8a29e; text-decoration: line-through; }
.block.briefing { background: #fff; border: 1px solid #e7e5e4; border-radius: 4px; padding: 4px 22px 14px !important; }
.briefing h1 { font-family: Georgia, 'DejaVu Serif', serif; font-size: 26px; border-bottom: 3px double #1f2a37; padding-bottom: 6px; }
.briefing h2 { font-family: Georgia, 'DejaVu Serif', serif; font-size: 18px; margin-top: 18px; border-bottom: 1px solid #e7e5e4; }
.briefing li, .briefing p { line-height: 1.55; }
.briefing table { border-collapse: collapse; font-size: 13.5px; border: none !important; }
.briefing th { text-align: left; font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: #78716c; border-bottom: 2px solid #1f2a37; }
.briefing th, .briefing td { border-left: none !important; border-right: none !important; padding: 6px 10px; }
.briefing td { border-bottom: 1px solid #e7e5e4; }
.library .summary { color: #44403c; margin: 6px 0 10px; }
.library table, .settings table { width: 100%; border-collapse: collapse; font-size: 13.5px; border: none; }
.library tr, .library th, .library td, .settings tr, .settings th, .settings td, .briefing tr { border-left: none !important; border-right: none !important; border-top: none; }
.library th, .settings th { text-align: left; font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: #78716c; border-bottom: 2px solid #1f2a37; padding: 6px 8px; }
.library td, .settings td { border-bottom: 1px solid #e7e5e4; padding: 7px 8px; vertical-align: top; }
.library td.title { font-family: Georgia, 'DejaVu Serif', serif; font-size: 14.5px; color: #111827; }
.library td.file, .settings td.where { font-family: 'DejaVu Sans Mono', monospace; font-size: 12px; color: #57534e; }
.library .num { text-align: right; }
.library .agency { font-family: sans-serif; font-size: 11px; color: #fff; background: #57534e; border-radius: 3px; padding: 0 4px; }
.library .problem { color: #b45309; font-size: 12px; font-family: sans-serif; }
.library details ul { margin: 4px 0; padding-left: 18px; color: #57534e; font-size: 12px; }
.settings tbody th { width: 240px; border-bottom: 1px solid #e7e5e4; }
.settings .detail { font-family: 'DejaVu Sans Mono', monospace; font-size: 11.5px; color: #78716c; }
.settings .hint { font-size: 13px; }
"""
