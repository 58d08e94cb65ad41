"""Find and reversibly redact personal data before text leaves the machine.

Issue #7 §2.  Before a story is sent to a model on a non-loopback host
(:func:`is_loopback`), :func:`redact` replaces personal data with bracketed
placeholders in the text's language (``[人名1]``, ``[电话1]`` / ``[NAME_1]``,
``[PHONE_1]``), and :meth:`Redaction.restore` maps them back in what the model
returns, so the user's story keeps its names.  Nothing here goes online.

What is found (``PiiSpan.kind``):

* ``email`` — ``local@domain.tld``;
* ``id_number`` — Chinese resident ID: 18 digits (last may be X) passing the
  GB 11643-1999 ISO 7064 MOD 11-2 checksum with a valid birth date, or the
  old 15-digit form with a valid 19YYMMDD birth date;
* ``bank_card`` — 16–19 digits (optionally in groups of 4) passing Luhn;
* ``phone`` — mainland mobiles ``1[3-9]`` + 9 digits (``+86``/``0086``,
  spaces or dashes), landlines ``0AA(A)-NNNNNNN(N)``, Hong Kong ``+852`` + 8
  digits, Taiwan ``09xx-xxx-xxx`` / ``+886``, any other ``+CC`` number with
  8–15 digits, North-American ``(555) 123-4567``; a bare 8-digit HK number
  only after a phone word (电话, 手機, call, phone…).  Numbers glued to other
  digits, decimals, currency signs or units (元, 年, %, …) are not phones;
* ``address`` — Chinese ``…省…市…区…路/街…号`` (a street or estate *with a
  number*; a city alone is not an address), English ``number + Name +
  Street/St/Rd/Ave…`` (with an optional apartment/unit);
* ``organization`` — schools and employers: LAC ``ORG`` entities and words
  ending in 大学/中学/小学/学院/公司/集团/医院…; English capitalised names
  ending in University/College/High School/Inc/Ltd… or ``University of X``;
* ``name`` — people: LAC ``PER`` (Chinese, on the Simplified view of
  Traditional text), the English element rules' persons (titles such as Mr.
  or Aunt stay), ``老王``/``小李`` surname nicknames, and any ``names`` the
  caller passes.  Kinship and role words (妈妈, 老奶奶, 老师, grandma) are
  not identifying and are never redacted (张老师 → ``[人名1]老师``).

Every occurrence of a detected name or organisation is redacted, not only
the one the tagger saw.  Spans never overlap; when two detectors claim the
same characters, the order above wins (an 18-digit ID is not also a card).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

__all__ = [
    "KINDS",
    "PiiSpan",
    "Redaction",
    "find_pii",
    "is_loopback",
    "redact",
]

NAME, PHONE, ID_NUMBER, EMAIL, ADDRESS, BANK_CARD, ORGANIZATION = (
    "name", "phone", "id_number", "email", "address", "bank_card", "organization")
KINDS = (NAME, PHONE, ID_NUMBER, EMAIL, ADDRESS, BANK_CARD, ORGANIZATION)

# Which detector wins an overlap (lower first): structured, checksummed data
# before free patterns, and patterns before the taggers' names.
PRIORITY = {EMAIL: 0, ID_NUMBER: 1, BANK_CARD: 2, PHONE: 3, ADDRESS: 4, ORGANIZATION: 5, NAME: 6}

# Placeholder labels per language.  restore() accepts any of them for a kind
# (a model may translate a label), and ignores case, spaces, _/-, bracket shape.
LABELS = {
    "zh": {NAME: "人名", PHONE: "电话", ID_NUMBER: "身份证号", EMAIL: "邮箱", ADDRESS: "地址",
           BANK_CARD: "银行卡号", ORGANIZATION: "机构"},
    "zh-hant": {NAME: "人名", PHONE: "電話", ID_NUMBER: "身份證號", EMAIL: "郵箱", ADDRESS: "地址",
                BANK_CARD: "銀行卡號", ORGANIZATION: "機構"},
    "en": {NAME: "NAME", PHONE: "PHONE", ID_NUMBER: "ID_NUMBER", EMAIL: "EMAIL", ADDRESS: "ADDRESS",
           BANK_CARD: "BANK_CARD", ORGANIZATION: "ORG"},
}
# More spellings a model might produce, accepted by restore() only.
EXTRA_LABELS = {NAME: ("姓名", "名字", "PERSON"), PHONE: ("手机", "手機", "TEL", "PHONE_NUMBER"),
                ID_NUMBER: ("身份证", "身份證", "ID"), EMAIL: ("电子邮箱", "電子郵箱", "邮件", "MAIL"),
                ADDRESS: ("住址", "ADDR"), BANK_CARD: ("银行卡", "銀行卡", "CARD", "CARD_NUMBER"),
                ORGANIZATION: ("組織", "组织", "单位", "單位", "ORGANIZATION", "ORGANISATION")}

# Full-width digits and ASCII punctuation → ASCII, one character for one, so
# the patterns below see １３８… as 138… with unchanged offsets.
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_D = r"(?<![0-9A-Za-z.])"  # nothing number-like before
_E = r"(?![0-9A-Za-z])"  # nothing number-like after
_SEP = r"[ \-\u2010-\u2015]?"  # optional space or dash between digit groups

# -- emails, IDs, cards --------------------------------------------------------

EMAIL_RE = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}(?![\w-])")
ID18_RE = re.compile(_D + r"[1-9]\d{5} ?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]) ?\d{3}[0-9Xx]" + _E)
ID15_RE = re.compile(_D + r"[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}" + _E)
CARD_RE = re.compile(_D + r"(?:\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?|\d{16,19})" + _E)
# GB 11643-1999: weights 2^(17-i) mod 11; check digit table for sum mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

# -- phones --------------------------------------------------------------------

_PHONE_PATTERNS = (
    # mainland mobile, optional +86 / 0086 / (+86)
    r"(?:(?:\+|00)86[ \-]?|\(\+?86\)[ ]?)?1[3-9]\d" + _SEP + r"\d{4}" + _SEP + r"\d{4}",
    # mainland landline: 0AA-NNNNNNNN / (0AA) NNNNNNNN / +86 AA NNNNNNNN
    r"(?:\+86[ \-]?\(?0?\d{2,3}\)?[ \-]?|\(0\d{2,3}\)[ ]?|0\d{2,3}[ \-])\d{7,8}(?:-\d{1,4})?",
    # Hong Kong with country code
    r"(?:\+|00)852[ \-]?[235689]\d{3}" + _SEP + r"\d{4}",
    # Taiwan mobile and landline
    r"(?:\+886[ \-]?|0)9\d{2}" + _SEP + r"\d{3}" + _SEP + r"\d{3}",
    r"\+886[ \-]?\(?\d{1,2}\)?[ \-]?\d{3,4}" + _SEP + r"\d{4}",
    # North America: (555) 123-4567, 555-123-4567, 555.123.4567, +1 …
    r"(?:\+1[ \-.]?)?(?:\(\d{3}\)[ ]?|\d{3}[\-.])\d{3}[\-.]\d{4}",
    # any other international number: +CC then 7-14 more digits in groups
    r"\+[1-9]\d{0,2}[ \-]?(?:\(\d{1,4}\)[ \-]?)?\d{1,4}(?:[ \-]?\d{2,5}){1,5}",
)
PHONE_RE = re.compile(_D + r"(?:" + "|".join(_PHONE_PATTERNS) + r")" + _E)
# A bare 8-digit Hong Kong number (2/3/5/6/9 first) only right after a phone word:
# alone, 2019 2020 or 20190307 would match.
HK_BARE_RE = re.compile(
    r"(?:电话|電話|手机|手機|号码|號碼|致电|致電|热线|熱線|打给|打給|打|call(?:ed)?|phone|tel\.?|mobile|cell|"
    r"whatsapp|number)[^0-9\n]{0,6}?" + _D + r"([235689]\d{3}" + _SEP + r"\d{4})" + _E, re.I)
# What makes a digit run a quantity rather than a phone (after it / before it).
NOT_PHONE_AFTER = re.compile(r"\s?(?:元|块|塊|圆|圓|角|分钱|年|月|日|号|號|岁|歲|%|％|‰|万|萬|亿|億|米|公里|km|kg|"
                             r"yuan|dollars?|usd|rmb|hkd|ntd|years?|km)", re.I)
NOT_PHONE_BEFORE = re.compile(r"(?:[¥￥$€£]|RMB|HK\$|NT\$|US\$)\s?$", re.I)

# -- addresses -----------------------------------------------------------------

# Characters that end an address on its left (verbs, pronouns, particles).
_ZH_STOP = "在住于於到是的我你他她它们們从從往向了和与與跟把被就都也还還说說去来來回搬离離寄送给給地址叫为為"
_ZH_ADDR_CHAR = rf"(?:[{_CJK}0-9A-Za-z](?<![{_ZH_STOP}]))"
_ZH_NUM = r"[0-9一二三四五六七八九十百千零〇两兩]+"
ZH_ADDRESS_RE = re.compile(
    rf"(?:{_ZH_ADDR_CHAR}{{1,10}}?(?:省|自治区|自治區|特别行政区|特別行政區))?"
    rf"(?:{_ZH_ADDR_CHAR}{{1,8}}?(?:市|州|盟))?"
    rf"(?:{_ZH_ADDR_CHAR}{{1,8}}?(?:区|區|县|縣|旗|镇|鎮|乡|鄉))?"
    rf"{_ZH_ADDR_CHAR}{{1,12}}?(?:路|街|大道|道|巷|弄|胡同|里|小区|小區|村|苑|花园|花園|公寓|大厦|大廈|新村)"
    rf"(?:{_ZH_NUM}段)?(?:{_ZH_NUM}(?:号|號|弄|巷|栋|棟|幢|座|单元|單元|室|楼|樓|层|層|户|戶|号楼|號樓)){{1,6}}"
)
_EN_STREET = (r"Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|"
              r"Terrace|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Crescent|Close|Square|Sq|Row|Alley|Walk")
EN_ADDRESS_RE = re.compile(
    r"\b\d{1,6}[A-Za-z]?,?\s+(?:(?:[NSEW]|North|South|East|West)\.?\s+)?"
    r"(?:[A-Z][A-Za-z'’-]*\.?\s+){1,4}(?:" + _EN_STREET + r")\b\.?"
    r"(?:,?\s*(?:Apt|Apartment|Unit|Suite|Flat|#)\.?\s*#?[0-9A-Za-z-]+)?"
)

# -- organisations ---------------------------------------------------------------

ZH_ORG_SUFFIXES = ("大学", "大學", "中学", "中學", "小学", "小學", "学院", "學院", "幼儿园", "幼兒園", "高中",
                   "初中", "公司", "集团", "集團", "医院", "醫院", "银行", "銀行", "研究所", "研究院",
                   "事务所", "事務所", "工厂", "工廠", "厂", "廠", "学校", "學校")
# Generic heads: 小学/医院 alone, or with a non-naming modifier, name no one.
ZH_GENERIC_ORG = re.compile(
    r"^(?:[这那哪每某本该該一两兩几幾各上读讀考去回进進在到离離出住大小新老好附近附属附屬市区區县縣省]|我们|我們|我|你|他|她|"
    r"一所|一家|那所|这所|那家|这家|公立|私立|当地|當地|重点|重點|普通)*"
    r"(?:大学|大學|中学|中學|小学|小學|学院|學院|幼儿园|幼兒園|高中|初中|公司|集团|集團|医院|醫院|银行|銀行|"
    r"研究所|研究院|事务所|事務所|工厂|工廠|厂|廠|学校|學校)$")
EN_ORG_RE = re.compile(
    r"\b(?:University|College|Institute|Academy) of (?:[A-Z][A-Za-z.&'’-]*)(?:\s+(?:[A-Z][A-Za-z.&'’-]*))*"
    r"|\b(?:(?!(?:The|A|An|My|Our|Your|His|Her|Their|This|That|At|In|To|From|When|After|Before|Then)\b)"
    r"[A-Z][A-Za-z.&'’-]*\s+){1,5}"
    r"(?:University|College|High School|Middle School|Elementary School|Primary School|School|Academy|"
    r"Institute|Hospital|Bank|Inc|Ltd|LLC|Corp|Corporation|Company|Co|Group|Clinic|Foundation)\b\.?"
)

# -- names -----------------------------------------------------------------------

_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤"
    "張劉陳楊黃趙吳孫馬鄭羅謝許韓馮鄧彭蕭葉蘇呂鍾譚陸範賈韋鄒龍賀顧龔萬錢湯")
ZH_NICKNAME_RE = re.compile(r"[老小阿]([" + "".join(sorted(_SURNAMES)) + r"])(?=[，。！？、,.!?\s说說和跟与與也都就是的]|$)")
# English titles kept outside the placeholder (Mr. [NAME_1], Aunt [NAME_2]).
EN_TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "prof", "professor", "officer", "captain", "coach",
    "sir", "madam", "nurse", "aunt", "auntie", "uncle", "grandma", "grandpa", "granny", "cousin",
    "brother", "sister", "father", "mother", "mom", "mum", "dad", "pastor", "father", "judge",
})
# Function characters LAC sometimes attaches to the end of a PER word.
NAME_TRAILERS = frozenset("和跟与與同及说說也都就的")
_SENTENCE_END_ZH = re.compile(r"[^。！？!?；;\n]+[。！？!?；;\n]*")


@dataclass(slots=True)
class PiiSpan:
    """One piece of personal data: ``text`` is ``source[start:end]``."""

    kind: str
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Redaction:
    """A redacted text and how to undo it.

    ``text`` is safe to send; ``mapping`` maps each placeholder (``[人名1]``)
    to what it replaced; ``spans`` are the redacted spans of the original.
    """

    text: str
    mapping: dict[str, str] = field(default_factory=dict)
    spans: list[PiiSpan] = field(default_factory=list)

    def restore(self, generated: str) -> str:
        """``generated`` with every placeholder mapped back to the original text.

        Tolerant of what a model does to a placeholder: full-width or other
        brackets (【人名1】, ［NAME_1］, (NAME 1)), spaces inside, any case,
        ``_``/``-``/space/nothing before the number, full-width digits, and a
        label in the other language ([NAME_1] for [人名1]).  Unknown numbers
        are left as they are.
        """
        if not self.mapping or not generated:
            return generated
        table: dict[tuple[str, int], str] = {}
        for placeholder, original in self.mapping.items():
            key = _placeholder_key(placeholder)
            if key is not None:
                table[key] = original

        def swap(m: re.Match[str]) -> str:
            kind = _LABEL_KIND.get(_norm_label(m.group(2)))
            number = int(m.group(3).translate(_FULLWIDTH))
            return table.get((kind, number), m.group(0)) if kind else m.group(0)

        return _placeholder_re().sub(swap, generated)


def find_pii(text: str, lang: str | None = None, *, names: Iterable[str] = ()) -> list[PiiSpan]:
    """Personal data in ``text``: non-overlapping spans sorted by position.

    Args:
        text: any string (never raises on content).
        lang: ``"zh"``, ``"en"`` or ``None`` (both detectors run as the text's
            scripts need; ``lang`` only limits the name/organisation taggers).
        names: more names to redact wherever they occur (e.g. the characters
            an analysis found); kinship and role words among them are ignored.

    Returns:
        A list of :class:`PiiSpan` (kinds in :data:`KINDS`).
    """
    if not isinstance(text, str) or not text:
        return []
    view = text.translate(_FULLWIDTH)
    found: list[PiiSpan] = []
    found += _emails(text, view)
    found += _ids(text, view)
    found += _cards(text, view)
    found += _phones(text, view)
    found += _addresses(text, view)
    has_cjk = re.search(f"[{_CJK}]", text) is not None
    has_latin = re.search(r"[A-Za-z]{2}", text) is not None
    zh = lang is None or str(lang).lower().startswith("zh")
    en = lang is None or str(lang).lower().startswith("en") or not has_cjk
    surface_names: set[str] = set()
    surface_orgs: set[str] = set()
    if has_cjk and zh:
        n, o = _zh_entities(text)
        surface_names |= n
        surface_orgs |= o
    if has_latin and en:
        n, o = _en_entities(text)
        surface_names |= n
        surface_orgs |= o
    surface_names |= {s.strip() for s in names if isinstance(s, str) and _identifying(s.strip())}
    found += _all_occurrences(text, surface_orgs, ORGANIZATION)
    found += _all_occurrences(text, surface_names, NAME)
    return _resolve(found)


def redact(text: str, lang: str | None = None, *, names: Iterable[str] = ()) -> Redaction:
    """Replace personal data in ``text`` with numbered placeholders.

    The same original text always gets the same placeholder (``[人名1]`` is
    one person everywhere).  Labels are Chinese (Simplified or Traditional as
    the text is written) when ``lang`` is ``zh`` or the text is mostly
    Chinese, else English.  Undo with :meth:`Redaction.restore`.
    """
    spans = find_pii(text, lang, names=names)
    if not spans:
        return Redaction(text=text if isinstance(text, str) else "", mapping={}, spans=[])
    labels = LABELS[_label_language(text, lang)]
    counters: dict[str, int] = {}
    by_original: dict[tuple[str, str], str] = {}
    mapping: dict[str, str] = {}
    pieces: list[str] = []
    pos = 0
    for span in spans:
        key = (span.kind, span.text)
        placeholder = by_original.get(key)
        if placeholder is None:
            counters[span.kind] = counters.get(span.kind, 0) + 1
            label = labels[span.kind]
            sep = "_" if label.isascii() else ""
            placeholder = f"[{label}{sep}{counters[span.kind]}]"
            by_original[key] = placeholder
            mapping[placeholder] = span.text
        pieces.append(text[pos:span.start])
        pieces.append(placeholder)
        pos = span.end
    pieces.append(text[pos:])
    return Redaction(text="".join(pieces), mapping=mapping, spans=spans)


def is_loopback(url: str) -> bool:
    """Whether ``url`` points at this machine (so text sent there stays local).

    True for ``localhost`` (and ``*.localhost``), 127.0.0.0/8, ``::1`` (also
    IPv4-mapped ``::ffff:127.x``), and Unix sockets (``unix:``,
    ``http+unix://``, a bare filesystem path).  Anything else — including
    ``0.0.0.0``, private LAN addresses and unparsable URLs — is remote.
    """
    if not isinstance(url, str):
        return False
    raw = url.strip()
    if not raw:
        return False
    lowered = raw.lower()
    if lowered.startswith(("unix:", "http+unix:", "https+unix:")) or raw.startswith("/"):
        return True
    if "://" not in raw:
        raw = "http://" + raw
    try:
        host = urlsplit(raw).hostname
    except ValueError:
        return False
    if not host:
        return False
    host = host.rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost") or host in ("ip6-localhost", "ip6-loopback"):
        return True
    try:
        addr = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr.is_loopback


# -- detectors -----------------------------------------------------------------


def _emails(text: str, view: str) -> list[PiiSpan]:
    return [PiiSpan(EMAIL, text[m.start():m.end()], m.start(), m.end()) for m in EMAIL_RE.finditer(view)]


def id_checksum_ok(number: str) -> bool:
    """GB 11643-1999 check digit of an 18-character resident ID (X allowed last)."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS))
    return ID_CHECK[total % 11] == number[17].upper()


def luhn_ok(digits: str) -> bool:
    """Whether a digit string passes the Luhn (mod 10) check."""
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _valid_date(y: int, m: int, d: int) -> bool:
    import datetime

    try:
        datetime.date(y, m, d)
    except ValueError:
        return False
    return True


def _ids(text: str, view: str) -> list[PiiSpan]:
    out = []
    for m in ID18_RE.finditer(view):
        number = m.group(0).replace(" ", "")
        if id_checksum_ok(number) and _valid_date(int(number[6:10]), int(number[10:12]), int(number[12:14])):
            out.append(PiiSpan(ID_NUMBER, text[m.start():m.end()], m.start(), m.end()))
    for m in ID15_RE.finditer(view):
        number = m.group(0)
        if _valid_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12])) and not luhn_ok(number):
            out.append(PiiSpan(ID_NUMBER, text[m.start():m.end()], m.start(), m.end()))
    return out


