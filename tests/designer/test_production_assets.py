"""Production static files: after ``collectstatic`` with the production storage, the
studio's JavaScript and CSS are served compressed (brotli, gzip) and cached for a
year (``immutable``), no source map is collected or served, and the start page's
HTML references only the start page's share of the bundle (not the designer's).

``collectstatic`` runs once for the module into a temporary ``STATIC_ROOT``;
each test then uses a fresh test client, whose WhiteNoise middleware indexes
that folder as a production server does at start-up. Needs the built bundle
(``make frontend``; ``make test`` builds it first).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import brotli
import pytest
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings

from designer.models import Team, Workflow
from designer.templatetags import vite

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# The start page's JavaScript (entry, shared chunks and the start page's chunk,
# uncompressed): 1,059 KiB when every page was one chunk, 239 KiB split (64 KiB brotli).
START_PAGE_JS_LIMIT_KB = 300
YEAR = 365 * 24 * 3600
PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "stateyard.static_storage.StudioStaticFilesStorage"},
}
DEFINITION = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}


@pytest.fixture(scope="module")
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if vite.manifest() is None:
        pytest.fail("the studio bundle is not built: run `make frontend`")
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", "--noinput", verbosity=0)
        yield root


@pytest.fixture
def client_for(static_root: Path) -> Any:
    def make(user: Any) -> Client:
        client = Client()  # a new handler: WhiteNoise indexes STATIC_ROOT as it is now
        client.force_login(user)
        return client

    return make


@pytest.fixture
def workflow(team: Team) -> Workflow:
    return Workflow.objects.create(team=team, name="orders", definition=DEFINITION)


def page_urls(workflow: Workflow) -> dict[str, str]:
    return {"start": "/teams/acme/studio/", "designer": f"/workflows/{workflow.pk}/"}


def referenced(html: str) -> dict[str, list[str]]:
    """The page's static JavaScript (entry script, module preloads) and stylesheets."""
    scripts = re.findall(r'<script type="module" src="([^"]+)"', html)
    preloads = re.findall(r'<link rel="modulepreload" href="([^"]+)"', html)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    return {"js": scripts + preloads, "css": styles}


def body_of(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def file_of(static_root: Path, url: str) -> Path:
    assert url.startswith("/static/"), url
    return static_root / url.removeprefix("/static/")


def assert_served_compressed(client: Client, static_root: Path, url: str) -> None:
    original = file_of(static_root, url).read_bytes()
    for encoding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        response = client.get(url, HTTP_ACCEPT_ENCODING=encoding)
        assert response.status_code == 200, url
        assert response["Content-Encoding"] == encoding, url
        assert "Accept-Encoding" in response["Vary"], url
        cache = response["Cache-Control"]
        found = re.search(r"max-age=(\d+)", cache)
        assert found and int(found.group(1)) >= YEAR, (url, cache)
        assert "immutable" in cache.split(", "), (url, cache)
        assert decompress(body_of(response)) == original, url
    plain = client.get(url, HTTP_ACCEPT_ENCODING="identity")
    assert plain.status_code == 200 and "Content-Encoding" not in plain
    assert body_of(plain) == original


@pytest.mark.parametrize("page", ["start", "designer"])
def test_page_assets_are_compressed_and_cached_for_a_year(
    client_for: Any, owner: Any, workflow: Workflow, static_root: Path, page: str
) -> None:
    client = client_for(owner)
    response = client.get(page_urls(workflow)[page])
    assert response.status_code == 200
    html = response.content.decode()
    assets = referenced(html)
    assert assets["js"] and assets["css"], html
    app_css = re.findall(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', html)
    assert app_css, "base.html's stylesheet is not the hashed, collected one"
    for url in [*assets["js"], *assets["css"]]:
        assert_served_compressed(client, static_root, url)


def test_the_layout_worker_is_compressed_and_cached_for_a_year(
    client_for: Any, owner: Any, static_root: Path
) -> None:
    chunks = vite.manifest() or {}
    workers = [c["file"] for c in chunks.values() if c.get("isWorker")]
    assert workers, "the layout worker is not in the Vite manifest"
    for file in workers:
        assert_served_compressed(client_for(owner), static_root, f"/static/dist/{file}")


def test_an_unhashed_original_is_not_cached_forever(client_for: Any, owner: Any) -> None:
    response = client_for(owner).get("/static/css/app.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]


def test_no_source_map_is_collected_or_served(
    client_for: Any, owner: Any, static_root: Path
) -> None:
    client = client_for(owner)
    bundle = sorted((static_root / "dist").rglob("*.js"))
    assert bundle
    assert not list((static_root / "dist").rglob("*.map"))
    for path in bundle:
        assert b"sourceMappingURL" not in path.read_bytes(), path
        url = "/static/" + path.relative_to(static_root).as_posix() + ".map"
        assert client.get(url).status_code == 404, url


def test_the_start_page_references_only_its_own_javascript(
    client_for: Any, owner: Any, team: Team, static_root: Path
) -> None:
    response = client_for(owner).get("/teams/acme/studio/")
    assert response.status_code == 200
    js = referenced(response.content.decode())["js"]
    chunks = vite.manifest() or {}
    # the HTML names every chunk the start page loads before it renders ...
    loads = {chunks[k]["file"] for k in vite.page_chunks(chunks, vite.ENTRY, "start")}
    assert {url.removeprefix("/static/dist/") for url in js} == loads
    # ... the start page's own chunk among them, not the other pages' chunks
    assert chunks[vite.PAGE_MODULES["start"]]["file"] in loads
    for page in ("designer", "execution"):
        assert chunks[vite.PAGE_MODULES[page]]["file"] not in loads, page
    size_kb = sum(file_of(static_root, url).stat().st_size for url in js) / 1024
    assert size_kb < START_PAGE_JS_LIMIT_KB, f"start page JavaScript: {size_kb:.0f} KB"


def test_every_page_module_is_a_lazy_chunk_of_the_entry() -> None:
    """vite.PAGE_MODULES mirrors frontend/src/main.tsx's lazy imports."""
    chunks = vite.manifest() or {}
    lazy = chunks[vite.ENTRY].get("dynamicImports", [])
    for page, module in vite.PAGE_MODULES.items():
        assert module in lazy, (page, module, lazy)
