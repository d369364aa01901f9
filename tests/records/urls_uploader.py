"""Test-only URLconf: the project's URLs plus a page showing the uploader include (used
with @pytest.mark.urls by tests/browser/test_uploader.py; never part of the product)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

PAGE = """{% extends "base.html" %}
{% block title %}上传测试{% endblock %}
{% block content %}
<h1>上传音像记录</h1>
{% include "records/uploader.html" with name="evidence" label="选择音像记录文件" chunk_size=1048576 retry_delay=200 %}
<p data-testid="uploaded-event"></p>
<script>
document.addEventListener("sanxiang:uploaded", function (event) {
  document.querySelector("[data-testid=uploaded-event]").textContent = event.detail.sha256;
});
</script>
{% endblock %}
"""


@login_required
def uploader_page(request: HttpRequest) -> HttpResponse:
    template = engines["django"].from_string(PAGE)
    return HttpResponse(template.render({}, request))


urlpatterns = [
    path("test/uploader/", uploader_page, name="test-uploader"),
    path("", include("sanxiang.urls")),
]
