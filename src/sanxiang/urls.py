from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("sanxiang.api.urls")),
    path("staff/", include("sanxiang.workbench.urls")),
    path("", include("sanxiang.portal.urls")),
]