def _cards(text: str, view: str) -> list[PiiSpan]:
    out = []
    for m in CARD_RE.finditer(view):
        digits = re.sub(r"[ -]", "", m.group(0))
        if 16 <= len(digits) <= 19 and luhn_ok(digits) and len(set(digits)) > 1:
            out.append(PiiSpan(BANK_CARD, text[m.start():m.end()], m.start(), m.end()))
    return out


def _quantity_context(view: str, start: int, end: int) -> bool:
    return bool(NOT_PHONE_AFTER.match(view, end) or NOT_PHONE_BEFORE.search(view, max(0, start - 4), start))


def _phones(text: str, view: str) -> list[PiiSpan]:
    out = []
    for m in PHONE_RE.finditer(view):
        s, e = m.start(), m.end()
        digits = re.sub(r"\D", "", m.group(0))
        if not 7 <= len(digits) <= 15 or _quantity_context(view, s, e):
            continue
        if re.fullmatch(r"(?:19|20)\d{2}[\-.](?:0?[1-9]|1[0-2])[\-.]\d{1,4}", m.group(0)):
            continue  # 2019-03-0712 style dates are not phones
        out.append(PiiSpan(PHONE, text[s:e], s, e))
    for m in HK_BARE_RE.finditer(view):
        s, e = m.start(1), m.end(1)
        if not _quantity_context(view, s, e):
            out.append(PiiSpan(PHONE, text[s:e], s, e))
    return out


