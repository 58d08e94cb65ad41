"""Tests for storyloom.text: decoding, normalisation, language, segmentation."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from storyloom.errors import (
    DecodingError,
    EmptyText,
    InputFileError,
    InputTooLong,
    NotText,
    StoryLoomError,
    UnsupportedLanguage,
)
from storyloom.examples import EXAMPLES
from storyloom.text import (
    Document,
    Language,
    Script,
    decode_bytes,
    detect_language,
    is_traditional,
    load_user_dict,
    normalize,
    paragraph_spans,
    prepare,
    quote_spans,
    read_text_file,
    split_sentences,
    to_simplified,
)

TRAD = "外公走了已經三年，我還是常常想起他。"
SIMP = "在深夜的街头，我遇到了一位老奶奶，她卖力的推着一辆满载货物的三轮车。"
EN = "On my first day at the new job I was terrified. Mrs. Chen sat down next to me."


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def check_offsets(doc: Document) -> None:
    for i, s in enumerate(doc.sentences):
        assert s.index == i
        assert doc.text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert len(s.in_quote) == len(s.tokens)
        ps, pe = doc.paragraphs[s.paragraph]
        assert ps <= s.start and s.end <= pe
        last = s.start
        for t in s.tokens:
            assert doc.text[t.start : t.end] == t.text
            assert s.start <= t.start < t.end <= s.end
            assert t.start >= last
            last = t.end


# --------------------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"],
)
def test_decode_unicode_encodings(encoding: str) -> None:
    text = TRAD + "\n" + SIMP + "\nHello, world!\n"
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding] + data
    assert decode_bytes(data) == text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_decode_utf16_without_bom(encoding: str) -> None:
    text = "Grandpa said: 我还是常常想起他。\nThe end.\n"
    assert decode_bytes(text.encode(encoding)) == text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_decode_utf16_without_bom_mostly_chinese(encoding: str) -> None:
    text = "一二三，外公走了已經三年，我還是常常想起他。\n"
    assert decode_bytes(text.encode(encoding)) == text


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "gb2312"])
def test_decode_gb(encoding: str) -> None:
    assert decode_bytes(SIMP.encode(encoding)) == SIMP


@pytest.mark.parametrize("encoding", ["big5", "cp950"])
def test_decode_big5_traditional(encoding: str) -> None:
    assert decode_bytes(TRAD.encode(encoding)) == TRAD
    long = EXAMPLES["grandpa-letter"].text
    assert decode_bytes(long.encode(encoding)) == long


@pytest.mark.parametrize(
    "text",
    ["我爱你", "今天很开心", "推开家门，妈妈看到我红红的眼睛。", "期中考试的成绩发下来了，我的数学只考了五十八分。"],
)
def test_decode_short_gbk_not_big5(text: str) -> None:
    assert decode_bytes(text.encode("gbk")) == text


@pytest.mark.parametrize("text", ["謝謝你", "我一邊讀一邊流淚", "小時候，他總是牽著我的手去河邊看夕陽。", TRAD])
def test_decode_short_big5_not_gb(text: str) -> None:
    assert decode_bytes(text.encode("big5")) == text


def test_decode_gb_with_english() -> None:
    text = "今天终于拿到了offer，我开心得跳了起来！My mom cried on the phone."
    assert decode_bytes(text.encode("gb18030")) == text


def test_decode_cp1252_english_falls_back() -> None:
    text = "I said “hello” to the café owner — it was naïve."
    assert decode_bytes(text.encode("cp1252")) == text


def test_decode_empty_bytes() -> None:
    assert decode_bytes(b"") == ""


def test_refuse_png() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
    with pytest.raises(NotText, match="PNG image"):
        decode_bytes(png)


def test_refuse_zip() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("story.txt", "我还是常常想起他。")
    with pytest.raises(NotText, match="ZIP archive"):
        decode_bytes(buf.getvalue())


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"GIF89a\x01\x00", "GIF"),
        (b"%PDF-1.7\n%\xe2\xe3", "PDF"),
        (b"\x7fELF\x02\x01\x01\x00", "ELF"),
        (b"\x1f\x8b\x08\x00\x00\x00", "gzip"),
    ],
)
def test_refuse_known_binaries(data: bytes, what: str) -> None:
    with pytest.raises(NotText, match=what):
        decode_bytes(data + bytes(range(256)))


def test_refuse_random_bytes() -> None:
    rng = random.Random(42)
    data = bytes(rng.randrange(256) for _ in range(4096))
    with pytest.raises(NotText, match="binary data"):
        decode_bytes(data)


def test_refuse_control_bytes_without_nul() -> None:
    data = bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 20 + b"hello"
    with pytest.raises(NotText):
        decode_bytes(data)


def test_bad_utf16_with_bom_is_decoding_error() -> None:
    with pytest.raises(DecodingError, match="UTF-16"):
        decode_bytes(b"\xff\xfe\x00\xd8a\x00")  # a lone surrogate


def test_undecodable_bytes_name_encodings() -> None:
    with pytest.raises(DecodingError) as info:
        decode_bytes(bytes(range(128, 256)) * 4)
    for name in ("UTF-8", "UTF-16", "GB18030", "Big5"):
        assert name in info.value.message


# --------------------------------------------------------------------------- files


def test_read_text_file_gbk(tmp_path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(SIMP.encode("gbk"))
    assert read_text_file(path) == SIMP
    assert read_text_file(str(path)) == SIMP


def test_read_text_file_missing(tmp_path) -> None:
    with pytest.raises(InputFileError, match="No such file"):
        read_text_file(tmp_path / "nope.txt")


def test_read_text_file_directory(tmp_path) -> None:
    with pytest.raises(InputFileError, match="directory"):
        read_text_file(tmp_path)


def test_read_text_file_permission(tmp_path, monkeypatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("hello", encoding="utf-8")

    def deny(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builtins.open", deny)  # root ignores chmod, so simulate it
    with pytest.raises(InputFileError, match="Permission denied"):
        read_text_file(path)


def test_read_text_file_too_big(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("STORYLOOM_MAX_FILE_BYTES", "100")
    path = tmp_path / "big.txt"
    path.write_text("a" * 101, encoding="utf-8")
    with pytest.raises(InputTooLong, match="101 bytes.*100 bytes.*STORYLOOM_MAX_FILE_BYTES"):
        read_text_file(path)


def test_read_text_file_binary(tmp_path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(NotText, match="PNG"):
        read_text_file(path)


# --------------------------------------------------------------------------- normalisation


def test_normalize_html() -> None:
    html = (
        "<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style></head>"
        "<body><script>alert('x')</script><p>我&nbsp;很好&amp;开心</p><p>Tom &amp; Jerry&#x4e2d;</p>"
        "<!-- note --></body></html>"
    )
    assert normalize(html) == "我很好&开心\n\nTom & Jerry中"


def test_normalize_br_and_entities() -> None:
    assert normalize("第一行<br>第二行 &lt;3") == "第一行\n第二行 <3"
    assert normalize("a < b and c > d") == "a < b and c > d"  # not markup
    assert normalize("<红楼梦>很好看") == "<红楼梦>很好看"


def test_normalize_keeps_fullwidth_punctuation() -> None:
    text = "他说：“真的吗？”「好！」（笑）……；‘对’"
    assert normalize(text) == text


def test_normalize_spaces() -> None:
    assert normalize("我 今天  很 开心 ， 真的 ！") == "我今天很开心，真的！"
    assert normalize("I  am\t happy   today") == "I am happy today"
    assert normalize("今天 offer 到了") == "今天 offer 到了"  # CJK–Latin spaces kept
    assert normalize("　　在深夜的街头\u3000我遇到了") == "在深夜的街头我遇到了"


def test_normalize_newlines_and_controls() -> None:
    assert normalize("第一段\r\n\r\n\r\n\r\n第二段\r第三行") == "第一段\n\n第二段\n第三行"
    assert normalize("  a line  \n   another  ") == "a line\nanother"
    assert normalize("he\x00l\x07lo\u200b wor\ufeffld\u00ad") == "hello world"
    assert normalize("ab\ud800cd") == "abcd"


def test_normalize_fullwidth_letters_and_nfc() -> None:
    assert normalize("ＡＢＣ１２３") == "ABC123"
    assert normalize("cafe\u0301") == "café"


def test_normalize_keeps_emoji_zwj_sequences() -> None:
    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467"
    assert normalize(f"我们{family}很幸福") == f"我们{family}很幸福"
    assert normalize("a\u200db") == "ab"


# --------------------------------------------------------------------------- language / script


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("好", "zh"),
        ("ok", "en"),
        ("今天终于拿到了offer", "zh"),
        ("I love 北京 so much", "en"),
        (TRAD, "zh"),
        (EN, "en"),
        ("123 !!!", None),
        ("こんにちは、今日はいい天気ですね。", None),
        ("Привет, как дела?", None),
        ("", None),
    ],
)
def test_detect_language(text: str, lang: str | None) -> None:
    assert detect_language(text) == lang


def test_is_traditional() -> None:
    assert is_traditional(TRAD)
    assert is_traditional("謝謝")
    assert not is_traditional(SIMP)
    assert not is_traditional("Hello")
    assert not is_traditional("")


def test_to_simplified() -> None:
    assert to_simplified(TRAD) == "外公走了已经三年，我还是常常想起他。"
    assert to_simplified(SIMP) == SIMP
    assert to_simplified("反覆") == "反复"  # phrase-level conversion


# --------------------------------------------------------------------------- sentences


def test_chinese_terminators() -> None:
    assert sentences("太好了！！！我们赢了？！真的……我不敢相信；可是是真的。") == [
        "太好了！！！",
        "我们赢了？！",
        "真的……",
        "我不敢相信；",
        "可是是真的。",
    ]
    assert sentences("我很好!你呢?还行.") == ["我很好!", "你呢?", "还行."]


def test_quote_followed_by_speech_verb_is_one_sentence() -> None:
    assert sentences("“真的吗？”她问。我点点头。") == ["“真的吗？”她问。", "我点点头。"]
    assert sentences("「好啊！」他笑著說。") == ["「好啊！」他笑著說。"]


def test_quote_followed_by_new_sentence_splits() -> None:
    assert sentences("“我走了。”他转身离开了。") == ["“我走了。”", "他转身离开了。"]
    assert sentences("她问：“真的吗？”我没有回答。") == ["她问：“真的吗？”", "我没有回答。"]


def test_closing_brackets_stay_with_sentence() -> None:
    assert sentences("（我哭了。）然后睡了。") == ["（我哭了。）", "然后睡了。"]


def test_english_abbreviations_and_decimals() -> None:
    text = (
        "Mr. Smith met Dr. Brown at 3.14 p.m. yesterday. It cost $2.50. "
        "J. K. Rowling wrote it, e.g. this one. Then we left."
    )
    assert sentences(text) == [
        "Mr. Smith met Dr. Brown at 3.14 p.m. yesterday.",
        "It cost $2.50.",
        "J. K. Rowling wrote it, e.g. this one.",
        "Then we left.",
    ]


def test_english_may_end_abbreviations() -> None:
    assert sentences("We arrived at 5 p.m. The next day was cold. I live in the U.S. Army base.") == [
        "We arrived at 5 p.m.",
        "The next day was cold.",
        "I live in the U.S. Army base.",
    ]
    assert sentences("See Fig. 3 for details. He wore No. 10. No. I won't go.") == [
        "See Fig. 3 for details.",
        "He wore No. 10.",
        "No.",
        "I won't go.",
    ]


def test_english_ellipsis_urls_emails() -> None:
    assert sentences("I thought... maybe not. Wait... Then it happened. I was... I was scared.") == [
        "I thought... maybe not.",
        "Wait...",
        "Then it happened.",
        "I was... I was scared.",
    ]
    assert sentences("Visit https://example.com/a.b?c=d. Mail a.b@example.com. Thanks!") == [
        "Visit https://example.com/a.b?c=d.",
        "Mail a.b@example.com.",
        "Thanks!",
    ]


def test_english_quotes_and_speech_tags() -> None:
    assert sentences('"Really?" she asked. "Really?" Tom asked. "Yes." He turned away.') == [
        '"Really?" she asked.',
        '"Really?" Tom asked.',
        '"Yes."',
        "He turned away.",
    ]


def test_newline_always_ends_sentence() -> None:
    assert sentences("line one\nline two. Line three") == ["line one", "line two.", "Line three"]


def test_mixed_language_boundaries() -> None:
    text = EXAMPLES["mixed"].text
    assert sentences(text) == [
        "今天终于拿到了offer，我开心得跳了起来！",
        "My mom cried on the phone, she was so proud of me.",
        "可是想到要离开家乡，心里还是有点舍不得。",
    ]
    assert sentences("It was great!你好。") == ["It was great!", "你好。"]


# --------------------------------------------------------------------------- paragraphs / quotes


def test_paragraphs_blank_lines() -> None:
    text = "第一段第一行。\n第一段第二行。\n\n第二段。"
    assert [text[s:e] for s, e in paragraph_spans(text)] == ["第一段第一行。\n第一段第二行。", "第二段。"]


def test_paragraphs_single_newlines() -> None:
    text = "第一段。\n第二段。\n第三段。"
    assert [text[s:e] for s, e in paragraph_spans(text)] == ["第一段。", "第二段。", "第三段。"]


def test_quote_spans() -> None:
    text = "他说：“我‘真的’不知道。”然后走了。"
    assert [text[s:e] for s, e in quote_spans(text)] == ["“我‘真的’不知道。”"]
    text = "I don’t know, she said. “Go.” ‘Fine.’"
    assert [text[s:e] for s, e in quote_spans(text)] == ["“Go.”", "‘Fine.’"]
    text = '"Hi," he said. "Bye."'
    assert [text[s:e] for s, e in quote_spans(text)] == ['"Hi,"', '"Bye."']
    text = "她说：“我们走吧。"  # unclosed: runs to the paragraph's end
    assert [text[s:e] for s, e in quote_spans(text)] == ["“我们走吧。"]


# --------------------------------------------------------------------------- prepare()


def test_prepare_simplified_document() -> None:
    doc = prepare(EXAMPLES["exam"].text)
    check_offsets(doc)
    assert doc.language is Language.zh
    assert doc.script is Script.simplified
    assert len(doc.paragraphs) == 3
    assert [s.paragraph for s in doc.sentences] == [0, 1, 1, 2, 2]
    assert doc.languages == {"zh": 5, "en": 0}
    assert not doc.is_mixed
    first = doc.sentences[0]
    assert [t.text for t in first.words][:3] == ["期中考试", "的", "成绩"]
    assert [t.text for t in first.tokens if t.is_punct] == ["，", "。"]


def test_prepare_offsets_with_blank_line_paragraphs() -> None:
    text = "  第一段，第一句。第二句！\r\n\r\n\r\nSecond paragraph. It has two sentences.  "
    doc = prepare(text)
    check_offsets(doc)
    assert doc.text == "第一段，第一句。第二句！\n\nSecond paragraph. It has two sentences."
    assert [s.text for s in doc.sentences] == [
        "第一段，第一句。",
        "第二句！",
        "Second paragraph.",
        "It has two sentences.",
    ]
    assert [s.paragraph for s in doc.sentences] == [0, 0, 1, 1]
    assert [doc.text[s:e] for s, e in doc.paragraphs] == [
        "第一段，第一句。第二句！",
        "Second paragraph. It has two sentences.",
    ]


def test_prepare_traditional_norms() -> None:
    doc = prepare(EXAMPLES["grandpa-letter"].text)
    check_offsets(doc)
    assert doc.language is Language.zh
    assert doc.script is Script.traditional
    words = {t.text: t.norm for s in doc.sentences for t in s.words}
    assert words["已經"] == "已经"
    assert words["還是"] == "还是"
    assert words["溫暖"] == "温暖"
    assert words["外公"] == "外公"


def test_prepare_english_tokens() -> None:
    doc = prepare("I didn't know anyone, and I’m shy. It's a well-known 3.5% rise in 1990s!")
    check_offsets(doc)
    assert doc.language is Language.en
    assert doc.script is Script.none
    toks = [t.text for t in doc.sentences[0].tokens]
    assert toks == ["I", "didn't", "know", "anyone", ",", "and", "I’m", "shy", "."]
    assert [t.norm for t in doc.sentences[0].tokens][6] == "i'm"
    words = [t.text for t in doc.sentences[1].words]
    assert words == ["It's", "a", "well-known", "3.5%", "rise", "in", "1990s"]
    assert doc.sentences[1].tokens[-1].is_punct


def test_prepare_mixed_per_sentence_language() -> None:
    doc = prepare(EXAMPLES["mixed"].text)
    check_offsets(doc)
    assert doc.language is Language.zh
    assert [s.language.value for s in doc.sentences] == ["zh", "en", "zh"]
    assert doc.languages == {"zh": 2, "en": 1}
    assert doc.is_mixed
    offer = [t for t in doc.sentences[0].tokens if t.text == "offer"]
    assert offer and offer[0].norm == "offer" and not offer[0].is_punct
    doc = prepare("我今天很开心，因为拿到了OFFER。")
    assert [t.norm for t in doc.sentences[0].tokens if t.text == "OFFER"] == ["offer"]


def test_prepare_forced_language() -> None:
    doc = prepare("我今天很开心。Then I went home.", lang="en")
    assert doc.language is Language.en
    assert [s.language.value for s in doc.sentences] == ["zh", "en"]
    doc = prepare("我今天很开心。", lang="ZH")
    assert doc.language is Language.zh
    # a sentence without letters inherits the document language
    doc = prepare("我很好。\n123！", lang="en")
    assert [s.language.value for s in doc.sentences] == ["zh", "en"]
    doc = prepare("我很好。\n123！")
    assert [s.language.value for s in doc.sentences] == ["zh", "zh"]


def test_prepare_unknown_lang_parameter() -> None:
    with pytest.raises(UnsupportedLanguage, match="'fr'.*'zh'.*'en'"):
        prepare("你好", lang="fr")


def test_prepare_in_quote_and_dialogue() -> None:
    doc = prepare("“真的吗？”她问。妈妈说：“一次考试而已，我们一起想办法。”")
    check_offsets(doc)
    s0, s1 = doc.sentences
    flags = {t.text: q for t, q in zip(s0.tokens, s0.in_quote)}
    assert flags["“"] and flags["真的"] and flags["”"]
    assert not flags["她"] and not flags["问"]
    assert s0.is_dialogue  # 3 of 5 content characters are quoted
    flags1 = dict(zip([t.text for t in s1.tokens], s1.in_quote))
    assert not flags1["妈妈"] and flags1["考试"] and flags1["办法"]
    assert s1.is_dialogue
    narration = prepare("我们一起回家。").sentences[0]
    assert narration.in_quote == (False,) * len(narration.tokens)
    assert not narration.is_dialogue


def test_prepare_emoji_tokens() -> None:
    doc = prepare("今天好开心😀😀！Best day ever 🎉")
    check_offsets(doc)
    emoji = [t for s in doc.sentences for t in s.tokens if t.text in ("😀", "🎉")]
    assert len(emoji) == 3 and all(t.is_punct for t in emoji)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   \n\t  ", "only whitespace"),
        ("\n\n\n\n", "only whitespace"),
        ("。。。！！？……", "only punctuation"),
        ("😀😂👍🎉", "only emoji"),
        ("<html><body><p></p><br/></body></html>", "only HTML"),
        ("123 456", "only numbers"),
        ("\u200b\u200b\x00", "invisible or control"),
    ],
)
def test_prepare_empty_inputs(text: str, message: str) -> None:
    with pytest.raises(EmptyText, match=message):
        prepare(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("こんにちは、今日はいい天気ですね。", "Japanese"),
        ("私は学生です。毎日学校に行きます。", "Japanese"),
        ("Привет, как дела? Я пишу историю.", "Russian"),
        ("مرحبا كيف حالك اليوم", "Arabic"),
        ("안녕하세요 저는 학생입니다", "Korean"),
        (
            "Je suis allé au marché avec ma mère et nous avons acheté des pommes pour le dîner.",
            "French",
        ),
    ],
)
def test_prepare_unsupported_language(text: str, name: str) -> None:
    with pytest.raises(UnsupportedLanguage, match=name):
        prepare(text)


def test_prepare_a_few_foreign_words_are_fine() -> None:
    doc = prepare("我们在东京吃了寿司，老板说ありがとう，我们都笑了。")
    assert doc.language is Language.zh
    doc = prepare("At the café my friend said merci and then we said goodbye to everyone.")
    assert doc.language is Language.en


def test_prepare_too_long(monkeypatch) -> None:
    with pytest.raises(InputTooLong, match=r"11 characters.*limit of 10.*STORYLOOM_MAX_CHARS"):
        prepare("我" * 11, max_chars=10)
    monkeypatch.setenv("STORYLOOM_MAX_CHARS", "20")
    with pytest.raises(InputTooLong, match="chapters"):
        prepare("好" * 21)
    assert prepare("好" * 20).text == "好" * 20


def test_prepare_default_limit_is_100k() -> None:
    with pytest.raises(InputTooLong, match="100,001 characters"):
        prepare("好" * 100_001)


def test_prepare_100k_chars() -> None:
    base = EXAMPLES["exam"].text + "\n\n" + EXAMPLES["mixed"].text + "\n\n"
    text = (base * (100_000 // len(base) + 1))[:99_990]
    doc = prepare(text)
    check_offsets(doc)
    assert len(doc.text) <= 99_990
    assert doc.language is Language.zh
    assert doc.languages["en"] > 0


def test_prepare_html_page() -> None:
    page = (
        "<html><head><title>My blog</title><script>var x = '<p>no</p>';</script></head><body>"
        "<h1>外公的信</h1><p>外公走了已經三年，我還是常常想起他。</p>"
        "<p>I still miss him &amp; his stories.</p></body></html>"
    )
    doc = prepare(page)
    check_offsets(doc)
    assert doc.text == "外公的信\n\n外公走了已經三年，我還是常常想起他。\n\nI still miss him & his stories."
    assert len(doc.paragraphs) == 3
    assert doc.script is Script.traditional


def test_prepare_windows_line_endings_and_surrogates() -> None:
    doc = prepare("第一行。\r\n第二行\ud800。\r\n")
    check_offsets(doc)
    assert [s.text for s in doc.sentences] == ["第一行。", "第二行。"]
    assert len(doc.paragraphs) == 2


def test_prepare_wall_of_text_without_punctuation() -> None:
    text = "我们一起走在回家的路上" * 200  # 2,200 Han characters, no punctuation
    doc = prepare(text)
    check_offsets(doc)
    (sentence,) = doc.sentences
    assert "".join(t.text for t in sentence.tokens) == text
    assert sentence.tokens[0].text == "我们"


def test_prepare_deeply_nested_quotes() -> None:
    doc = prepare("「" * 3000 + "好" + '"' * 3000)
    check_offsets(doc)
    assert all(doc.sentences[0].in_quote)


def test_prepare_accepts_bytes() -> None:
    assert prepare(TRAD.encode("big5")).text == TRAD


def test_prepare_never_crashes_on_junk() -> None:
    rng = random.Random(7)
    alphabet = (
        "我你他的了是不在人有这。，！？；：“”‘’「」『』（）……——"
        "abcXYZ .,!?;:'\"()-\n\r\t0123456789😀🎉\u200b\u200d\ufe0f<>&#;"
        "ありがとПриветا\ud800\x00\x07"
    )
    for _ in range(1000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 120)))
        try:
            doc = prepare(text)
        except StoryLoomError:
            continue
        check_offsets(doc)


def test_decode_never_crashes_on_junk() -> None:
    rng = random.Random(11)
    pieces = [b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", "我們".encode("big5"), "我们".encode("gbk"),
              "好".encode("utf-8"), b"abc ", b"\x80", b"\xa4", b"\n"]
    for _ in range(500):
        data = b"".join(rng.choice(pieces) for _ in range(rng.randrange(0, 40)))
        try:
            assert isinstance(decode_bytes(data), str)
        except StoryLoomError:
            pass


# --------------------------------------------------------------------------- user dictionary


def test_load_user_dict(tmp_path) -> None:
    path = tmp_path / "user.txt"
    path.write_text("叙事工坊 100 n\n", encoding="utf-8")
    load_user_dict(path)
    load_user_dict(str(path))  # twice is fine
    doc = prepare("我喜欢叙事工坊。")
    assert "叙事工坊" in [t.text for t in doc.sentences[0].tokens]


def test_user_dict_from_environment(tmp_path, monkeypatch) -> None:
    path = tmp_path / "env_dict.txt"
    path.write_text("织梦小屋 100 n\n", encoding="utf-8")
    monkeypatch.setenv("STORYLOOM_USER_DICT", str(path))
    doc = prepare("我们住在织梦小屋里。")
    assert "织梦小屋" in [t.text for t in doc.sentences[0].tokens]


def test_user_dict_from_environment_missing(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("STORYLOOM_USER_DICT", str(tmp_path / "gone.txt"))
    with pytest.raises(InputFileError, match="STORYLOOM_USER_DICT"):
        prepare("我们住在小屋里。")


def test_load_user_dict_missing(tmp_path) -> None:
    with pytest.raises(InputFileError, match="not found"):
        load_user_dict(tmp_path / "missing.txt")


def test_single_quotes_between_chinese_characters_are_quotes_not_apostrophes() -> None:
    from storyloom.text import quote_spans

    text = "那个‘家’早就不在了，我想。"
    assert quote_spans(text, 0, len(text)) == [(2, 5)]
    english = "I don’t know ‘why’ she left."
    assert quote_spans(english, 0, len(english)) == [(13, 18)]
