"""The portal shows a 双随机 inspection's result only once its 检查结果 has been published
through redaction and the confidentiality review (000 公示办法 第五条, 002 第十八条)."""

from __future__ import annotations

from sanxiang.cases import services as case_services
from sanxiang.disclosure.models import Publication
from sanxiang.inspections import selectors, services
from tests.cases.factories import fire, signed_record
from tests.disclosure.publication_helpers import publish, publisher
from tests.inspections.test_draw import drawn


def test_public_result_waits_for_the_published_inspection_result(dw, client):
    for officer in dw.officers[2:]:
        services.exclude_inspector(actor=dw.world.head, officer=officer, reason="外派")
    draw = drawn(dw, 10)
    services.create_inspection_tasks(actor=dw.world.head, draw=draw, unit=dw.world.unit)
    first = selectors.draw_results(draw).first()
    case = first.task.case
    signed_record(dw.world, case, "inspection_record", 0, ["officer", "witness"])
    case = fire(dw.world.user_a, case, "conclude")
    signed_record(
        dw.world, case, "inspection_result", 0, ["officer", "unit_head"], violations_found=False
    )
    case_services.close_if_finished(actor=dw.world.head, case=case)

    staff_row, public_row = (
        selectors.result_rows([first])[0],
        selectors.result_rows([first], public=True)[0],
    )
    assert staff_row.outcome.label == "未发现问题（合格）"
    assert public_row.outcome.label == "检查结果待公示"
    page = client.get(f"/agencies/{dw.world.agency.pk}/random-inspections/draws/{draw.pk}/")
    assert "未发现问题（合格）" not in page.content.decode()

    publication = Publication.objects.get(case=case, kind=Publication.Kind.INSPECTION_RESULT)
    publish(publisher(dw.world), publication)
    public_row = selectors.result_rows([first], public=True)[0]
    assert public_row.outcome.label == "未发现问题（合格）"
    assert public_row.outcome.publication_id == publication.pk
    page = client.get(f"/agencies/{dw.world.agency.pk}/random-inspections/draws/{draw.pk}/")
    assert f"/decisions/{publication.pk}/" in page.content.decode()