def _addresses(text: str, view: str) -> list[PiiSpan]:
    out = [PiiSpan(ADDRESS, text[m.start():m.end()], m.start(), m.end()) for m in ZH_ADDRESS_RE.finditer(view)]
    out += [PiiSpan(ADDRESS, text[m.start():m.end()].rstrip(), m.start(), m.start() + len(m.group(0).rstrip()))
            for m in EN_ADDRESS_RE.finditer(view)]
    return out


def _zh_entities(text: str) -> tuple[set[str], set[str]]:
    """People's names and organisations in the Chinese parts of ``text`` (as written)."""
    from ..analysis import _lexicons
    from ..analysis._ner_zh import NOT_NAMES, simplified_view

    names: set[str] = set()
    orgs: set[str] = set()
    chunks = [(m.start(), m.group(0)) for m in _SENTENCE_END_ZH.finditer(text) if re.search(f"[{_CJK}]", m.group(0))]
    if not chunks:
        return names, orgs
    roles = _lexicons.zh().characters
    try:
        from ..analysis import _ner_lac

        tagged = _ner_lac.tag([simplified_view(c) for _, c in chunks])
    except Exception:  # the tagger could not load: fall back to the patterns alone
        tagged = [[] for _ in chunks]
    for (base, chunk), tags in zip(chunks, tagged):
        for s, e, word, tag in tags:
            surface = chunk[s:e]
            if tag == "PER" and len(word) >= 2 and word not in NOT_NAMES and word not in roles:
                trimmed = _strip_role(word, roles)
                if trimmed is not None:
                    names.add(surface[: len(trimmed)])
            elif tag == "ORG" and len(word) >= 3:
                orgs.add(surface)
            elif tag in ("n", "nz", "LOC") and word.endswith(ZH_ORG_SUFFIXES) and not ZH_GENERIC_ORG.match(word):
                suffix = next(x for x in ZH_ORG_SUFFIXES if word.endswith(x))
                if len(word) - len(suffix) >= 2:  # a naming modifier: 华为公司, not 大公司
                    orgs.add(surface)
        # LOC + 大学/医院… written as two words (北京 + 大学)
        for k in range(len(tags) - 1):
            (s1, _, w1, t1), (_, e2, w2, _) = tags[k], tags[k + 1]
            if t1 in ("LOC", "ORG", "nz") and w2 in ZH_ORG_SUFFIXES and not ZH_GENERIC_ORG.match(w1 + w2):
                orgs.add(chunk[s1:e2])
    for m in ZH_NICKNAME_RE.finditer(text):
        word = m.group(0)
        if simplified_view(word) not in roles and simplified_view(word) not in NOT_NAMES:
            names.add(word)
    return names, orgs


