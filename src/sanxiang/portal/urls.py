from django.urls import URLPattern, path

from . import transparency, views

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
