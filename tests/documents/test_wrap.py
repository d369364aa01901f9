"""Line breaking: character-level wrapping with the Chinese line-breaking rules."""

from __future__ import annotations

import pytest
from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.documents.render import NO_LINE_END, NO_LINE_START, Fonts, tokenize, wrap

SIZE = 16.0
EM = SIZE * 25.4 / 72


@pytest.fixture(scope="module")
def fonts_() -> Fonts:
    return Fonts(FPDF())


def test_tokens_keep_words_numbers_and_dates_whole():
    assert tokenize("依据GB 7718-2011第4.1.6条，罚款1,280.50元") == [
        "依", "据", "GB", " ", "7718-2011", "第", "4.1.6", "条", "，",
        "罚", "款", "1,280.50", "元",
    ]  # fmt: skip
    assert tokenize("——……") == ["——", "……"]


def test_closing_punctuation_never_starts_a_line(fonts_):
    # 10 characters fit; the 11th is "，": the 10th character moves down with it
    text = "一二三四五六七八九十，十一十二"
    lines = wrap(text, fonts_, SIZE, 10 * EM + 0.01)
    assert [line.text for line in lines] == ["一二三四五六七八九", "十，十一十二"]


def test_opening_punctuation_never_ends_a_line(fonts_):
    text = "一二三四五六七八九《十一》"
    lines = wrap(text, fonts_, SIZE, 10 * EM + 0.01)
    assert lines[0].text == "一二三四五六七八九"
    assert lines[1].text.startswith("《")


def test_long_number_is_not_split_unless_wider_than_the_line(fonts_):
    text = "身份证号码410105198803140028"
    lines = wrap(text, fonts_, SIZE, 12 * EM)
    assert "410105198803140028" in [line.text for line in lines]
    narrow = wrap("410105198803140028", fonts_, SIZE, 3 * EM)
    assert len(narrow) > 1
    assert "".join(line.text for line in narrow) == "410105198803140028"


def test_forced_line_breaks_and_last_lines(fonts_):
    lines = wrap("第一行\n第二行", fonts_, SIZE, 30 * EM)
    assert [(line.text, line.last) for line in lines] == [("第一行", True), ("第二行", True)]


_CJK = st.sampled_from(list("行政执法机关当事人违法事实证据罚款决定书郑州市场监督管理局"))
_PUNCT = st.sampled_from(list("，。、；：？！）》”（《“"))
_WORD = st.from_regex(r"[A-Za-z0-9]{1,12}", fullmatch=True)
_SPACE = st.just(" ")


@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(st.one_of(_CJK, _CJK, _CJK, _PUNCT, _WORD, _SPACE), min_size=1, max_size=120),
    width_chars=st.integers(min_value=3, max_value=30),
)
def test_wrap_properties(fonts_, parts, width_chars):
    text = "".join(parts)
    width = width_chars * EM
    lines = wrap(text, fonts_, SIZE, width)
    # nothing is lost or reordered (only spaces at line breaks are dropped)
    assert "".join(line.text for line in lines).replace(" ", "") == text.replace(" ", "")
    for i, line in enumerate(lines):
        if len(line.tokens) > 1:
            assert line.width <= width + 1e-6
            assert fonts_.width(line.text, SIZE) == pytest.approx(line.width, abs=1e-6)
        if i > 0 and line.text and len(lines[i - 1].tokens) > 1:
            assert line.text[0] not in NO_LINE_START, [x.text for x in lines]
        if i < len(lines) - 1 and len(line.tokens) > 1 and line.text:
            assert line.text[-1] not in NO_LINE_END, [x.text for x in lines]


def test_input_is_normalised(fonts_):
    lines = wrap("甲\r\n乙\r丙\t丁\x00戊\x07", fonts_, SIZE, 30 * EM)
    assert [line.text for line in lines] == ["甲", "乙", "丙    丁戊"]
