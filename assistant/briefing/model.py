"""A briefing as its reader gets it: sections of cited sentences, the disputed-figures table and the sources it
rests on, in German or English, as Markdown and as JSON with the same content."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..cite import Dropped
from ..spans import Citation, by_number, mark
from .wording import WORDING, when


@dataclass
class BriefSentence:
    text: str
    citations: list[int]
    speaker: str | None = None  # whose account this is; None for what the sources report themselves
    # "source" (a source sentence), "model" (shortened/translated, checked), "untranslated" (a source sentence in
    # another language whose translation failed its checks), "summary"
    origin: str = "source"
    copied: float = 0.0  # share of its words found in the same order in the source sentence
    original: str | None = None  # the source sentence, where this one is the model's translation of it
    date: str | None = None  # in the chronology: the event's date, ISO, as precise as the text ("2023-02")


@dataclass
class Section:
    key: str  # "what", "chronology", "positions", "figures", "open"
    title: str
    sentences: list[BriefSentence]


@dataclass
class Figure:
    counted: str  # "getötete Soldaten", "Tote insgesamt"
    value: str  # "knapp 5000", "874", "keine Angabe"
    number: str | None  # normalised, "5000"; None where the claimant gives no figure
    claimant: str
    citations: list[int]
    as_of: str | None = None  # ISO: the day or month the sentence gives its figure for, where it names one
    published: str | None = None  # ISO: the date of the article that gives it, where its text states one


@dataclass
class Story:
    files: list[str]
    title: str
    agencies: list[str]
    similarity: float

    @property
    def wire_copy(self) -> bool:
        return len(self.files) > 1


@dataclass
class Briefing:
    topic: str | None
    language: str
    sections: list[Section]
    figures: list[Figure]
    stories: list[Story]
    citations: list[Citation]
    model: str
    prompt_version: str
    stats: dict
    timings: dict[str, float]
    dropped: list[Dropped] = field(default_factory=list)  # sentences not printed, with the reason
    rejected: list[Dropped] = field(default_factory=list)  # model rewrites not used (the source sentence was)
    translated: bool = False

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def to_json(self) -> dict:
        return {
            "topic": self.topic,
            "language": self.language,
            "sections": [
                {"key": s.key, "title": s.title, "sentences": [asdict(x) for x in s.sentences]} for s in self.sections
            ],
            "figures": [asdict(f) for f in self.figures],
            "sources": {
                "articles": sum(len(s.files) for s in self.stories),
                "independent": len(self.stories),
                "stories": [{**asdict(s), "wire_copy": s.wire_copy} for s in self.stories],
            },
            "citations": [asdict(c) for c in self.citations],
            "dropped": [asdict(d) for d in self.dropped],
            "rejected": [asdict(d) for d in self.rejected],
            "model": self.model,
            "prompt_version": self.prompt_version,
            "stats": self.stats,
            "timings": self.timings,
        }

    def to_markdown(self, debug: bool = False) -> str:
        w = WORDING[self.language]
        lines = [f"# {w['title']}" + (f": {self.topic}" if self.topic else ""), ""]
        lines.append(
            f"_{w['basis'].format(articles=sum(len(s.files) for s in self.stories), stories=len(self.stories))}"
            + (f" {w['translated']}" if self.translated else "")
            + (
                f" {w['untranslated_note']}"
                if any(s.origin == "untranslated" for section in self.sections for s in section.sentences)
                else ""
            )
            + "_"
        )
        for section in self.sections:
            lines += ["", f"## {section.title}", ""]
            if section.key == "positions":
                by_speaker: dict[str, list[BriefSentence]] = {}
                for sentence in section.sentences:
                    by_speaker.setdefault(sentence.speaker or "", []).append(sentence)
                for speaker, said in by_speaker.items():
                    said_all = " ".join(f"{s.text} {mark(s.citations)}{_original(s, w)}" for s in said)
                    lines.append(f"- **{speaker}**: {said_all}")
            elif section.key == "chronology":
                lines += [
                    f"- **{when(w, s.date or '')}**: {_with_speaker(s)} {mark(s.citations)}" for s in section.sentences
                ]
            elif section.key == "figures":
                lines += [f"{s.text} {mark(s.citations)}" for s in section.sentences]
                if self.figures:
                    lines += ["", "| " + " | ".join(w["table"]) + " |", "|---" * len(w["table"]) + "|"]
                    lines += [
                        f"| {f.counted} | {f.value} | {f.claimant} | {when(w, f.as_of) if f.as_of else '–'} | "
                        f"{when(w, f.published) if f.published else '–'} | {mark(f.citations)} |"
                        for f in self.figures
                    ]
            else:
                lines += [f"- {_with_speaker(s)} {mark(s.citations)}{_original(s, w)}" for s in section.sentences]
            if not section.sentences and not (section.key == "figures" and self.figures):
                lines.append(f"_{w['none']}_")
        lines += ["", f"## {w['sources']}", ""]
        for story in self.stories:
            if story.wire_copy:
                names = [a if a == "dpa" else a.upper() for a in story.agencies]
                agencies = f" ({', '.join(names)})" if names else ""
                lines.append(
                    "- "
                    + w["copies"].format(
                        files=", ".join(story.files),
                        agencies=agencies,
                        n=len(story.files),
                        share=round(100 * story.similarity),
                    )
                )
            else:
                lines.append(f"- {story.files[0]}: {story.title}")
        lines += ["", f"**{w['evidence']}**", ""]
        for n, cited in by_number(self.citations).items():
            where = "; ".join(
                f"{c.source}{', ' + c.date if c.date else ''}, {w['chars']} {c.start}–{c.end}" for c in cited
            )
            quote = " ".join(cited[0].quote.split())
            lines.append(f"- [{n}] {where}: {w['quotes'][0]}{quote}{w['quotes'][1]}")
        if debug and (self.dropped or self.rejected):
            lines += ["", f"## {w['dropped']}", ""]
            lines += [f"- ⚠ {w['unsupported']} ({d.reason}): ~~{d.text}~~" for d in self.dropped]
            lines += [f"- ⚠ {w['rejected']} ({d.reason}): ~~{d.text}~~" for d in self.rejected]
        return "\n".join(lines) + "\n"


def _original(sentence: BriefSentence, w: dict) -> str:
    """A translation by the small model shows the wording it translates, so a reader sees any slip at once."""
    if sentence.origin == "untranslated":
        return f" _({w['untranslated']})_"
    if not sentence.original:
        return ""
    return f" _({w['original']}: {w['quotes'][0]}{sentence.original}{w['quotes'][1]})_"


def _with_speaker(sentence: BriefSentence) -> str:
    """A sentence outside the positions section names its speaker if it does not itself."""
    if sentence.speaker and sentence.speaker.split()[-1].lower() not in sentence.text.lower():
        return f"{sentence.speaker}: {sentence.text}"
    return sentence.text
