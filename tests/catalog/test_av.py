"""The AV matter list: which stages are recorded on audio/video, which from arrival to
departure, each citing the article of the jurisdiction's measure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from sanxiang.catalog import selectors, services
from sanxiang.catalog.models import AVMatter, AVRequirement
from sanxiang.catalog.stages import (
    AV_ARTICLES,
    FULL_PROCESS_STAGES,
    STAGES_BY_ACTION_TYPE,
    ActionType,
    Stage,
    stage_label,
)
from sanxiang.core.rules.citations import parse_citation
from tests.factories import AgencyFactory, UserFactory, henan, zhoucun

from .conftest import PAST

pytestmark = pytest.mark.django_db

# The regulation texts live in ../shared beside the checkout (as in tests/core/test_rules.py).
REGULATIONS = Path(
    os.environ.get(
        "SANXIANG_REGULATIONS", Path(__file__).resolve().parents[3] / "shared" / "regulations"
    )
)


def av(actor, agency, **fields):
    return services.create_item(AVMatter, actor=actor, agency=agency, valid_from=PAST, **fields)


def test_full_process_av_for_seizure_cites_the_zhengzhou_article(head, agency):
    matter = av(
        head,
        agency,
        action_type=ActionType.COERCION,
        stage=Stage.SEIZURE,
        activity="查封、扣押财物现场",
        requirement=AVRequirement.FULL_PROCESS,
        basis="000 全过程记录办法 第十八条；000 全过程记录办法 第二十二条",
    )
    assert matter.is_full_process
    found = selectors.av_requirement(
        agency=agency, action_type=ActionType.COERCION, stage=Stage.SEIZURE
    )
    assert found == matter


@pytest.mark.parametrize("stage", sorted(FULL_PROCESS_STAGES))
def test_seizure_and_demolition_cannot_be_plain_av(head, agency, stage):
    with pytest.raises(ValidationError, match="应当全过程音像记录（000 全过程记录办法 第十八条）"):
        av(
            head,
            agency,
            action_type=ActionType.COERCION,
            stage=stage,
            activity="现场",
            requirement=AVRequirement.AV,
            basis="000 全过程记录办法 第十八条",
        )
    assert not AVMatter.objects.exists()


def test_basis_must_cite_the_article_of_the_agencys_own_measure(head, agency):
    # A Zhengzhou agency cites the Zhengzhou measure, not the Henan one.
    with pytest.raises(ValidationError, match="000 全过程记录办法 第十八条"):
        av(
            head,
            agency,
            action_type=ActionType.COERCION,
            stage=Stage.DEMOLITION,
            activity="强制拆除",
            requirement=AVRequirement.FULL_PROCESS,
            basis="001 河南全过程记录办法 第十五条",
        )
    with pytest.raises(ValidationError, match="格式不符"):
        av(
            head,
            agency,
            action_type=ActionType.PENALTY,
            stage=Stage.INVESTIGATION,
            activity="询问",
            requirement=AVRequirement.AV,
            basis="全过程记录办法第十八条",
        )
    # Plain AV an agency adds itself may rest on the list article (第十七条).
    av(
        head,
        agency,
        action_type=ActionType.PENALTY,
        stage=Stage.CLOSURE,
        activity="结案归档时的案卷清点",
        requirement=AVRequirement.AV,
        basis="000 全过程记录办法 第十七条",
    )


def test_henan_and_zhoucun_agencies_cite_their_own_measures(db):
    henan_agency = AgencyFactory(name="河南省生态环境厅", jurisdiction=henan())
    zc_agency = AgencyFactory(name="周村区综合行政执法局", jurisdiction=zhoucun())
    root = UserFactory(agency=henan_agency, is_superuser=True)
    matter = av(
        root,
        henan_agency,
        action_type=ActionType.COERCION,
        stage=Stage.SEIZURE,
        activity="查封排污设备",
        requirement=AVRequirement.FULL_PROCESS,
        basis="001 河南全过程记录办法 第十五条；001 河南全过程记录办法 第十八条",
    )
    assert matter.pk
    with pytest.raises(ValidationError, match="002 第二十五条"):
        av(
            root,
            zc_agency,
            action_type=ActionType.COERCION,
            stage=Stage.DEMOLITION,
            activity="强制拆除",
            requirement=AVRequirement.FULL_PROCESS,
            basis="000 全过程记录办法 第十八条",
        )
    assert av(
        root,
        zc_agency,
        action_type=ActionType.PENALTY,
        stage=Stage.INVESTIGATION,
        activity="询问当事人和证人、现场检查",
        requirement=AVRequirement.AV,
        basis="002 第二十五条；002 第三十三条",
    ).pk


def test_strictest_requirement_wins_and_withdrawn_matters_do_not_count(head, agency):
    plain = av(
        head,
        agency,
        action_type=ActionType.PENALTY,
        stage=Stage.INVESTIGATION,
        activity="询问当事人",
        requirement=AVRequirement.AV,
        basis="000 全过程记录办法 第十八条",
    )
    full = av(
        head,
        agency,
        action_type=ActionType.PENALTY,
        stage=Stage.INVESTIGATION,
        activity="执法办案场所内询问",
        requirement=AVRequirement.FULL_PROCESS,
        basis="000 全过程记录办法 第十八条",
    )
    kwargs = {"agency": agency, "action_type": ActionType.PENALTY, "stage": Stage.INVESTIGATION}
    assert selectors.av_requirement(**kwargs) == full
    services.withdraw_item(full, actor=head, reason="并入其他事项")
    assert selectors.av_requirement(**kwargs) == plain
    assert (
        selectors.av_requirement(agency=agency, action_type=ActionType.PENALTY, stage=Stage.CLOSURE)
        is None
    )


def test_av_articles_exist_in_the_regulation_files():
    """Every article the AV table cites is in the file it names, and says what we claim."""
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in REGULATIONS.glob("0*.txt")}
    assert {"000", "001", "002"} <= set(texts), f"regulation files not found in {REGULATIONS}"
    expected = {
        "full_process": "查封扣押财产、强制拆除",
        "matter_list": "音像记录事项清单",
        "arrival_to_departure": "到达执法现场",
    }
    for profile, articles in AV_ARTICLES.items():
        for attr, phrase in expected.items():
            source = getattr(articles, attr)
            if source is None:
                continue
            citation = parse_citation(source)
            text = texts[citation.file]
            if profile == "zhoucun":
                phrase = {"full_process": "全过程音像记录", "matter_list": "音像记录事项清单"}[attr]
            assert _article_text(text, citation, profile).find(phrase) >= 0, (profile, attr)


def _article_text(text: str, citation, profile: str) -> str:
    """The text of one article, inside the right measure of a file holding several."""
    measure_title = {
        "zhengzhou": "郑州市行政执法全过程记录办法",
        "henan": "河南省行政执法全过程记录办法",
    }.get(profile)
    if measure_title:
        text = text[text.rindex(measure_title) :]
    start = text.index(citation.article_text)
    end = text.find("第", start + len(citation.article_text) + 1)
    following = text.find("\n第", start + 1)
    return text[start : following if following > 0 else end]


def test_stage_vocabulary():
    assert stage_label("seizure") == "查封扣押" and stage_label("nope") == "nope"
    penalty = [s.label for s in STAGES_BY_ACTION_TYPE[ActionType.PENALTY]]
    assert penalty == [
        "立案",
        "调查取证",
        "告知",
        "陈述申辩",
        "听证",
        "审核决定",
        "送达",
        "执行",
        "结案",
    ]
    assert set(STAGES_BY_ACTION_TYPE) == set(ActionType.values)
