from django.urls import URLPattern, path

from . import cards, views

app_name = "workbench"
urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency"),
    path("officers/<int:officer_id>/card.pdf", cards.officer_card, name="officer_card"),
]
