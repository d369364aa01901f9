from django.urls import URLPattern, path

from . import (
    access_views,
    archive_views,
    cards,
    case_views,
    correction_views,
    export_views,
    inspection_views,
    list_change_views,
    publication_views,
    review_views,
    signage_views,
    views,
)

app_name = "workbench"
urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency"),
    path("officers/<int:officer_id>/card.pdf", cards.officer_card, name="officer_card"),
    path("cases/", case_views.inbox, name="cases"),
    path("cases/new/", case_views.open_case, name="case_open"),
    path("cases/<int:pk>/", case_views.case_detail, name="case"),
    path("cases/<int:pk>/records/<slug:kind>/", case_views.add_record, name="case_add_record"),
    path("cases/<int:pk>/transition/", case_views.fire_transition, name="case_transition"),
    path("cases/<int:pk>/close/", case_views.close_case, name="case_close"),
    path("cases/<int:pk>/officers/", case_views.assign_officer, name="case_assign"),
    path(
        "cases/<int:pk>/collective/",
        case_views.mark_collective_discussion,
        name="case_collective",
    ),
    path("cases/<int:pk>/evidence/", case_views.add_evidence, name="case_evidence"),
    path("cases/<int:pk>/av/", case_views.add_av_recording, name="case_av"),
    path("records/<int:pk>/sign/", case_views.sign_record, name="record_sign"),
    path("records/<int:pk>/correct/", case_views.correct_record, name="record_correct"),
    path("records/<int:pk>.pdf", case_views.record_document, name="record_pdf"),
    path("files/<slug:kind>/<int:pk>/", case_views.stored_file, name="stored_file"),
]
urlpatterns += review_views.urlpatterns  # 法制审核: reviews/…
urlpatterns += access_views.urlpatterns  # 调阅、复制: access/…
urlpatterns += correction_views.urlpatterns  # 更正申请, 办理进度查询码
urlpatterns += signage_views.urlpatterns  # 窗口岗位信息公示牌: signage/
urlpatterns += archive_views.urlpatterns  # 案卷与归档: archives/…
urlpatterns += publication_views.urlpatterns  # 执法决定公示: publications/…
urlpatterns += inspection_views.urlpatterns  # 双随机、一公开: inspections/…
urlpatterns += export_views.urlpatterns  # 双公示数据导出与报送
urlpatterns += list_change_views.urlpatterns  # 待修订登记: agencies/<pk>/list-changes/
