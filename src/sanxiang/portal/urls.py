from django.urls import URLPattern, path

from . import decision_views, inspection_views, list_views, request_views, transparency, views

app_name = "portal"
urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_list, name="agencies"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency"),
    path("agencies/<int:pk>/review-catalogue/", views.review_catalogue, name="review_catalogue"),
    path("officers/", views.officer_list, name="officers"),
    path("officers/<str:number>/", views.certificate, name="certificate"),
    path("transparency/", transparency.transparency, name="transparency"),
]
urlpatterns += list_views.urlpatterns  # 事前公开: 权责清单, 服务指南, 执法流程图 …
urlpatterns += request_views.urlpatterns  # 办理进度查询, 更正申请
urlpatterns += inspection_views.urlpatterns  # 双随机、一公开: …/random-inspections/draws/
urlpatterns += decision_views.urlpatterns  # 执法决定公开: decisions/, decisions/<pk>/
