"""A local ImageKit API for tests: a real HTTP server on 127.0.0.1 that the real ``imagekitio`` 5
SDK talks to once ``base_url`` points at it (``settings.IMAGEKIT_BASE_URL``).

What the SDK sends (imagekitio 5.11, ``resources/files/files.py``), with ``base_url`` overridden:
- upload: ``POST /api/v1/files/upload``, multipart/form-data with ``file`` and camelCase fields
  (``fileName``, ``folder``, ``useUniqueFileName``...); answers JSON with ``fileId``, ``url``...
- delete: ``DELETE /v1/files/{fileId}``; answers 204 (404 JSON when the file does not exist).
- list: ``GET /v1/files?path=&searchQuery=name = "x.jpg"`` -> a JSON array of the files of that
  folder with that name (the only search the app makes).
- auth: ``Authorization: Basic base64(private_key:password)``.

The stub records every request (``stub.requests``), keeps the uploaded files (``stub.files``,
also served by ``GET`` at their ``url``), checks the private key (401 otherwise) and can be made
to fail per endpoint: ``stub.upload_mode`` / ``stub.delete_mode`` / ``stub.list_mode`` in
``"ok" | "error" (HTTP 500) | "hang" (never answers) | "bad_json" (200, broken JSON) |
"bad_request" (400)``, or stopped entirely (``stub.close()``: connections are then refused).
An upload mode ``"stored_then_<mode>"`` keeps the file first and then fails as ``<mode>`` (ImageKit
stored it, the client never learns its id). ``useUniqueFileName=false`` with an existing name
replaces that file, as ImageKit's default ``overwriteFile`` does. ``stub.upload_mode_times = n``
applies the upload mode to the next n uploads only (a failure the SDK's retry gets past).
"""

from __future__ import annotations

import base64
import re
import secrets
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qs, unquote, urlsplit

from tests.stubs.server import LocalHTTPStub, StubHandler

MODES = ("ok", "error", "hang", "bad_json", "bad_request")


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict
    body: bytes
    fields: dict = field(default_factory=dict)  # multipart text fields
    files: dict = field(default_factory=dict)  # multipart file parts: name -> (filename, bytes)

    @property
    def authorization(self) -> str:
        return self.headers.get("authorization", "")


@dataclass
class StoredFile:
    file_id: str
    name: str
    file_path: str
    url: str
    data: bytes


def _parse_multipart(content_type: str, body: bytes) -> tuple[dict, dict]:
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    fields, files = {}, {}
    if not message.is_multipart():
        return fields, files
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            files[name] = (filename, payload)
        else:
            fields[name] = payload.decode("utf-8")
    return fields, files


