"""Paragraphs, sentences and quotations as character spans.

Paragraphs
    When the text has blank lines, a paragraph is a block between blank lines
    (single newlines inside a block are line breaks within the paragraph).
    When it has no blank line at all, every non-empty line is a paragraph
    (many people separate paragraphs with a single newline).

Sentences
    A newline always ends a sentence.  Chinese: 。！？；…… (and ASCII ``! ? ; .``
    right after a Chinese character) end a sentence; runs such as ！！！ ？！
    ……） count as one terminator, and closing quotes/brackets right after it
    stay with the sentence.  A closing quote is *not* a boundary when what
    follows is a short speech clause (“真的吗？”她问。 is one sentence, and so
    is "Really?" Tom asked.) — only when a new sentence follows.  English:
    ``. ! ?`` followed by a space and a capital letter, an opening quote or a
    Chinese character; not after abbreviations (Mr. Dr. e.g. …), initials
    (J. K. Rowling), inside numbers (3.14, $2.50), URLs or e-mail addresses;
    an ellipsis ends a sentence only before a capitalised word other than "I".

Quotations
    Quoted spans are found per paragraph: “…” 「…」 『…』 ‘…’ 〝…〞 and straight
    "…" (toggling).  A quote never runs past its paragraph; an unclosed quote
    runs to the paragraph's end (the convention for dialogue that continues
    into the next paragraph).  ’ between two letters is an apostrophe
    (don’t), and a “ while a “ is open is taken as a mistyped closing mark.
    Spans include the quotation marks themselves.
"""

from __future__ import annotations

import re

from ._chars import is_cjk_char

_LINE = re.compile(r"[^\n]+")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")

_BOUNDARY = re.compile(r"([。！？!?；;．｡…\.]+)([”’」』）)\]】》〉〞\"'＂]*)")
_FULLWIDTH_TERM = frozenset("。！？；．｡")
_QUOTE_CLOSERS = frozenset("”’」』〞\"'＂")
_OPENERS = frozenset("“‘「『〝\"'＂(（[【《〈")
_OPEN_QUOTES = ("“", "「", "『", '"', "〝", "＂")
_NO_SPLIT_BEFORE = frozenset("，、,：:；;)）]】》〉」』”’〞")

_WORD_BEFORE = re.compile(r"[A-Za-z](?:[A-Za-z]|\.(?=[A-Za-z]))*$")
_ABBR_NEVER_END = frozenset(
    "mr mrs ms mx dr prof st mt vs v e.g i.e cf viz al gen col capt lt sgt cpl maj adm rev "
    "fr hon gov sen rep pres supt insp det messrs mme mlle approx dept est fig figs eq vol "
    "vols pp ch".split()
)
_ABBR_MAY_END = frozenset("etc jr sr inc ltd co corp bros llc ave rd blvd".split())
_STARTER = re.compile(
    r"(?:I|We|He|She|They|It|You|The|This|That|These|Those|There|Then|But|And|So|After|"
    r"Before|When|While|My|Our|Your|His|Her|Their|A|An|In|On|At|As|If|Yet|Now|Later|Next|"
    r"Finally|Still|Everyone|Nobody|Today|Tomorrow|Yesterday|Soon|Once|What|Why|How|Where|"
    r"Who|Mom|Dad)\b"
)
_PRONOUN_I = re.compile(r"I(?![A-Za-z.])")

_ZH_CLAUSE_END = re.compile(r"[。！？!?；;…，,：:“「『\"]")
_ZH_SPEECH = re.compile(
    r"说|說|问|問|答|喊|叫|嚷|讲|講|骂|罵|吼|叹|嘆|嘀咕|嘟囔|嘟哝|嘟噥|回应|回應|告诉|告訴|"
    r"补充|補充|解释|解釋|提醒|安慰|劝|勸|念叨|唸叨|叮嘱|叮囑|喃喃|低语|低語|感叹|感慨|尖叫|"
    r"追问|追問|心想|暗想|想道|(?<![知味难難街轨軌频頻管渠])道(?![路理歉德具别別])"
)
_EN_CLAUSE_END = re.compile(r"[.!?;:,…\"“”]")
_EN_SPEECH = re.compile(
    r"\b(?:said|says|say|asked|asks|replied|replies|answered|answers|whispered|whispers|"
    r"shouted|shouts|yelled|yells|cried|screamed|muttered|murmured|called|added|continued|"
    r"explained|exclaimed|laughed|laughs|sighed|sighs|told|snapped|insisted|admitted|agreed|"
    r"begged|demanded|wondered|thought|groaned|sobbed|pleaded|protested|repeated|suggested|"
    r"warned|hissed|mumbled|stammered|gasped|offered|promised|interrupted|joked|teased|"
    r"whimpered|breathed)\b",
    re.IGNORECASE,
)


def _zh_speech_tag(text: str, j: int, line_end: int) -> bool:
    limit = min(line_end, j + 16)
    m = _ZH_CLAUSE_END.search(text, j, limit)
    end = m.start() if m else limit
    if m is None and limit < line_end:
        return False
    return end - j <= 12 and _ZH_SPEECH.search(text, j, end) is not None


def _en_speech_tag(text: str, j: int, line_end: int) -> bool:
    limit = min(line_end, j + 48)
    m = _EN_CLAUSE_END.search(text, j, limit)
    end = m.start() if m else limit
    if m is None and limit < line_end:
        return False
    if len(text[j:end].split()) > 6:
        return False
    return _EN_SPEECH.search(text, j, end) is not None


def _attributed_before(text: str, ts: int, line_start: int) -> bool:
    """True when the quote ending at ``ts`` was introduced by 她问： / she asked, / said:."""
    pos = max(text.rfind(q, line_start, ts) for q in _OPEN_QUOTES)
    if pos <= line_start:
        return False
    k = pos - 1
    while k > line_start and text[k] == " ":
        k -= 1
    return text[k] in "：:，,"


