"""HTTP responses of the archives app shared by the workbench and the API: the archive
package streamed chunk by chunk from the stored files (never whole in memory)."""

from __future__ import annotations

from urllib.parse import quote

from django.http import StreamingHttpResponse

from . import selectors
from .models import CaseFileAssembly
from .package import PayloadFile, stream_package


def disposition(filename: str, ascii_name: str) -> str:
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def package_response(assembly: CaseFileAssembly) -> StreamingHttpResponse:
    """The zipped bag, streamed: built chunk by chunk from the stored files."""
    files = [
        PayloadFile("data/案卷.pdf", assembly.pdf.sha256, assembly.pdf.size),
        *(
            PayloadFile(i.path, i.stored_file.sha256, i.stored_file.size)
            for i in selectors.items(assembly)
        ),
    ]
    response = StreamingHttpResponse(
        stream_package(assembly.bag_name, assembly.bag_info, files),
        content_type="application/zip",
    )
    response["Content-Disposition"] = disposition(
        f"{assembly.bag_name}.zip", f"{assembly.archive_number}.zip"
    )
    response["Content-Length"] = str(assembly.package_size)
    response["X-Content-SHA256"] = assembly.package_sha256
    return response
