"""The articles each review rule rests on, per measure, and the pick for one jurisdiction.

The same rule appears in each jurisdiction's measure under its own article (the checklist is
000 法制审核办法 第十六条 in Zhengzhou, 001 河南法制审核办法 第九条 in Henan, 002 第五十四条 in
Zhoucun). Which apply is read from the rule profile's documents, not from an if-statement:
``cite(profile, "checklist")`` returns the candidates whose measure the profile or a profile
it inherits lists, its own measures first (Zhengzhou: the city measure, then the Henan
measure, which binds the whole province). A rule no measure of the lineage states (recusal in Henan: only 002
第四十九条 sets up a recusal system) is cited with every candidate, as the engine's guards do.
"""

from __future__ import annotations

from sanxiang.core.rules import UnknownProfile, get_profile, parse_citation

CANDIDATES: dict[str, tuple[str, ...]] = {
    # No major decision without a passed review.
    "required": ("000 法制审核办法 第三条", "001 河南法制审核办法 第三条", "002 第五十条"),
    # The catalogue of decisions that need review, with the thresholds it sets and publishes.
    "catalogue": (
        "000 法制审核办法 第十四条",
        "001 河南法制审核办法 第七条",
        "002 第五十一条",
    ),
    # The general criteria: public interest, social impact, major rights, hearing, complexity.
    "criteria": ("001 河南法制审核办法 第六条", "002 第五十一条"),
    # The materials the handling unit hands in.
    "materials": (
        "000 法制审核办法 第十五条",
        "001 河南法制审核办法 第八条",
        "002 第五十二条",
    ),
    # The legal unit reviews.
    "legal_unit": (
        "000 法制审核办法 第五条",
        "001 河南法制审核办法 第五条",
        "002 第四十八条",
    ),
    "recusal": ("002 第四十九条",),
    "checklist": (
        "000 法制审核办法 第十六条",
        "001 河南法制审核办法 第九条",
        "002 第五十四条",
    ),
    # Asking for materials and explanations.
    "inquiry": ("001 河南法制审核办法 第十条", "002 第五十三条"),
    # Pass, or fail with written reasons, back to the handling unit.
    "outcome": (
        "000 法制审核办法 第十七条",
        "001 河南法制审核办法 第十一条",
        "002 第五十五条",
    ),
    # The written opinion goes into the case file.
    "opinion": (
        "000 法制审核办法 第十七条",
        "001 河南法制审核办法 第十二条",
        "002 第五十五条",
    ),
    # Fix and resubmit; a dispute goes to the heads' collective discussion.
    "dispute": ("000 法制审核办法 第十八条", "001 河南法制审核办法 第十四条"),
    # The review period and its one extension.
    "deadline": ("000 法制审核办法 第十九条", "001 河南法制审核办法 第十三条", "002 第五十五条"),
}


def _prefix(source: str) -> str:
    citation = parse_citation(source)
    return f"{citation.file} {citation.measure}".rstrip()


def cite(profile_code: str, concept: str) -> str:
    """The citation(s) of ``concept`` for a jurisdiction, joined by "；"."""
    candidates = CANDIDATES[concept]
    try:
        profile = get_profile(profile_code)
    except UnknownProfile:
        return "；".join(candidates)
    prefixes = [doc.citation_prefix for doc in profile.all_documents()]
    chosen = [c for prefix in prefixes for c in candidates if _prefix(c) == prefix]
    return "；".join(dict.fromkeys(chosen)) if chosen else "；".join(candidates)
