"""The web UI: `GET /` (the page) and `GET /static/{path}` (its ES modules, styles and vendored libraries).

The UI is static files with no build step; it talks to the gateway only through the public `/api`. The page is
served with a strict Content-Security-Policy: scripts and styles only from this origin, plus the one inline script
a browser needs for ES modules to import the vendored libraries by name (the import map), allowed by its hash.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.staticfiles import StaticFiles

from gateway.auth import PUBLIC, requires

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
_IMPORT_MAP = re.compile(r'<script type="importmap">(.*?)</script>', re.DOTALL)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def content_security_policy(page: str) -> str:
    """The policy for `page`: its inline import map is the only script not loaded from this origin."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in _IMPORT_MAP.findall(page)
    )
    return (
        f"default-src 'none'; script-src 'self' {hashes}; style-src 'self'; img-src 'self' data: blob:; "
        "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


class WebUi:
    """The page, read once, with its policy; the assets through Starlette's StaticFiles (ETag, 304, no escapes)."""

    def __init__(self, directory: Path = STATIC_DIR) -> None:
        self.page = (directory / "index.html").read_text()
        self.policy = content_security_policy(self.page)
        self.assets = StaticFiles(directory=directory)

    async def index(self, request: Request) -> Response:
        return HTMLResponse(
            self.page,
            headers={**SECURITY_HEADERS, "Content-Security-Policy": self.policy, "Cache-Control": "no-cache"},
        )

    async def asset(self, request: Request) -> Response:
        # Without a build step, asset URLs carry no content hash: the browser revalidates (ETag → 304) instead.
        response = await self.assets.get_response(request.path_params["path"], request.scope)
        response.headers.update({**SECURITY_HEADERS, "Cache-Control": "no-cache"})
        return response


_web_ui = WebUi()


@requires(PUBLIC)
async def index(request: Request) -> Response:
    """The web UI's single page; screens are chosen by the URL's fragment (`/#/conversations`)."""
    return await _web_ui.index(request)


@requires(PUBLIC)
async def static_asset(request: Request) -> Response:
    """A file of the web UI: its modules, styles and vendored libraries."""
    return await _web_ui.asset(request)


routes = [
    Route("/", index, methods=["GET"]),
    Route("/static/{path:path}", static_asset, methods=["GET"]),
]
