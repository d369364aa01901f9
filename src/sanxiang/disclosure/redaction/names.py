"""Masking natural persons' names as 张某 (the profile rule ``disclosure.natural_person_name``)."""

from __future__ import annotations

# Two-character (复姓) surnames in use today; a name beginning with one keeps both characters.
_COMPOUND_SURNAMES = (
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 闾丘 "
    "端木 独孤 南宫 西门 百里 呼延 澹台 公冶 太史 申屠 赫连 万俟 拓跋 东郭 濮阳 淳于 单于 "
    "司空 仲孙 左丘 公羊 谷梁 梁丘 南门 东门 羊舌 微生 公西 漆雕 乐正 壤驷 巫马 颛孙 子车 "
    "第五 鲜于 段干 宗政 即墨 相里 "
)
COMPOUND_SURNAMES: frozenset[str] = frozenset(_COMPOUND_SURNAMES.split())


def surname(name: str) -> str:
    """The surname: a compound one (欧阳) when the name begins with it, else the first
    character. A name of two characters that is itself a compound surname (欧阳) is taken
    as such."""
    name = name.strip()
    if len(name) >= 2 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]


def mask_name(name: str) -> str:
    """``张三`` → ``张某``, ``欧阳娜娜`` → ``欧阳某``; an empty name stays empty."""
    family = surname(name)
    return f"{family}某" if family else ""
