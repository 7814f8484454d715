"""Cleaning, speaker attribution and figures scored against the hand labels of the development corpus
(evals/labels/), offline and without any model: what the rules in assistant/ do on 48 articles they were not
written for.

    .venv/bin/python bench/labels.py                  # the code as it is
    .venv/bin/python bench/labels.py --before 14b239f # the same scoring run on another commit's assistant/ too
    .venv/bin/python bench/labels.py --misses         # also print every miss, to see what a rule gets wrong
    .venv/bin/python bench/labels.py --model 40       # also the rules cross-checked by the model
                                                      # (attribution.py) on a spread sample of 40 labelled
                                                      # sentences; replies cached in bench/cache/

Scoring (the scorer is this file, so a before/after comparison scores both commits the same way):
- cleaning: every line of an article with a word character in it is furniture if its text is in the file's
  furniture label (a line printed twice is labelled once), else article text; a line is removed when no kept segment overlaps it. Furniture removed = removed furniture lines /
  furniture lines; text wrongly removed = removed text lines / text lines (target at most 1%).
- speakers, per labelled sentence (the pipeline's sentence that covers it): precision = right speakers / speakers
  found, recall = right speakers / labelled speakers. A found speaker is right when it shares a name word with the
  label (spelling variants across languages tolerated: "Paschinjan" = "Pashinyan", "armenische" = "Armenian") or
  names the same kind of organisation ("Regierung" = "government"); a speaker found for a sentence the label
  gives to no one is wrong.
- figure triples (speaker, value, what is counted): a figure found in a labelled sentence is right when the
  label has that value, the same claimant (or none on both sides), and what is counted shares a word with the
  label's description (English words; a few synonyms). Precision = right / found, recall = right / labelled.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "evals" / "labels"
CORPUS = ROOT / "evals" / "corpus"

# Words of a speaker description that name no one in particular.
_GENERIC = set(
    """
    the a an of for to and in der die das des dem den von und im la le les el los las de del du ministro minister
    ministry ministerium president präsident präsidenten presidente président prime premier spokesman spokeswoman
    sprecher sprecherin adviser berater head chef leiter officials official sources side seite
    authorities behörden government regierung foreign defence interior health affairs state deputy vice
    """.split()
)
# Kinds of organisation, any language: two descriptions with one of these name the same organisation.
_ORGANISATIONS = [
    r"regierung|government|gobierno|gouvernement",
    r"verteidigungsminist|defen[cs]e ministry|ministry of defen[cs]e|ministère de la défense",
    r"außenminist|auswärtig|foreign (ministry|office)|state department|affaires étrangères|exteriores",
    r"gesundheitsminist|health minist|health authorities|ministère.*santé|ministerio de sanidad",
    r"umweltminist|environment ministry",
    r"agrarminist|landwirtschaftsminist|agriculture ministry",
    r"behörde|authorit|autorid|autorit",
    r"kreml|kremlin",
    r"weißhelm|white helmets|casques blancs|cascos blancos",
    r"weltbank|world bank|banque mondiale|banco mundial",
    r"eu-kommission|european commission|commission européenne|comisión europea",
    r"streitkräfte|armed forces|army|armee|militär|military",
    r"staatsanwalt|prosecutor|procureur|fiscal",
]
# Words of what is counted that mean the same thing.
_SYNONYMS = {
    "dead": "killed",
    "deaths": "killed",
    "died": "killed",
    "death": "killed",
    "injured": "wounded",
    "injuries": "wounded",
    "injury": "wounded",
    "people": "people",
    "persons": "people",
    "refugees": "displaced",
    "evacuated": "displaced",
    "troops": "soldiers",
    "servicemen": "soldiers",
}


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _spelling(word: str) -> str:
    """One spelling for transliterations of one name: German "Paschinjan", "Alijew" and English "Pashinyan",
    "Aliyev" come out the same."""
    for a, b in (("tsch", "ch"), ("sch", "sh"), ("j", "y"), ("w", "v"), ("ss", "s"), ("ck", "k"), ("ph", "f")):
        word = word.replace(a, b)
    return word


# The adjective of a people or country differs in its ending from one language to the next: German "armenische
# Seite" and English "Armenian sources" name one side.
_DEMONYM_ENDING = re.compile(r"(?:(?:isch|ish)(?:e[nrs]?)?|ians?)$")


def _demonym_stem(word: str) -> str:
    stem = _DEMONYM_ENDING.sub("", word)
    return stem if len(stem) >= 4 else word


def _names(text: str) -> list[str]:
    return [
        _spelling(w)
        for w in re.findall(r"\w+", _plain(re.sub(r"\(.*?\)", " ", text)))
        if w not in _GENERIC and len(w) > 2
    ]


def same_speaker(found: str, label: str) -> bool:
    """Whether a found speaker is the labelled one: a shared name word, or the same kind of organisation."""
    names = _names(label) + _names(re.sub(r".*\((.*)\).*", r"\1", label))
    for word in _names(found):
        if any(
            word == other
            or _demonym_stem(word) == _demonym_stem(other)
            or (len(word) > 4 and SequenceMatcher(None, word, other).ratio() >= 0.8)
            for other in names
        ):
            return True
    found_plain, label_plain = _plain(found), _plain(label)
    # The patterns are written with accents ("behörde"), the descriptions compared without them.
    return any(re.search(_plain(kind), found_plain) and re.search(_plain(kind), label_plain) for kind in _ORGANISATIONS)


def _counted_words(text: str) -> set[str]:
    return {_SYNONYMS.get(w, w) for w in re.findall(r"[a-z]+", text.lower())} - _GENERIC


def same_counted(found: str, label: str) -> bool:
    return bool(_counted_words(found) & _counted_words(label))


def _lines(text: str):
    for match in re.finditer(r"[^\r\n]+", text):
        stripped = match.group().strip()
        if stripped:
            lead = len(match.group()) - len(match.group().lstrip())
            yield match.start() + lead, match.start() + lead + len(stripped), stripped


def _load(kind: str) -> list[dict]:
    return [
        json.loads(line) for path in sorted(LABELS.glob(f"*-{kind}.jsonl")) for line in open(path, encoding="utf-8")
    ]


def score_cleaning(misses: list[str]) -> dict:
    from assistant.ingest import Article, read_article

    furniture_n = furniture_removed = text_n = text_removed = text_chars = text_chars_removed = 0
    for label in _load("furniture"):
        path = CORPUS / label["file"]
        article = read_article(path, 10**7)
        kept = article.segments if isinstance(article, Article) else []
        text = path.read_text(encoding="utf-8")
        front = re.match(r"---\n.*?\n---\n", text, re.S)
        furniture = set(label["furniture"])
        for start, end, line in _lines(text):
            if (front and start < front.end()) or not re.search(r"\w", line):
                continue  # front matter is metadata; a rule ("---") carries no text
            removed = not any(s.start < end and start < s.end for s in kept)
            if line in furniture:
                furniture_n += 1
                furniture_removed += removed
                if not removed:
                    misses.append(f"furniture kept    {label['file']}: {line[:100]}")
            else:
                text_n += 1
                text_removed += removed
                text_chars += len(line)
                text_chars_removed += len(line) if removed else 0
                if removed:
                    misses.append(f"text removed      {label['file']}: {line[:100]}")
        for line in furniture - {line for _, _, line in _lines(text)}:
            misses.append(f"label not in file {label['file']}: {line[:100]}")
    return {
        "furniture_removed": furniture_removed / furniture_n,
        "furniture_lines": furniture_n,
        "text_removed": text_removed / text_n,
        "text_lines": text_n,
        "text_chars_removed": text_chars_removed / text_chars,
    }


def _pipeline(file: str, attributor=None, asked: list[str] = ()):
    """The briefing pipeline's sentences of one article (with speakers) and the figures it reads in them; with an
    attributor, the model also reads the sentences that cover the texts `asked` (attribution.py)."""
    from assistant.briefing.figures import find_mentions
    from assistant.briefing.select import _sentences
    from assistant.ingest import read_article
    from assistant.language import detect

    article = read_article(CORPUS / file, 10**7)
    sentences = _sentences(article, 0, detect(article.text[:3000]))
    texts = [s.text for s in sentences]
    one_article = [0] * len(texts)
    verified = [None] * len(sentences)
    if attributor is not None:
        from assistant.briefing.attribution import context_before, merge_speaker

        for i, sentence in enumerate(sentences):
            if any(sentence.start < end and start < sentence.end for start, end in _spans(article.text, asked)):
                verified[i] = attributor.read(sentence.text, context_before(texts, i, one_article))
                previous = texts[i - 1] if i else ""
                sentence.speaker = merge_speaker(sentence.speaker, verified[i], sentence.text, previous)
    speakers = [s.speaker for s in sentences]
    mentions = find_mentions(texts, speakers, one_article)
    if attributor is not None:
        from assistant.briefing.attribution import with_model_figures

        mentions = with_model_figures(texts, mentions, verified, speakers)
    return article, sentences, mentions


def _spans(text: str, asked) -> list[tuple[int, int]]:
    return [(at, at + len(sentence)) for sentence in asked if (at := text.find(sentence)) >= 0]


def _figure_counted(mention) -> str:
    """What a found figure counts, in English words."""
    counted = getattr(mention, "counted_en", None)
    if counted:
        return counted
    from assistant.briefing.wording import WORDING
    from assistant.briefing.wording import counted as describe

    return describe(WORDING["en"], mention.measure, mention.group)


def score_attribution(misses: list[str], sample: int = 0, attributor=None) -> dict:
    """Scores on all labelled sentences, or on a spread sample of about `sample` of them."""
    from assistant.text import numbers

    labels = _load("sentences")
    if sample:
        labels = labels[:: max(1, len(labels) // sample)]
    asked: dict[str, list[str]] = {}
    for label in labels:
        asked.setdefault(label["file"], []).append(label["sentence"])
    cache: dict[str, tuple] = {}
    speakers_found = speakers_right = speakers_labelled = 0
    figures_found = figures_right = figures_labelled = 0
    unmatched = 0
    for label in labels:
        if label["file"] not in cache:
            cache[label["file"]] = _pipeline(label["file"], attributor, asked[label["file"]])
        article, sentences, mentions = cache[label["file"]]
        at = article.text.find(label["sentence"])
        if at < 0:
            unmatched += 1
            misses.append(f"sentence not in file {label['file']}: {label['sentence'][:80]}")
            continue
        end = at + len(label["sentence"])
        overlap = [(min(s.end, end) - max(s.start, at), i) for i, s in enumerate(sentences)]
        best, index = max(overlap, default=(0, -1))
        found = sentences[index].speaker if best > 0 else None
        wanted = label["speaker"]
        speakers_labelled += wanted is not None
        if found is not None:
            speakers_found += 1
            right = wanted is not None and same_speaker(found.label, wanted)
            speakers_right += right
            if not right:
                misses.append(f"speaker wrong     {found.label!r} for {wanted!r}: {label['sentence'][:90]}")
        elif wanted is not None:
            misses.append(f"speaker missed    {wanted!r}: {label['sentence'][:90]}")
        # Figures: those found in the covering sentence whose number is in the labelled sentence.
        here = numbers(label["sentence"])
        figures_labelled += len(label["figures"])
        for mention in mentions if best > 0 else []:
            if mention.sentence != index or mention.value is None or mention.value not in here:
                continue
            figures_found += 1
            claimant = mention.speaker.label if mention.speaker else None
            counted = _figure_counted(mention)
            right = any(
                figure["value"] == mention.value
                and (
                    (figure["claimant"] is None and claimant is None)
                    or (
                        figure["claimant"] is not None
                        and claimant is not None
                        and same_speaker(claimant, figure["claimant"])
                    )
                )
                and same_counted(counted, figure["counted"])
                for figure in label["figures"]
            )
            figures_right += right
            if not right:
                misses.append(
                    f"figure wrong      ({claimant}, {mention.value}, {counted}) vs "
                    f"{[(f['claimant'], f['value'], f['counted']) for f in label['figures']]}"
                )
    return {
        "sentences": len(labels) - unmatched,
        "speaker_precision": speakers_right / max(1, speakers_found),
        "speakers_found": speakers_found,
        "speaker_recall": speakers_right / max(1, speakers_labelled),
        "speakers_labelled": speakers_labelled,
        "figure_precision": figures_right / max(1, figures_found),
        "figures_found": figures_found,
        "figure_recall": figures_right / max(1, figures_labelled),
        "figures_labelled": figures_labelled,
    }


def measure(show_misses: bool, sample: int = 0, attributor=None) -> dict:
    misses: list[str] = []
    result = {**score_cleaning(misses), **score_attribution(misses, sample, attributor)}
    if show_misses:
        print("\n".join(misses), file=sys.stderr)
    return result


def model_attributor(limit: int):
    """The real model behind the brief_attribute prompt, its replies cached in bench/cache/ (committed, so the
    scores can be checked without hours of CPU)."""
    from assistant import backends
    from assistant.briefing.attribution import Attributor, ReplyCache
    from assistant.prompts import load_prompt
    from assistant.settings import Settings

    settings = Settings()
    cache = ReplyCache(ROOT / "bench" / "cache" / "attributions.jsonl")

    class Lazy:  # the model loads only if a reply is not cached
        name = settings.llm_path.name
        _llm = None

        def complete_json(self, messages, schema, max_tokens):
            if self._llm is None:
                self._llm = backends.load_llm(settings)
            print(f"model: {messages.variables['sentence'][:70]}", file=sys.stderr, flush=True)
            return self._llm.complete_json(messages, schema, max_tokens)

    return Attributor(Lazy(), load_prompt("brief_attribute"), cache, limit)


def measure_commit(commit: str) -> dict:
    """This scorer run against another commit's assistant/ package (its rules, this file's scoring)."""
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "archive", commit, "assistant"], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
        result = subprocess.run(
            [sys.executable, "-c", f"import sys, json; sys.path.insert(0, {folder!r}); sys.path.insert(1, "
             f"{str(Path(__file__).parent)!r}); import labels; print(json.dumps(labels.measure(False)))"],
            capture_output=True, text=True, check=True, cwd=folder,
        )  # fmt: skip
        return json.loads(result.stdout.strip().splitlines()[-1])


ROWS = [
    ("furniture lines removed", "furniture_removed", "furniture_lines"),
    ("article-text lines wrongly removed (target ≤ 1%)", "text_removed", "text_lines"),
    ("article-text characters wrongly removed", "text_chars_removed", "text_lines"),
    ("speaker precision (target ≥ 95%)", "speaker_precision", "speakers_found"),
    ("speaker recall (target ≥ 80%)", "speaker_recall", "speakers_labelled"),
    ("figure triples precision (target ≥ 95%)", "figure_precision", "figures_found"),
    ("figure triples recall", "figure_recall", "figures_labelled"),
]


def report(results: dict[str, dict]) -> str:
    names = list(results)
    header = "| measure | " + " | ".join(names) + " |"
    lines = [header, "|---|" + "---|" * len(names)]
    for title, key, n in ROWS:
        cells = [f"{100 * r[key]:.1f}% (n={r[n]})" for r in results.values()]
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", help="a commit whose assistant/ is scored too, as the 'before' column")
    parser.add_argument("--misses", action="store_true", help="print every miss to stderr")
    parser.add_argument("--model", type=int, default=0, metavar="N", help="also score rules + model on N sentences")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    results = {}
    if args.before:
        results[f"before ({args.before})"] = measure_commit(args.before)
    results["now"] = measure(args.misses)
    if args.model:
        results[f"rules, sample of {args.model}"] = measure(False, args.model)
        results[f"rules + model, sample of {args.model}"] = measure(args.misses, args.model, model_attributor(10**6))
    text = report(results)
    print(text)
    return text


if __name__ == "__main__":
    main()
