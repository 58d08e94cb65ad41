"""storyloom.labels.read_labels on real small files (CSV with BOM, GB18030 CSV, JSONL) and every error kind."""

from __future__ import annotations

import json
import re

import pytest

from storyloom.errors import InputFileError, InvalidOption, LabelFileError, StoryLoomError
from storyloom.labels import LabelSet, allowed_labels, normalise_label, read_labels


def write(tmp_path, name: str, text: str, encoding: str = "utf-8", bom: bool = False):
    p = tmp_path / name
    data = text.encode(encoding)
    p.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return p


def problems(exc: LabelFileError) -> dict[int, str]:
    return {line: msg for line, msg in exc.problems}


# --------------------------------------------------------------------------- good files


def test_csv_with_bom_polarity_aliases(tmp_path):
    p = write(tmp_path, "pol.csv",
              "text,label\n"
              "房间很干净，服务周到,1\n"
              "太难吃了,0\n"
              "\"好, 很好\",positive\n"
              "I hated it,NEG\n"
              "还行吧,正面\n"
              "不会再来,消极\n"
              "\n"
              "Great,Pos\n"
              "差,负面\n"
              "喜欢,积极\n", bom=True)
    ls = read_labels(p, "polarity")
    assert isinstance(ls, LabelSet)
    assert ls.task == "polarity" and ls.source == str(p) and ls.format == "csv"
    assert ls.texts[0] == "房间很干净，服务周到"  # no BOM left anywhere
    assert ls.labels == ["positive", "negative", "positive", "negative", "positive", "negative",
                         "positive", "negative", "positive"]
    assert ls.texts[2] == "好, 很好"
    assert ls.lines == [2, 3, 4, 5, 6, 7, 9, 10, 11]  # the blank line 8 is skipped
    assert len(ls) == 9 and list(ls)[1] == ("太难吃了", "negative")
    assert ls.classes == ["positive", "negative"]
    assert ls.counts() == {"positive": 5, "negative": 4}


def test_gb18030_csv_emotion_chinese_names(tmp_path):
    p = write(tmp_path, "emo.csv",
              "id,text,emotion,note\n"
              "1,今天终于收到了录取通知书,乐,x\n"
              "2,我好想念外婆,哀,\n"
              "3,他又骗了我,愤怒,\n"
              "4,这只猫太可爱了,好,\n"
              "5,窗外突然一声巨响,惊讶,\n"
              "6,我明天去上班,中性,\n"
              "7,Spiders everywhere,FEAR,\n", encoding="gb18030")
    ls = read_labels(p, "emotion")
    assert ls.labels == ["joy", "sadness", "anger", "love", "surprise", "neutral", "fear"]
    assert ls.texts[0] == "今天终于收到了录取通知书"
    assert ls.lines == [2, 3, 4, 5, 6, 7, 8]
    assert ls.classes == ["joy", "love", "sadness", "anger", "fear", "surprise", "neutral"]


def test_multiline_quoted_field_keeps_start_line(tmp_path):
    p = write(tmp_path, "ml.csv", 'text,label\n"第一行\n第二行",乐\n下一条,哀\n')
    ls = read_labels(p, "emotion")
    assert ls.texts[0] == "第一行\n第二行"
    assert ls.lines == [2, 4]


def test_jsonl_valence_and_label_key_fallback(tmp_path):
    rows = [{"text": "A lovely day", "label": 7.5}, {"text": "meh", "label": "5"},
            {"text": "awful", "valence": 1}]
    p = write(tmp_path, "va.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n")
    ls = read_labels(p, "valence")
    assert ls.labels == [7.5, 5.0, 1.0] and all(isinstance(x, float) for x in ls.labels)
    assert ls.lines == [1, 2, 3] and ls.format == "jsonl"
    assert ls.classes == [] and ls.counts() == {}


def test_jsonl_polarity_numbers_and_sniffing(tmp_path):
    p = write(tmp_path, "labels.txt", '{"text": "好", "label": 1}\n{"text": "坏", "label": 0}\n')
    ls = read_labels(p, "polarity")
    assert ls.labels == ["positive", "negative"] and ls.format == "jsonl"


def test_csv_task_named_column_and_tsv(tmp_path):
    p = write(tmp_path, "a.csv", "text,arousal\ncalm,2\nexcited,8.5\n")
    assert read_labels(p, "arousal").labels == [2.0, 8.5]
    p = write(tmp_path, "b.tsv", "text\tlabel\nhas, a comma\tjoy\n")
    ls = read_labels(p, "emotion")
    assert ls.texts == ["has, a comma"] and ls.format == "tsv"


def test_normalise_label_and_allowed():
    assert normalise_label("polarity", " Positive ") == "positive"
    assert normalise_label("emotion", "恶") == "disgust"
    assert normalise_label("valence", "9") == 9.0
    assert allowed_labels("polarity") == ("positive", "negative")
    with pytest.raises(ValueError, match="unknown"):
        normalise_label("emotion", "happy")
    with pytest.raises(InvalidOption):
        read_labels("x.csv", "sentiment")