def _is_boundary(text: str, ts: int, te: int, ce: int, line_start: int, line_end: int) -> bool:
    """Decide whether the terminator ``text[ts:te]`` (+ closers up to ``ce``) ends a sentence."""
    if ts == line_start:
        return False  # nothing before it on this line
    j = ce
    while j < line_end and text[j] in " \t":
        j += 1
    if j >= line_end:
        return True
    nxt = text[j]
    if nxt in _NO_SPLIT_BEFORE:
        return False
    term = text[ts:te]
    prev = text[ts - 1]
    quoted = ce > te and any(c in _QUOTE_CLOSERS for c in text[te:ce])

    if is_cjk_char(prev) or any(c in _FULLWIDTH_TERM for c in term):
        # Chinese rules: every terminator ends a sentence…
        if j == ce and term[0] == "." and "…" not in term and nxt.isascii() and nxt.isalnum():
            return False  # 网址.com, 版本2.0
        # …except a closing quote followed by a speech clause (“真的吗？”她问。)
        if quoted and not _attributed_before(text, ts, line_start) and _zh_speech_tag(text, j, line_end):
            return False
        return True

    # English rules
    if j == ce:  # no space after the terminator: 3.14, e.g., U.S., example.com
        return is_cjk_char(nxt)
    if not any(c in ".!?…" for c in term):
        return False  # a semicolon does not end an English sentence
    if not (nxt.isupper() or nxt in _OPENERS or is_cjk_char(nxt)):
        return False
    if "…" in term or ".." in term:
        if _PRONOUN_I.match(text, j):
            return False  # "I was… I was scared."
    elif term == "." and ce == te:
        m = _WORD_BEFORE.search(text, max(line_start, ts - 24), ts)
        if m is not None:
            word = m.group()
            low = word.lower()
            if low in _ABBR_NEVER_END:
                return False
            if len(word) == 1 and word.isupper():
                return False  # an initial: J. K. Rowling
            acronym = "." in word and all(len(part) <= 2 for part in word.split("."))
            if (low in _ABBR_MAY_END or acronym) and not _STARTER.match(text, j):
                return False  # etc., a.m., U.S. end a sentence only before a typical opener
    if quoted and not _attributed_before(text, ts, line_start) and _en_speech_tag(text, j, line_end):
        return False
    return True


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text[start:end]``, whitespace-stripped.

    See the module docstring for the rules.  Spans never contain a newline.
    """
    if end is None:
        end = len(text)
    spans: list[tuple[int, int]] = []
    append = spans.append
    finditer = _BOUNDARY.finditer
    for line in _LINE.finditer(text, start, end):
        ls, le = line.span()
        seg = ls
        for m in finditer(text, ls, le):
            ts, te = m.span(1)
            ce = m.end()
            if _is_boundary(text, ts, te, ce, ls, le):
                s, e = _strip_span(text, seg, ce)
                if s < e:
                    append((s, e))
                seg = ce
        s, e = _strip_span(text, seg, le)
        if s < e:
            append((s, e))
    return spans


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraph spans (whitespace-stripped); see the module docstring for the rule."""
    spans: list[tuple[int, int]] = []
    if _BLANK_LINE.search(text):
        pos = 0
        for m in _BLANK_LINE.finditer(text):
            s, e = _strip_span(text, pos, m.start())
            if s < e:
                spans.append((s, e))
            pos = m.end()
        s, e = _strip_span(text, pos, len(text))
        if s < e:
            spans.append((s, e))
    else:
        for m in _LINE.finditer(text):
            s, e = _strip_span(text, *m.span())
            if s < e:
                spans.append((s, e))
    return spans


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha() or "\u00c0" <= ch <= "\u024f"


_QUOTE_MARK = re.compile("[“”「」『』‘’〝〞\"＂]")
_CLOSE_TO_OPEN = {"”": "“", "」": "「", "』": "『", "’": "‘", "〞": "〝"}
_OPENING = frozenset("“「『‘〝")
_MAX_DEPTH = 16  # deeper nesting is noise (and would make this quadratic)


def quote_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Quoted spans (quotation marks included) within one paragraph ``text[start:end]``.

    Returns sorted, non-overlapping spans (nested quotes are merged into the
    outer one).  See the module docstring for the rules.
    """
    if end is None:
        end = len(text)
    raw: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for m in _QUOTE_MARK.finditer(text, start, end):
        q = m.group()
        i = m.start()
        if q in _OPENING:
            if q == "“" and stack and stack[-1][0] == "“":
                raw.append((stack.pop()[1], i + 1))  # “…“ typed for “…”
            elif len(stack) < _MAX_DEPTH:
                stack.append((q, i))
            continue
        opener = _CLOSE_TO_OPEN.get(q)
        if opener is None:  # straight quotes toggle
            opener = q
            if not any(o == q for o, _ in stack):
                if len(stack) < _MAX_DEPTH:
                    stack.append((q, i))
                continue
        if q == "’" and 0 < i < end - 1 and _latin(text[i - 1]) and _latin(text[i + 1]):
            continue  # an apostrophe: don’t (never between Chinese characters: 那个‘家’早就)
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == opener:
                raw.append((stack[k][1], i + 1))
                del stack[k:]
                break
    if stack:
        raw.append((stack[0][1], end))  # unclosed: runs to the paragraph's end
    if len(raw) <= 1:
        return raw
    raw.sort()
    merged = [raw[0]]
    for s, e in raw[1:]:
        ls, le = merged[-1]
        if s < le:
            if e > le:
                merged[-1] = (ls, e)
        else:
            merged.append((s, e))
    return merged
