"""Pure HTML rendering for the app: answers with linked citations, the cited file with the passage highlighted,
the library, uploads and the settings view. Chat messages are single HTML blocks without blank lines, which
Markdown passes through. No Gradio here: these are plain functions of their inputs."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from html import escape
from pathlib import Path
from urllib.parse import quote, unquote

from ..answer import Answer
from ..briefing import Briefing
from ..indexing import IndexReport
from ..ingest import Skipped, read_article
from ..library import Library, Upload, files_by_name
from ..settings import Settings
from ..spans import MARK, Citation, by_number

# Citation links carry where the passage is and a digest of its text, so a file edited after the answer is
# noticed instead of highlighting the wrong characters. The hash fragment survives Gradio's HTML sanitiser,
# which strips data- attributes.
_TARGET = re.compile(r"^#cite/(?P<source>[^/]+)/(?P<start>\d+)/(?P<end>\d+)/(?P<digest>[0-9a-f]{10})$")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def cite_target(source: str, start: int, end: int, text: str) -> str:
    return f"#cite/{quote(source, safe='')}/{start}/{end}/{_digest(text)}"


def cite_link(label: str, source: str, start: int, end: int, text: str) -> str:
    title = escape(f"{source}, characters {start}–{end}", quote=True)
    return f'<a class="cite" href="{cite_target(source, start, end, text)}" title="{title}">{escape(label)}</a>'


def count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _quote_excerpt(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


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


def link_marks(text: str, numbered: dict[int, list[Citation]]) -> str:
    """Every [n] in already escaped text becomes a link to the first place passage n stands in."""

    def link(match: re.Match) -> str:
        located = numbered.get(int(match.group(1))) if match.group(1).isdigit() else None
        if not located:
            return match.group(0)
        first = located[0]
        return cite_link(match.group(0), first.source, first.start, first.end, first.quote)

    return MARK.sub(link, text)


def briefing_markdown(briefing: Briefing) -> str:
    """The briefing's own Markdown (what the download holds), escaped, with every [n] a citation link."""
    meta = (
        f"\n\n<div class='meta'>{escape(briefing.model)} · {escape(briefing.prompt_version)} · "
        f"{briefing.timings['total_s']:.0f} s · {briefing.stats['model_calls']} model calls</div>\n"
    )
    return link_marks(escape(briefing.to_markdown(), quote=False), by_number(briefing.citations)) + meta