# --------------------------------------------------------------------------- errors


def test_unknown_label_lists_allowed(tmp_path):
    p = write(tmp_path, "u.csv", "text,label\nfine,joy\nwhat,happy\n")
    with pytest.raises(LabelFileError) as ei:
        read_labels(p, "emotion")
    e = ei.value
    msg = str(e)
    assert e.code == "E109" and isinstance(e, StoryLoomError)
    assert str(p) in msg and "line 3" in msg and "'happy'" in msg
    assert "joy, love, sadness, anger, fear, disgust, surprise, neutral" in msg
    assert problems(e)[3].startswith("unknown emotion label")


def test_unknown_polarity_label(tmp_path):
    p = write(tmp_path, "u.csv", "text,label\nok,neutral\n")
    with pytest.raises(LabelFileError, match=r"line 2: unknown polarity label 'neutral'; allowed: positive, negative"):
        read_labels(p, "polarity")


def test_missing_column_lists_header(tmp_path):
    p = write(tmp_path, "m.csv", "review,score\n好,1\n")
    with pytest.raises(LabelFileError) as ei:
        read_labels(p, "polarity")
    msg = str(ei.value)
    assert str(p) in msg and "line 1" in msg and "missing columns 'text' and 'label' (or 'polarity')" in msg
    assert "header found: 'review', 'score'" in msg


def test_missing_label_column_suggests_task(tmp_path):
    p = write(tmp_path, "m.csv", "text,emotion\n好,乐\n")
    with pytest.raises(LabelFileError, match=r"line 1: missing column 'label' \(or 'polarity'\).*--task emotion"):
        read_labels(p, "polarity")


def test_empty_text_and_empty_label_collected_together(tmp_path):
    p = write(tmp_path, "e.csv", "text,label\nok,positive\n   ,positive\nfine,\nalso fine,neg\n")
    with pytest.raises(LabelFileError) as ei:
        read_labels(p, "polarity")
    e = ei.value
    assert problems(e) == {3: "empty text", 4: "empty label"}
    assert "2 problems" in str(e) and "line 3: empty text" in str(e) and "line 4: empty label" in str(e)


def test_scores_non_numeric_and_out_of_range(tmp_path):
    p = write(tmp_path, "s.csv", "text,label\na,5\nb,high\nc,0.5\nd,10\ne,nan\nf,9\n")
    with pytest.raises(LabelFileError) as ei:
        read_labels(p, "valence")
    pr = problems(ei.value)
    assert sorted(pr) == [3, 4, 5, 6]
    assert "not a number" in pr[3] and "not a number" in pr[6]
    assert "out of range" in pr[4] and "1 to 9" in pr[5]


def test_jsonl_invalid_json_and_missing_key(tmp_path):
    p = write(tmp_path, "j.jsonl",
              '{"text": "ok", "label": "joy"}\n'
              '{"text": "broken", "label": "joy"\n'
              '\n'
              '{"sentence": "x", "label": "joy"}\n'
              '["not", "an", "object"]\n'
              '{"text": "", "label": "joy"}\n')
    with pytest.raises(LabelFileError) as ei:
        read_labels(p, "emotion")
    pr = problems(ei.value)
    assert "invalid JSON" in pr[2]
    assert "missing key 'text'" in pr[4] and "keys found: 'sentence', 'label'" in pr[4]
    assert "JSON object" in pr[5]
    assert pr[6] == "empty text"
    assert str(p) in str(ei.value)


def test_no_rows_at_all(tmp_path):
    p = write(tmp_path, "h.csv", "text,label\n\n")
    with pytest.raises(LabelFileError, match="no rows at all"):
        read_labels(p, "emotion")
    p = write(tmp_path, "empty.csv", "")
    with pytest.raises(LabelFileError, match="empty"):
        read_labels(p, "emotion")
    p = write(tmp_path, "blank.jsonl", "\n\n")
    with pytest.raises(LabelFileError, match=re.escape(str(p))):
        read_labels(p, "emotion")


def test_wrong_field_count(tmp_path):
    p = write(tmp_path, "f.csv", "text,label\nonly one field\n没有引号,的文本,joy\n")
    with pytest.raises(LabelFileError) as ei:
        read_labels(p, "emotion")
    pr = problems(ei.value)
    assert "only 1 field" in pr[2] and "double quotes" in pr[3]


def test_at_most_ten_problems_listed(tmp_path):
    p = write(tmp_path, "many.csv", "text,label\n" + "".join(f"t{i},bad{i}\n" for i in range(25)))
    with pytest.raises(LabelFileError) as ei:
        read_labels(p, "emotion")
    e = ei.value
    assert len(e.problems) == 10 and e.total == 25
    assert "25 problems" in str(e) and "and 15 more" in str(e)
    assert "line 2:" in str(e) and "line 11:" in str(e) and "line 12:" not in str(e)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputFileError, match="No such file"):
        read_labels(tmp_path / "nope.csv", "emotion")
    with pytest.raises(InputFileError, match="directory"):
        read_labels(tmp_path, "emotion")