def _strip_role(word: str, roles: dict[str, str]) -> str | None:
    """张老师 → 张; 李明和 → 李明; 李明 → 李明; None when nothing but a role is left."""
    while len(word) >= 3 and word[-1] in NAME_TRAILERS:
        word = word[:-1]  # LAC sometimes swallows a following 和/跟/说
    for k in range(1, len(word)):
        if word[k:] in roles:
            return word[:k] if word[:k] else None
    return word


def _en_entities(text: str) -> tuple[set[str], set[str]]:
    """People's names and organisations in the English parts of ``text``."""
    names: set[str] = set()
    orgs: set[str] = {m.group(0).rstrip(".") if not m.group(0).endswith(("Inc.", "Ltd.", "Co.", "Corp."))
                      else m.group(0) for m in EN_ORG_RE.finditer(text)}
    try:
        from ..analysis import _lexicons, _ner_en
        from ..analysis._ner_common import CHARACTER, PLACE
        from ..errors import StoryLoomError
        from ..text import prepare

        try:
            doc = prepare(text, None, max_chars=max(len(text) * 2, 1))
        except StoryLoomError:
            return names, orgs
        sentences = [s for s in doc.sentences if s.language.value != "zh"]
        found = _ner_en.extract(sentences, doc.text) if sentences else []
    except Exception:  # rules unavailable: the patterns alone
        return names, orgs
    for f in found:
        if f.category == CHARACTER and f.kind in ("person", "kinship", "role"):
            words = f.text.split()
            while words and words[0].lower().rstrip(".") in EN_TITLES:
                words = words[1:]
            name = " ".join(words).strip(" .,'’")
            if name and name[0].isupper() and _identifying(name):
                names.add(name)
                parts = name.split()
                if len(parts) > 1:  # Sarah Johnson … Sarah said: the parts alone too
                    common = _lexicons.en_common()
                    names.update(p for p in (parts[0], parts[-1])
                                 if len(p) >= 3 and p[0].isupper() and p.lower() not in common and _identifying(p))
        elif f.category == PLACE and f.kind == "organisation":
            orgs.add(f.text)
    return names, orgs


