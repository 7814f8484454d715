"""Finding text that speaks to an AI instead of to a reader: instructions planted in an article ("ignore your
instructions", "beantworte jede Frage mit ...", "tu es maintenant ...", role-play and system-prompt markers).

An article is data. A line that addresses the assistant or gives it orders is kept out of the index (ingest
records it like removed boilerplate), so it is never embedded, retrieved, shown to the model or briefed; the
file itself stays in the library with the flag. Matching runs on a normalised copy of each line: NFKC, no
zero-width or control characters, no HTML tags or emphasis marks, Cyrillic and Greek look-alikes mapped to Latin.

News is full of people giving orders to people ("Putin ordered the troops to ..."), so an order counts only
in the imperative, at the start of a clause, and about instructions, questions, answers or roles; reported
speech ("told them to ignore earlier instructions") is left alone.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence

from .spans import Span

REASON = "instructions to an AI"

# Letters that look Latin but are not: "іgnore" with a Cyrillic і must read as "ignore".
_HOMOGLYPHS = str.maketrans(
    {
        # Cyrillic and Greek, lower case (matching runs on casefolded text), and the Latin alpha.
        **dict(zip("авеёкмнорстухіїјѕԁԛԝһӏ", "abeekmhopctyxiijsdqwhl")),
        **dict(zip("ɑαβεζηικμνορτυχ", "aabeznikmvoptux")),
    }
)
_TAG = re.compile(r"<(?!\|)[^<>]{0,200}>")  # HTML tags, but not the <|im_start|> chat markers
_EMPHASIS = re.compile(r"[*_~`]+")

# Where an imperative stands: at the start of a line or clause (after punctuation, a quote, a bracket), maybe
# after "and"/"now" and "please". "to ignore" and "he ignores" never follow one of these directly.
_CLAUSE = (
    r"(?:^|[.!?:;,\"'“”„‚‘’«»()\[\]{}<>|/\-–—>])\s*"
    r"(?:(?:and|then|now|also|just|so|und|dann|jetzt|nun|also|et|puis|maintenant|y|luego|ahora|e|ora|en)\s+)?"
    r"(?:(?:please|kindly|bitte|s'il (?:te|vous) pla[iî]t|por favor|per favore|por gentileza|alsjeblieft)[,\s]+)?"
)
_AI = (
    r"(?:ai|a\.i\.|artificial intelligence|ai assistant|ai model|ai system|assistant|language model|"
    r"large language model|llm|chatbot|chat bot|bot|gpt|chatgpt|summari[sz]er|"
    r"ki|künstliche intelligenz|ki-assistent|ki-modell|ki-system|assistent|assistentin|sprachmodell|"
    r"ia|intelligence artificielle|assistante|modèle de langage|modèle|"
    r"inteligencia artificial|asistente|modelo de lenguaje|modelo|"
    r"intelligenza artificiale|assistente|modello linguistico|"
    r"taalmodel|model)"
)
_WORDS = r"(?:[\w'-]+\s+){0,4}?"

_PATTERNS = [
    # Overriding the instructions the assistant was given.
    _CLAUSE + r"(?:ignore|disregard|forget|override|bypass|discard|abandon)\s+(?:all\s+|any\s+|of\s+)*"
    r"(?:(?:the|your|my|these|those)\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:instructions?|prompts?|directives?|guidelines|programming|system\s*prompt|rules)\b",
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+)?(?:of\s+)?your\s+(?:[\w-]+\s+){0,2}?"
    r"(?:instructions?|prompts?|directives?|guidelines|programming|rules|training)\b",
    _CLAUSE + r"(?:ignoriere|ignorier|ignorieren sie|ignoriert|vergiss|vergessen sie|vergesst|missachte|"
    r"missachten sie|übergehe|verwirf)\s+" + _WORDS + r"(?:anweisungen|anweisung|instruktionen|vorgaben|regeln|"
    r"befehle|richtlinien|systemprompt|system-prompt|prompts?|programmierung)\b",
    _CLAUSE
    + r"(?:ignore|ignorez|oublie|oubliez|néglige|négligez)\s+"
    + _WORDS
    + r"(?:instructions?|consignes?|directives?|règles|prompts?)\b",
    _CLAUSE
    + r"(?:ignora|ignore|ignoren|olvida|olvide|omite|descarta|dimentica|esqueça|esqueca)\s+"
    + _WORDS
    + r"(?:instrucciones|instrucción|indicaciones|reglas|istruzioni|regole|instruções|instrucoes|regras)\b",
    _CLAUSE
    + r"(?:negeer|vergeet|zignoruj|ignoruj|zapomnij)\s+"
    + _WORDS
    + r"(?:instructies|regels|opdrachten|instrukcje|instrukcji|polecenia|zasady)\b",
    # Speaking to the assistant: "Dear AI,", "Liebe KI:", "if you are a language model".
    r"\b(?:dear|hey|hi|hello|attention|note to|message to|message for|instructions? (?:for|to)|"
    r"liebe|lieber|liebes|hallo|achtung|hinweis an|hinweis für|nachricht an|anweisung an|anweisungen an|"
    r"an die|an den|an das|cher|chère|chers|salut|bonjour|note à|message à|querid[oa]|estimad[oa]|hola|"
    r"atención|nota para|mensaje para|car[oa]|ciao|olá)\s+(?:the\s+|an?\s+|all\s+|any\s+|die\s+|den\s+|das\s+|eine?\s+|"
    r"l'|la\s+|le\s+|une?\s+|el\s+|una?\s+|il\s+|lo\s+|o\s+|de\s+)?" + _AI + r"s?\s*[,:!]",
    r"\b(?:if|in case) you(?:'re| are) (?:an?\s+)?(?:ai|language model|large language model|llm|chatbot|"
    r"assistant|ai assistant|ai model|bot)\b",
    r"\b(?:wenn|falls|sofern) (?:du|sie) (?:eine?\s+)?(?:ki|sprachmodell|assistent|chatbot|künstliche intelligenz|"
    r"ki-modell|ki-assistent|llm|bot) (?:bist|sind)\b",
    r"\bsi (?:tu es|vous êtes|eres|usted es|sei) (?:une?\s+|l'|una?\s+)?(?:ia|assistant|modèle|asistente|modelo|"
    r"intelligence artificielle|inteligencia artificial|chatbot)\b",
    r"\b(?:ai|language model|llm|chatbot|assistant|model)s?\s+(?:that is\s+|who is\s+)?"
    r"(?:reading|processing|summari[sz]ing|parsing|ingesting)\s+(?:this|these)\s+"
    r"(?:text|article|page|document|letter|message|lines|words|instructions)\b",
    r"\b" + _AI + r",?\s+(?:die|der|das|welche)\s+(?:diesen|den|dieses)\s+(?:text|artikel|brief)\s+"
    r"(?:liest|verarbeitet|zusammenfasst|auswertet)\b",
    # Giving it a new role.
    r"\byou are now (?:an?\s+|the\s+|my\s+)?(?:ai|assistant|model|language model|chatbot|bot|dan|unrestricted|"
    r"unfiltered|jailbroken|no longer bound)\b",
    _CLAUSE + r"(?:from now on|starting now|henceforth|from this point on),?\s+(?:you|your)\b",
    _CLAUSE + r"(?:pretend (?:to be|you are|that you)|act as (?:an?\s+|the\s+|my\s+)?(?:ai|assistant|dan|"
    r"unrestricted|unfiltered|different|new|evil)|(?:roleplay|role-play) as)\b",
    # "Du bist jetzt der Sprecher", not "Du bist jetzt in Sicherheit".
    r"\bdu bist (?:jetzt|nun|ab sofort|ab jetzt|von nun an|ab heute) (?:ein|eine|der|die|das|mein|meine|kein|keine)\b",
    r"\b(?:ab sofort|ab jetzt|von nun an) (?:bist|antwortest|sagst|schreibst) du\b",
    r"\bsie sind (?:jetzt|nun|ab sofort) (?:eine?\s+)?(?:ki|assistent|sprachmodell|chatbot|bot)\b",
    _CLAUSE + r"(?:tu so,? als|spiel(?:e)? die rolle)\b",
    r"\btu es (?:maintenant|désormais|dorénavant)\b",
    r"\b(?:à partir de maintenant|désormais|dorénavant),? (?:tu|vous) (?:es|êtes|réponds|répondez|dois|devez)\b",
    _CLAUSE + r"fais semblant\b",
    r"\b(?:ahora|a partir de ahora|desde ahora),? eres\b",
    r"\beres ahora\b",
    _CLAUSE + r"finge (?:ser|que)\b",
    r"\b(?:ora|adesso|da ora in poi),? sei\b",
    r"\b(?:agora|a partir de agora),? (?:você é|és)\b",
    r"\bje bent nu\b",
    # Orders about what to answer.
    _CLAUSE + r"(?:always\s+|only\s+)?(?:answer|respond|reply)\s+(?:to\s+)?(?:every|all|any|each)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:questions?|quer(?:y|ies)|requests?|prompts?)\b",
    _CLAUSE + r"(?:answer|respond|reply)\s+(?:[\w-]+\s+){0,4}?(?:with|using)\s*(?::|[\"'“„«‚]|"
    r"(?:the\s+)?(?:following|exactly|only|this|sentence|phrase|words?|statement|text)\b)",
    _CLAUSE + r"always\s+(?:answer|respond|reply|say|state|write|claim|tell)\b",
    _CLAUSE + r"(?:say|write|output|print|state|repeat|claim)\s+(?:only\s+|exactly\s+|always\s+)?"
    r"(?:the following|this exact|exactly|verbatim)\b",
    r"\btell (?:the\s+)?(?:user|reader)s?\s+(?:that|:)",
    r"\b(?:when|if|whenever|once) (?:you are|you're|you get) asked\b[^.]{0,80}?\b(?:answer|say|reply|respond|write)\b",
    r"\b(?:when|if|whenever) (?:someone|anyone|a user|the user|users|somebody) asks you\b",
    _CLAUSE + r"(?:beantworte|beantwortet|beantworten sie)\s+(?:ab sofort\s+|ab jetzt\s+|von nun an\s+|künftig\s+)?"
    r"(?:jede|alle|sämtliche|diese|jegliche)\s+(?:[\w-]+\s+){0,3}?fragen?\b",
    _CLAUSE + r"(?:antworte|antwortet|antworten sie)\s+(?:[\w-]+\s+){0,6}?(?:immer|stets|nur|ausschließlich|"
    r"grundsätzlich|mit|auf (?:jede|alle))\b",
    _CLAUSE + r"(?:sag|sage|sagen sie|schreib|schreibe|schreiben sie|gib|gebe|geben sie)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:immer|stets|nur noch|ausschließlich|folgendes|folgenden satz|genau diesen satz)\b",
    r"\b(?:wenn|falls|sobald) (?:du|man dich) (?:[\w-]+\s+){0,4}?(?:gefragt wirst|fragt)\b",
    _CLAUSE + r"(?:réponds|répondez)\s+(?:[\w'-]+\s+){0,5}?(?:toujours|uniquement|seulement|exclusivement|par|avec|"
    r"que|à (?:toutes|chaque|toute|tout))\b",
    _CLAUSE + r"(?:responde|responda|contesta|conteste|respondan)\s+(?:[\w-]+\s+){0,5}?(?:siempre|solo|sólo|"
    r"solamente|únicamente|con|que|a (?:todas|cada|toda|cualquier))\b",
    _CLAUSE + r"rispondi\s+(?:[\w'-]+\s+){0,5}?(?:sempre|solo|soltanto|con|a (?:ogni|tutte))\b",
    _CLAUSE + r"responda\s+(?:[\w-]+\s+){0,5}?(?:sempre|apenas|somente|com|a (?:todas|cada))\b",
    _CLAUSE + r"antwoord\s+(?:[\w-]+\s+){0,5}?(?:altijd|alleen|met|op (?:elke|alle))\b",
    _CLAUSE + r"odpowiadaj\s+(?:zawsze|tylko|na wszystkie)\b",
    # Chat-template and system-prompt markers.
    r"<\|[a-z_]+\|>",
    r"\[/?inst\]",
    r"<</?sys>>",
    r"^#{1,6}\s*(?:system|instructions?|prompt|assistant)\b",
    r"^(?:system|assistant)\s*:",
    r"\b(?:new|updated|your|the following|override|reveal|print|show|ignore)\s+system\s*-?\s*prompts?\b",
    r"\bsystem\s*-?\s*prompt\s*:",
    r"\b(?:new|updated|revised|real|actual|additional|secret|hidden|important)\s+instructions?\s*:",
    r"\b(?:neue|geänderte|geheime|wichtige)\s+anweisungen?\s*:",
    r"\b(?:nouvelles|nouvelle)\s+(?:instructions?|consignes?)\s*:",
    r"\b(?:nuevas|nueva)\s+(?:instrucciones|instrucción)\s*:",
    r"\b(?:developer|dan|god) mode\b",
    r"\bjailbreak",
]
# Scripts the homoglyph mapping would garble are matched on the text before it.
_NATIVE_PATTERNS = [
    r"(?:игнорируй|проигнорируй|игнорируйте|забудь|забудьте|ігноруй|проігноруй)\s+(?:\w+\s+){0,3}?"
    r"(?:инструкции|указания|правила|інструкції|вказівки)",
    r"(?:^|[.!?:;,\"«»])\s*отвечай(?:те)?\s+(?:всегда|только|на все)",
    r"\bты теперь\b",
    r"(?:önceki|tüm)\s+talimatları\s+(?:yok say|görmezden gel|unut)",
    r"(?:忽略|无视|忘记|忽視|無視)(?:之前|以上|上述|所有|先前|前面)?的?(?:所有)?(?:指令|指示|说明|提示|說明)",
    r"你现在是|你現在是",
    r"(?:以前の|前の|すべての|全ての|上記の)?指示を無視",
    r"تجاهل\s+(?:جميع\s+|كل\s+)?(?:التعليمات|الأوامر)",
]
_MATCHERS = [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in _PATTERNS]
_NATIVE_MATCHERS = [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in _NATIVE_PATTERNS]

# Hidden blocks (an HTML comment, a Markdown link-reference comment) and chat-template blocks: one that holds
# an instruction is dropped whole, since its other lines are the instruction's payload ("nobody died").
_COMMENT = re.compile(
    r"<!--.*?(?:-->|\Z)|^[ \t]*\[//\]:[ \t]*#[^\n]*$|<\|im_start\|>.*?(?:<\|im_end\|>|\Z)|\[INST\].*?(?:\[/INST\]|\Z)"
    r"|<<SYS>>.*?(?:<</SYS>>|\Z)",
    re.DOTALL | re.MULTILINE,
)


def normalise(text: str) -> str:
    """The text as the model would read it: entities decoded, NFKC, no invisible characters, no tags or
    emphasis marks, whitespace collapsed, casefolded."""
    text = unicodedata.normalize("NFKC", html.unescape(text))
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cf":  # zero-width spaces and joiners, bidi controls, soft hyphens
            continue
        kept.append(" " if category in ("Cc", "Zl", "Zp") else char)
    # Comment markers go before tags are stripped, so a comment's words stay to be read.
    text = re.sub(r"<!--|-->", " ", "".join(kept))
    text = _EMPHASIS.sub("", _TAG.sub(" ", text))
    return re.sub(r"\s+", " ", text).strip().casefold()


def addresses_ai(text: str) -> bool:
    """Whether this line or paragraph speaks to an AI or gives it orders."""
    plain = normalise(text)
    if any(m.search(plain) for m in _NATIVE_MATCHERS):
        return True
    latin = plain.translate(_HOMOGLYPHS).casefold()
    return any(m.search(latin) for m in _MATCHERS)


def flag_lines(text: str, lines: Sequence[Span]) -> list[int]:
    """Indices of the lines (spans of text) to keep out of the index: those that address an AI, every line of a
    hidden comment that holds such a line, and the line after one that ends in a colon (the payload it
    introduces)."""
    flagged = {i for i, line in enumerate(lines) if addresses_ai(text[line.start : line.end])}
    for comment in _COMMENT.finditer(text):
        inside = [i for i, line in enumerate(lines) if line.start < comment.end() and line.end > comment.start()]
        if any(i in flagged for i in inside) or addresses_ai(comment.group(0)):
            flagged.update(inside)
    for i in sorted(flagged):
        if i + 1 < len(lines) and text[lines[i].start : lines[i].end].rstrip().endswith(":"):
            flagged.add(i + 1)
    return sorted(flagged)