def answer_html(answer: Answer) -> str:
    meta = f'<div class="meta">{escape(answer.model)} · {escape(answer.prompt_version)} · {answer.timings["total_s"]:.1f} s</div>'
    dropped = ""
    if answer.dropped:
        items = "".join(
            f"<li>{escape(d.text)} <span class='why'>({escape(d.reason)})</span></li>" for d in answer.dropped
        )
        dropped = (
            f'<details class="dropped"><summary>{count(len(answer.dropped), "sentence")} of the draft left out: '
            f"not supported by the passages</summary><ul>{items}</ul></details>"
        )
    if answer.abstained:
        checked = "".join(
            f"<li>{cite_link(loc.source, loc.source, loc.start, loc.end, loc.text)} "
            f"<span class='quote'>„{escape(_quote_excerpt(loc.text))}“</span></li>"
            for passage in answer.passages
            for loc in passage.locations
        )
        checked = (
            f'<details class="checked"><summary>Passages checked</summary><ul>{checked}</ul></details>'
            if checked
            else ""
        )
        return (
            f'<div class="answer abstained"><div class="label">Not in the sources</div>'
            f"<p>{escape(answer.answer)}</p>{checked}{dropped}{meta}</div>"
        )
    numbered = by_number(answer.citations)
    sources = "".join(
        f'<li><span class="n">[{n}]</span> '
        + " · ".join(
            cite_link(c.source, c.source, c.start, c.end, c.quote)
            + (f" <span class='date'>{escape(c.date)}</span>" if c.date else "")
            for c in located
        )
        + f" <span class='quote'>„{escape(_quote_excerpt(located[0].quote))}“</span></li>"
        for n, located in sorted(numbered.items())
    )
    return (
        f'<div class="answer"><p>{link_marks(escape(answer.answer), numbered)}</p>'
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
    notice = (
        error_html(
            f"{source} has changed since this was written: characters {start}–{end} no longer hold the cited passage."
        )
        if moved
        else ""
    )
    # Cut the file at every boundary of the cited range and of the removed spans; each piece gets its classes.
    spans = [(r.start, r.end, r.reason) for r in article.removed]
    cuts = sorted({0, len(text), *(p for s, e, _ in spans for p in (s, e)), *(() if moved else (start, end))})
    pieces = []
    for a, b in zip(cuts, cuts[1:]):
        piece = escape(text[a:b])
        reason = next((why for s, e, why in spans if s <= a and b <= e), None)
        if reason:
            piece = (
                f'<span class="removed" title="removed before indexing: {escape(reason, quote=True)}">{piece}</span>'
            )
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
            "same wire text as "
            + ", ".join(escape(s) for s in cluster.sources if s != entry.source)
            + f" ({cluster.similarity:.0%} shared)"
            if cluster
            else "—"
        )
        if entry.removed:
            items = "".join(
                f"<li><b>{escape(r.reason)}</b>: {escape(_quote_excerpt(r.text, 120))}</li>" for r in entry.removed
            )
            cleaned = f"<details><summary>{escape(entry.removed_summary)}</summary><ul>{items}</ul></details>"
        else:
            cleaned = "nothing removed"
        agencies = f" <span class='agency'>{escape('/'.join(entry.agencies))}</span>" if entry.agencies else ""
        problem = f"<div class='problem'>{escape(entry.problem)}</div>" if entry.problem else ""
        if entry.flagged:
            problem += (
                f"<div class='flag' role='alert'>{count(len(entry.flagged), 'line')} addressing an AI "
                "left out of the index: never shown to the model</div>"
            )
        rows.append(
            f"<tr><td class='title'>{escape(entry.title)}{agencies}{problem}</td><td class='file'>{escape(entry.source)}</td>"
            f"<td class='num'>{entry.chunks}</td><td>{cleaned}</td><td>{wire}</td></tr>"
        )
    indexed = sum(1 for e in library.entries if e.chunks)
    copies = f", {count(len(library.clusters), 'wire-copy cluster')}" if library.clusters else ""
    summary = (
        f"{count(indexed, 'article')} indexed, {count(sum(e.chunks for e in library.entries), 'chunk')} · "
        f"{count(library.stories, 'independent story', 'independent stories')}{copies}"
    )
    return (
        f'<div class="library"><div class="summary">{summary}</div><table><thead><tr><th>Title</th><th>File</th>'
        f"<th class='num'>Chunks</th><th>Boilerplate removed</th><th>Wire copies</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def uploads_html(verdicts: Sequence[Upload], report: IndexReport | None) -> str:
    added = [v.name for v in verdicts if not v.error]
    parts = [error_html(f"Not added: {v.error}") for v in verdicts if v.error]
    if added:
        parts.insert(
            0,
            f'<div class="ok">Added and indexed: {escape(", ".join(added))}.'
            f"{' ' + escape(report.summary()) if report else ''}</div>",
        )
    return "".join(parts)


def settings_html(settings: Settings, prompt_ids: Sequence[str]) -> str:
    """Every setting in use, with its description and the variable that changes it, from the settings' fields."""
    rows = []
    for name, field in type(settings).model_fields.items():
        value = getattr(settings, name)
        shown, detail = (value.name or str(value), str(value)) if isinstance(value, Path) else (str(value), "")
        if name == "prompts_dir" and value is None:
            shown, detail = "packaged", ", ".join(prompt_ids)
        rows.append(
            f"<tr><th>{escape(field.description or name)}</th><td>{escape(shown)}<div class='detail'>{escape(detail)}"
            f"</div></td><td class='where'>ASSISTANT_{name.upper()}</td></tr>"
        )
    return (
        '<div class="settings"><table><thead><tr><th>Setting</th><th>In use</th><th>Change with</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table><p class='hint'>Set <code>ASSISTANT_*</code> environment variables or "
        "a <code>.env</code> file and restart; the command line reads the same settings.</p></div>"
    )