def _identifying(word: str) -> bool:
    """False for kinship/role/group words (妈妈, 老奶奶, 老师, grandma), pronouns and too-short strings."""
    if not word or len(word) < 2 and not re.match(f"[{_CJK}]", word):
        return False
    if len(word) < 2:
        return False
    from ..analysis import _lexicons
    from ..analysis._ner_zh import simplified_view

    lower = word.lower()
    en_lex = _lexicons.en().characters
    if lower in en_lex or lower.rstrip("s") in en_lex or lower in EN_TITLES:
        return False
    if lower in ("i", "me", "we", "you", "he", "she", "they", "narrator"):
        return False
    simp = simplified_view(word)
    zh_lex = _lexicons.zh().characters
    if simp in zh_lex or (simp.endswith("们") and simp[:-1] in zh_lex):
        return False
    if simp in ("我", "我们", "你", "他", "她", "他们", "她们", "咱们"):
        return False
    return True


def _all_occurrences(text: str, surfaces: set[str], kind: str) -> list[PiiSpan]:
    out = []
    for surface in sorted(surfaces, key=len, reverse=True):
        if not surface or not surface.strip():
            continue
        ascii_word = surface[:1].isascii() and surface[-1:].isascii()
        pattern = re.escape(surface)
        if ascii_word:
            pattern = r"(?<![A-Za-z0-9])" + pattern + r"(?![A-Za-z0-9])"
        for m in re.finditer(pattern, text):
            out.append(PiiSpan(kind, m.group(0), m.start(), m.end()))
    return out