class ImageKitStub(LocalHTTPStub):
    def __init__(self, *, private_key: str = "private_test_key"):
        self.private_key = private_key
        self.files: dict[str, StoredFile] = {}
        self.upload_mode = "ok"
        self.delete_mode = "ok"
        self.list_mode = "ok"
        self.upload_mode_times: int | None = None  # then uploads succeed again (None: always)
        super().__init__(name="imagekit-stub")

    # --- helpers for tests ----------------------------------------------------------------
    def requests_to(self, method: str, path_prefix: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.method == method and r.path.startswith(path_prefix)]

    @property
    def uploads(self) -> list[RecordedRequest]:
        return self.requests_to("POST", "/api/v1/files/upload")

    @property
    def lists(self) -> list[RecordedRequest]:
        return [r for r in self.requests_to("GET", "/v1/files") if urlsplit(r.path).path == "/v1/files"]

    @property
    def deletes(self) -> list[RecordedRequest]:
        return self.requests_to("DELETE", "/v1/files/")

    def deleted_ids(self) -> list[str]:
        return [unquote(r.path.rsplit("/", 1)[1]) for r in self.deletes]

    def expected_authorization(self) -> str:
        """What the SDK sends for this key (it pairs the key with its default password)."""
        return "Basic " + base64.b64encode(f"{self.private_key}:do_not_set".encode()).decode()

    # --- the server -----------------------------------------------------------------------
    def _handler_class(self):
        stub = self

        class Handler(StubHandler):
            def _send(self, status: int, payload=None, *, raw: bytes | None = None, content_type="application/json"):
                self.send_json(status, raw if raw is not None else payload, content_type=content_type)

            def _record(self, body: bytes, fields=None, files=None) -> RecordedRequest:
                record = RecordedRequest(
                    method=self.command,
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                    fields=fields or {},
                    files=files or {},
                )
                with stub._lock:
                    stub.requests.append(record)
                return record

            def _authorised(self) -> bool:
                header = self.headers.get("Authorization", "")
                if not header.startswith("Basic "):
                    return False
                try:
                    user = base64.b64decode(header[6:]).decode().split(":", 1)[0]
                except Exception:
                    return False
                return secrets.compare_digest(user, stub.private_key)

            def _failure(self, mode: str) -> bool:
                """Answer according to a failure mode; False when the request should proceed."""
                if mode == "ok":
                    return False
                if mode == "hang":
                    stub._release.wait(timeout=60)
                    self.close_connection = True
                    return True
                if mode == "error":
                    self._send(500, {"message": "We have experienced an internal error while processing your request."})
                elif mode == "bad_json":
                    self._send(200, raw=b'{"fileId": "broken', content_type="application/json")
                elif mode == "bad_request":
                    self._send(400, {"message": "Your request is missing file parameter.", "help": "stub"})
                else:
                    raise AssertionError(f"unknown stub mode {mode!r}")
                return True

            def do_POST(self):
                body = self.read_body()
                content_type = self.headers.get("Content-Type", "")
                fields, files = _parse_multipart(content_type, body) if content_type.startswith("multipart/") else ({}, {})
                self._record(body, fields, files)
                if self.path != "/api/v1/files/upload":
                    return self._send(404, {"message": "not found"})
                if not self._authorised():
                    return self._send(401, {"message": "Your request does not contain private API key."})
                with stub._lock:
                    mode = stub.upload_mode
                    if stub.upload_mode_times is not None:
                        mode = mode if stub.upload_mode_times > 0 else "ok"
                        stub.upload_mode_times -= 1
                stored_first = mode.startswith("stored_then_")
                if not stored_first and self._failure(mode):
                    return
                if "file" not in files or not fields.get("fileName"):
                    return self._send(400, {"message": "Missing file parameter or fileName."})
                file_id = secrets.token_hex(12)
                folder = "/" + fields.get("folder", "/").strip("/")
                name = fields["fileName"]
                if fields.get("useUniqueFileName", "true") != "false":
                    stem, dot, ext = name.rpartition(".")
                    name = f"{stem}_{secrets.token_hex(4)}{dot}{ext}" if dot else f"{name}_{secrets.token_hex(4)}"
                file_path = f"{folder.rstrip('/')}/{name}"
                stored = StoredFile(
                    file_id=file_id, name=name, file_path=file_path, url=f"{stub.url}/ik{file_path}",
                    data=files["file"][1],
                )
                with stub._lock:
                    for existing in [f for f in stub.files.values() if f.file_path == file_path]:
                        del stub.files[existing.file_id]
                    stub.files[file_id] = stored
                if stored_first and self._failure(mode[len("stored_then_"):]):
                    return
                self._send(200, {
                    "fileId": file_id,
                    "name": name,
                    "filePath": file_path,
                    "url": stored.url,
                    "thumbnailUrl": f"{stub.url}/ik/tr:n-ik_ml_thumbnail{file_path}",
                    "size": len(stored.data),
                    "fileType": "image",
                    "height": None,
                    "width": None,
                    "versionInfo": {"id": file_id, "name": "Version 1"},
                })

            def do_DELETE(self):
                self._record(self.read_body())
                prefix = "/v1/files/"
                if not self.path.startswith(prefix) or "/" in self.path[len(prefix):]:
                    return self._send(404, {"message": "not found"})
                if not self._authorised():
                    return self._send(401, {"message": "Your request does not contain private API key."})
                if self._failure(stub.delete_mode):
                    return
                file_id = unquote(self.path[len(prefix):])
                with stub._lock:
                    existed = stub.files.pop(file_id, None)
                if existed is None:
                    return self._send(404, {"message": "The requested file does not exist.", "help": "stub"})
                self._send(204)

            def do_GET(self):
                self._record(b"")
                split = urlsplit(self.path)
                if split.path == "/v1/files":
                    return self._list(parse_qs(split.query))
                with stub._lock:
                    match = next((f for f in stub.files.values() if self.path == f"/ik{f.file_path}"), None)
                if match is None:
                    return self._send(404, {"message": "not found"})
                self._send(200, raw=match.data, content_type="image/jpeg")

            def _list(self, query: dict):
                if not self._authorised():
                    return self._send(401, {"message": "Your request does not contain private API key."})
                if self._failure(stub.list_mode):
                    return None
                folder = "/" + query.get("path", ["/"])[0].strip("/")
                wanted = re.fullmatch(r'\s*name\s*=\s*"([^"]*)"\s*', query.get("searchQuery", [""])[0])
                if wanted is None:
                    return self._send(400, {"message": "the stub only answers searchQuery=name = \"...\""})
                with stub._lock:
                    found = [f for f in stub.files.values()
                             if f.name == wanted.group(1) and f.file_path == f"{folder.rstrip('/')}/{f.name}"]
                return self._send(200, [
                    {"type": "file", "fileId": f.file_id, "name": f.name, "filePath": f.file_path, "url": f.url}
                    for f in found
                ])

        return Handler
