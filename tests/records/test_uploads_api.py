"""/api/uploads: resumable, chunked uploads into the file store."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client

from sanxiang.records import uploads
from sanxiang.records.filestore import get_store
from sanxiang.records.models import LedgerEntry, StoredFile, UploadSession
from tests.api.conftest import assert_error, bearer
from tests.factories import UserFactory
from tests.records.samples import sample, sha256

pytestmark = pytest.mark.django_db

KIB = 1024


@pytest.fixture
def officer() -> Any:
    return UserFactory(username="wangjianguo", full_name="王建国")


@pytest.fixture
def client(officer: Any) -> Client:
    c = Client()
    c.force_login(officer)
    return c


def create(client: Client, data: bytes, **overrides: Any) -> Any:
    body = {
        "filename": "执法记录仪_20260131.mp4",
        "size": len(data),
        "sha256": sha256(data),
        "media_type": "video/mp4",
        **overrides,
    }
    return client.post("/api/uploads", body, content_type="application/json")


def put(client: Client, upload_id: str, offset: int, chunk: bytes, **extra: Any) -> Any:
    return client.put(
        f"/api/uploads/{upload_id}",
        data=chunk,
        content_type="application/octet-stream",
        headers={"Upload-Offset": str(offset)},
        **extra,
    )


def send_all(client: Client, upload_id: str, data: bytes, chunk: int) -> Any:
    response = None
    for start in range(0, len(data), chunk):
        response = put(client, upload_id, start, data[start : start + chunk])
        assert response.status_code == 200, response.content.decode()
    return response


def part_file(upload_id: str) -> Any:
    return uploads.upload_dir() / f"{upload_id}.part"


def test_upload_in_chunks_completes_into_the_store(client: Client, officer: Any) -> None:
    data = sample("mp4", 300 * KIB)
    response = create(client, data)
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    upload_id = body["id"]
    assert body["offset"] == 0 and body["status"] == "open" and body["status_label"] == "上传中"
    assert body["chunk_size"] == 4 * 1024 * 1024 and body["max_chunk_size"] == 8 * 1024 * 1024
    assert response["Location"].endswith(f"/api/uploads/{upload_id}")
    assert part_file(upload_id).exists()

    response = put(client, upload_id, 0, data[: 100 * KIB])
    assert response.status_code == 200
    assert response.json()["offset"] == 100 * KIB
    assert response["Upload-Offset"] == str(100 * KIB)
    assert client.get(f"/api/uploads/{upload_id}").json()["offset"] == 100 * KIB

    put(client, upload_id, 100 * KIB, data[100 * KIB : 200 * KIB])
    response = put(client, upload_id, 200 * KIB, data[200 * KIB :])
    body = response.json()
    assert body["status"] == "complete" and body["offset"] == len(data)
    assert body["stored_file"]["sha256"] == sha256(data)
    assert body["stored_file"]["media_type"] == "video/mp4"

    stored = StoredFile.objects.get()
    assert stored.sha256 == sha256(data) and stored.stored_by == officer
    session = UploadSession.objects.get(pk=upload_id)
    assert session.stored_file == stored and session.status == "complete"
    assert get_store().open(stored.sha256).read() == data
    assert not part_file(upload_id).exists()
    actions = list(LedgerEntry.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["records.upload_opened", "records.store_file"]
    assert upload_id in LedgerEntry.objects.get(action="records.store_file").payload


def test_same_content_uploaded_twice_is_stored_once(client: Client) -> None:
    data = sample("jpeg", 50 * KIB)
    for _ in range(2):
        upload_id = create(client, data, media_type="image/jpeg").json()["id"]
        assert send_all(client, upload_id, data, 20 * KIB).json()["status"] == "complete"
    assert StoredFile.objects.count() == 1
    assert UploadSession.objects.filter(status="complete").count() == 2
    assert list(get_store().iter_digests()) == [sha256(data)]


def test_wrong_offset_is_409_with_the_offset_to_resume_from(client: Client) -> None:
    data = sample("mp4", 64 * KIB)
    upload_id = create(client, data).json()["id"]
    put(client, upload_id, 0, data[: 16 * KIB])

    for offset in (0, 32 * KIB):
        response = put(client, upload_id, offset, data[offset : offset + 16 * KIB])
        error = assert_error(response, 409, "offset_mismatch")
        assert f"已接收 {16 * KIB} 字节" in error["message"]
        assert response["Upload-Offset"] == str(16 * KIB)
    assert UploadSession.objects.get(pk=upload_id).received == 16 * KIB
    assert part_file(upload_id).stat().st_size == 16 * KIB


def test_truncated_chunk_is_discarded_and_the_upload_resumes(client: Client) -> None:
    data = sample("mp4", 64 * KIB)
    upload_id = create(client, data).json()["id"]
    put(client, upload_id, 0, data[: 16 * KIB])

    # The connection drops after 5 KiB of a 16 KiB chunk.
    response = client.put(
        f"/api/uploads/{upload_id}",
        data=b"",
        content_type="application/octet-stream",
        headers={"Upload-Offset": str(16 * KIB)},
        CONTENT_LENGTH=str(16 * KIB),
        **{"wsgi.input": io.BytesIO(data[16 * KIB : 21 * KIB])},
    )
    error = assert_error(response, 400, "truncated_chunk")
    assert "只收到 5120 字节" in error["message"] and f"偏移量 {16 * KIB}" in error["message"]
    assert response["Upload-Offset"] == str(16 * KIB)
    assert UploadSession.objects.get(pk=upload_id).received == 16 * KIB
    assert part_file(upload_id).stat().st_size == 16 * KIB

    status = client.get(f"/api/uploads/{upload_id}").json()
    assert status["offset"] == 16 * KIB and status["status"] == "open"
    rest = data[status["offset"] :]
    assert put(client, upload_id, status["offset"], rest).json()["status"] == "complete"
    assert StoredFile.objects.get().sha256 == sha256(data)


def test_digest_mismatch_fails_the_upload_and_stores_nothing(client: Client) -> None:
    data = sample("mp4", 40 * KIB)
    declared = sha256(data)
    tampered = data[:-1] + bytes([data[-1] ^ 0xFF])
    upload_id = create(client, data).json()["id"]
    put(client, upload_id, 0, tampered[: 20 * KIB])
    response = put(client, upload_id, 20 * KIB, tampered[20 * KIB :])

    error = assert_error(response, 422, "validation_error")
    assert declared in error["message"] and sha256(tampered) in error["message"]
    assert declared in error["fields"]["sha256"][0]
    session = UploadSession.objects.get(pk=upload_id)
    assert session.status == "failed" and "文件校验失败" in session.failure
    assert not StoredFile.objects.exists()
    assert list(get_store().iter_digests()) == []
    assert not part_file(upload_id).exists()
    failed = LedgerEntry.objects.get(action="records.upload_failed")
    payload = json.loads(failed.payload)
    assert payload["data"]["expected"] == declared
    assert payload["data"]["actual"] == sha256(tampered)

    # A failed session takes no more data.
    assert_error(put(client, upload_id, 40 * KIB, b"x"), 409, "upload_closed")


def test_disallowed_type_is_refused_at_the_first_chunk(client: Client) -> None:
    data = sample("exe", 100 * KIB)
    upload_id = create(client, data, filename="setup.mp4", media_type="").json()["id"]
    error = assert_error(put(client, upload_id, 0, data[: 32 * KIB]), 422, "validation_error")
    assert "application/x-msdownload" in error["fields"]["media_type"][0]
    session = UploadSession.objects.get(pk=upload_id)
    assert session.status == "failed"
    assert not part_file(upload_id).exists()
    assert LedgerEntry.objects.filter(action="records.upload_failed").count() == 1


def test_declared_type_contradicting_the_content_is_refused(client: Client) -> None:
    data = sample("pdf", 30 * KIB)
    upload_id = create(client, data, media_type="video/mp4").json()["id"]
    error = assert_error(put(client, upload_id, 0, data), 422, "validation_error")
    assert "文件类型不符" in error["message"] and "application/pdf" in error["message"]
    assert not StoredFile.objects.exists()


def test_small_file_type_is_checked_when_complete(client: Client) -> None:
    data = b"<html><script>alert(1)</script></html>"
    upload_id = create(client, data, filename="a.txt", media_type="text/plain").json()["id"]
    error = assert_error(put(client, upload_id, 0, data), 422)
    assert "HTML" in error["message"]


def test_disallowed_declared_type_is_refused_at_once(client: Client) -> None:
    data = sample("exe", 1 * KIB)
    error = assert_error(create(client, data, media_type="application/x-msdownload"), 422)
    assert "media_type" in error["fields"]
    assert not UploadSession.objects.exists()


def test_another_user_cannot_see_append_to_or_abandon_my_upload(client: Client) -> None:
    data = sample("mp4", 32 * KIB)
    upload_id = create(client, data).json()["id"]
    put(client, upload_id, 0, data[: 8 * KIB])

    other = Client()
    other.force_login(UserFactory())
    assert_error(other.get(f"/api/uploads/{upload_id}"), 404, "not_found")
    assert_error(put(other, upload_id, 8 * KIB, data[8 * KIB :]), 404, "not_found")
    assert_error(other.delete(f"/api/uploads/{upload_id}"), 404, "not_found")
    session = UploadSession.objects.get(pk=upload_id)
    assert session.received == 8 * KIB and session.status == "open"
    assert part_file(upload_id).stat().st_size == 8 * KIB


def test_bearer_token_client_uploads(officer: Any) -> None:
    data = sample("wav", 20 * KIB)
    api = Client(**bearer(officer))
    upload_id = create(api, data, filename="询问录音.wav", media_type="audio/wav").json()["id"]
    assert put(api, upload_id, 0, data).json()["stored_file"]["media_type"] == "audio/x-wav"


def test_session_writes_need_the_csrf_token(officer: Any) -> None:
    data = sample("mp4", 1 * KIB)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(officer)
    assert_error(create(strict, data), 403, "csrf_failed")
    upload_id = create(Client(**bearer(officer)), data).json()["id"]
    strict.force_login(officer)
    assert_error(put(strict, upload_id, 0, data), 403, "csrf_failed")


def test_anonymous_is_401() -> None:
    assert_error(create(Client(), b"x"), 401, "unauthenticated")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"sha256": "xyz"}, "sha256"),
        ({"size": 0}, "size"),
        ({"size": 21 * 1024**3}, "size"),
        ({"filename": ""}, "filename"),
        ({"filename": "../"}, "filename"),
        ({"media_type": "text/html"}, "media_type"),
    ],
)
def test_create_validates_its_input(client: Client, overrides: dict, field: str) -> None:
    error = assert_error(create(client, b"x" * 10, **overrides), 422, "validation_error")
    assert field in error["fields"], error


def test_filename_is_cleaned_of_paths(client: Client) -> None:
    data = sample("png", 1 * KIB)
    body = create(client, data, filename="C:\\Users\\王\\现场照片.png", media_type="image/png")
    assert body.json()["filename"] == "现场照片.png"


def test_size_limit_is_configurable(client: Client, settings) -> None:
    settings.SANXIANG_UPLOAD_MAX_SIZE = 10 * KIB
    error = assert_error(create(client, sample("mp4", 11 * KIB)), 422)
    assert "不能超过 10.0 KiB" in error["fields"]["size"][0]


def test_chunk_limits(client: Client, settings) -> None:
    settings.SANXIANG_UPLOAD_MAX_CHUNK = 8 * KIB
    data = sample("mp4", 32 * KIB)
    upload_id = create(client, data).json()["id"]
    error = assert_error(put(client, upload_id, 0, data[: 9 * KIB]), 422)
    assert "不能超过 8.0 KiB" in error["message"]
    put(client, upload_id, 0, data[: 8 * KIB])
    # More than the declared size.
    error = assert_error(put(client, upload_id, 8 * KIB, b"y" * 8 * KIB * 3 + b"z"), 422)
    assert UploadSession.objects.get(pk=upload_id).received == 8 * KIB


def test_chunk_needs_an_offset_and_accepts_content_range(client: Client) -> None:
    data = sample("mp4", 20 * KIB)
    upload_id = create(client, data).json()["id"]
    response = client.put(
        f"/api/uploads/{upload_id}", data=data[:10], content_type="application/octet-stream"
    )
    assert "Upload-Offset" in assert_error(response, 400, "bad_request")["message"]
    response = client.put(
        f"/api/uploads/{upload_id}",
        data=data[: 10 * KIB],
        content_type="application/octet-stream",
        headers={"Content-Range": f"bytes 0-{10 * KIB - 1}/{len(data)}"},
    )
    assert response.json()["offset"] == 10 * KIB
    response = client.put(
        f"/api/uploads/{upload_id}",
        data=data[10 * KIB :],
        content_type="application/octet-stream",
        headers={"Content-Range": f"bytes {10 * KIB}-{len(data) - 1}/{len(data)}"},
    )
    assert response.json()["status"] == "complete"


def test_abandon_removes_the_partial_bytes(client: Client) -> None:
    data = sample("mp4", 32 * KIB)
    upload_id = create(client, data).json()["id"]
    put(client, upload_id, 0, data[: 8 * KIB])
    response = client.delete(f"/api/uploads/{upload_id}")
    assert response.status_code == 200 and response.json()["status"] == "abandoned"
    assert not part_file(upload_id).exists()
    assert client.delete(f"/api/uploads/{upload_id}").json()["status"] == "abandoned"
    assert_error(put(client, upload_id, 8 * KIB, data[8 * KIB :]), 409, "upload_closed")
    assert LedgerEntry.objects.filter(action="records.upload_abandoned").count() == 1


def test_completed_upload_cannot_be_abandoned(client: Client) -> None:
    data = sample("png", 2 * KIB)
    upload_id = create(client, data, media_type="image/png").json()["id"]
    put(client, upload_id, 0, data)
    assert_error(client.delete(f"/api/uploads/{upload_id}"), 409, "upload_closed")


def test_unknown_upload_is_404(client: Client) -> None:
    assert_error(client.get("/api/uploads/not-a-uuid"), 404)
    assert_error(client.get("/api/uploads/00000000-0000-0000-0000-000000000000"), 404)


def test_openapi_documents_the_upload_endpoints(client: Client) -> None:
    spec = client.get("/api/openapi.json").json()
    assert "/api/uploads" in spec["paths"]
    put_op = spec["paths"]["/api/uploads/{upload_id}"]["put"]
    assert "application/octet-stream" in put_op["requestBody"]["content"]
    assert "409" in put_op["responses"]


def test_chunks_larger_than_djangos_in_memory_body_limit_stream_through(client: Client) -> None:
    """DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) limits request.body; chunks are read as a stream."""
    data = sample("mp4", 13 * 1024 * 1024)
    upload_id = create(client, data).json()["id"]
    final = send_all(client, upload_id, data, 5 * 1024 * 1024).json()
    assert final["status"] == "complete" and final["stored_file"]["size"] == len(data)