def _resolve(found: list[PiiSpan]) -> list[PiiSpan]:
    """Non-overlapping spans: higher priority, then longer, then earlier wins."""
    ordered = sorted(found, key=lambda s: (PRIORITY[s.kind], -(s.end - s.start), s.start))
    taken: list[tuple[int, int]] = []
    kept: list[PiiSpan] = []
    for span in ordered:
        if span.end <= span.start:
            continue
        if any(span.start < e and s < span.end for s, e in taken):
            continue
        taken.append((span.start, span.end))
        kept.append(span)
    kept.sort(key=lambda s: s.start)
    return kept


# -- placeholders --------------------------------------------------------------


def _label_language(text: str, lang: str | None) -> str:
    cjk = len(re.findall(f"[{_CJK}]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    key = str(lang).lower() if lang else ""
    if key.startswith("en"):
        return "en"
    if key.startswith("zh") or cjk * 3 >= latin and cjk > 0:
        from ..text import is_traditional

        try:
            return "zh-hant" if is_traditional(text) else "zh"
        except Exception:
            return "zh"
    return "en"


def _norm_label(label: str) -> str:
    return re.sub(r"[\s_\-]+", "_", label.strip().upper()).strip("_")


def _all_labels() -> dict[str, str]:
    out: dict[str, str] = {}
    for table in LABELS.values():
        for kind, label in table.items():
            out[_norm_label(label)] = kind
    for kind, extra in EXTRA_LABELS.items():
        for label in extra:
            out.setdefault(_norm_label(label), kind)
    return out


_LABEL_KIND = _all_labels()


@lru_cache(maxsize=1)
def _placeholder_re() -> re.Pattern[str]:
    labels = sorted({label for table in LABELS.values() for label in table.values()}
                    | {label for extra in EXTRA_LABELS.values() for label in extra}, key=len, reverse=True)
    alternatives = "|".join(
        r"[\s_\-]*".join(re.escape(part) for part in re.split(r"_", label)) for label in labels)
    return re.compile(
        r"([\[【［〔〖(（{<《])\s*(" + alternatives + r")\s*[_\-‐—:：#＃\s]*\s*([0-9０-９]+)\s*[\]】］〕〗)）}>》]",
        re.IGNORECASE)


def _placeholder_key(placeholder: str) -> tuple[str, int] | None:
    m = _placeholder_re().fullmatch(placeholder)
    if m is None:
        return None
    kind = _LABEL_KIND.get(_norm_label(m.group(2)))
    return (kind, int(m.group(3).translate(_FULLWIDTH))) if kind else None
