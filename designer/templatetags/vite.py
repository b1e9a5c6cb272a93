"""``{% vite_assets page=... %}``: the studio bundle's ``<script>`` and ``<link>`` tags.

Reads the Vite manifest that ``npm run build`` (``make frontend``) writes into
``static/dist/.vite/manifest.json`` (or ``static/dist/manifest.json``) and
emits the entry's JavaScript module, its CSS, and ``modulepreload`` links for
the chunks it imports; on the graph pages (``BOOT_PAGES``) the boot script and
its chunks come first. Each studio page is a lazily loaded chunk of the entry
(``frontend/src/main.tsx``); with ``page`` the tag also preloads that page's
chunk, its imports and its CSS, so the browser fetches them in parallel with
the entry instead of after it. When the bundle has not been built, it renders
a visible notice instead, so the page says what to do.

URLs go through ``static()``: in production the static files storage
(``stateyard.static_storage``) maps them to the collected files.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ENTRY = "src/main.tsx"
# The boot script (frontend/src/boot.ts) of the pages that lay a graph out: it starts the
# layout worker before the entry's larger chunks are evaluated, so it comes first.
BOOT = "src/boot.ts"
BOOT_PAGES = frozenset({"designer", "execution"})
# The lazily imported page modules of ENTRY, as in ``PAGES`` of frontend/src/main.tsx.
PAGE_MODULES = {
    "start": "src/start/StartPage.tsx",
    "designer": "src/designer/DesignerPage.tsx",
    "execution": "src/execution/ExecutionPage.tsx",
    "executions": "src/executions/TeamExecutionsPage.tsx",
    "maprun": "src/maprun/MapRunPage.tsx",
}
MISSING = (
    '<div class="messages"><p class="message error" role="alert" data-testid="bundle-missing">'
    "The studio front end is not built. Run <code>make frontend</code> "
    "(or <code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>) "
    "and reload.</p></div>"
)
DIST = "dist"


def _dist_dir() -> Path:
    return Path(settings.BASE_DIR) / "static" / DIST


def _manifest_path() -> Path | None:
    for candidate in (_dist_dir() / ".vite" / "manifest.json", _dist_dir() / "manifest.json"):
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> dict[str, Any]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def manifest() -> dict[str, Any] | None:
    """The parsed manifest, or None when the bundle is not built (re-read when it changes)."""
    path = _manifest_path()
    if path is None:
        return None
    return _load(str(path), path.stat().st_mtime)


def static_closure(chunks: dict[str, Any], key: str, seen: set[str] | None = None) -> list[str]:
    """``key`` and every chunk it imports statically, imports first (the browser's load set)."""
    seen = set() if seen is None else seen
    if key in seen or key not in chunks:
        return []
    seen.add(key)
    keys: list[str] = []
    for imported in chunks[key].get("imports", []):
        keys.extend(static_closure(chunks, imported, seen))
    keys.append(key)
    return keys


def page_chunks(chunks: dict[str, Any], entry: str, page: str | None) -> list[str]:
    """The chunks a page loads before it renders: the entry's closure, then its page's."""
    seen: set[str] = set()
    keys = static_closure(chunks, entry, seen)
    module = PAGE_MODULES.get(page or "")
    if module and module in chunks.get(entry, {}).get("dynamicImports", []):
        keys.extend(static_closure(chunks, module, seen))
    return keys


def _url(file: str) -> str:
    return static(f"{DIST}/{file}")


def asset_tags(
    chunks: dict[str, Any], entry: str, page: str | None, url: Callable[[str], str] = _url
) -> SafeString:
    """The stylesheet links, module preloads and scripts of ``page`` (boot script first)."""
    boot = static_closure(chunks, BOOT) if page in BOOT_PAGES else []
    keys = [key for key in page_chunks(chunks, entry, page) if key not in boot]
    css = dict.fromkeys(f for key in keys for f in chunks[key].get("css", []))
    links = format_html_join("\n", '<link rel="stylesheet" href="{}">', ((url(f),) for f in css))
    # the boot script and its chunks are asked for first, before the entry's larger chunks
    return format_html(
        "{}\n{}\n{}",
        links,
        _module_tags(chunks, boot, BOOT, url),
        _module_tags(chunks, keys, entry, url),
    )


def _module_tags(
    chunks: dict[str, Any], keys: list[str], script: str, url: Callable[[str], str]
) -> SafeString:
    """Preloads of ``keys`` but ``script``, then ``script``'s tag (if it is among them)."""
    preloads = format_html_join(
        "\n",
        '<link rel="modulepreload" href="{}">',
        ((url(chunks[key]["file"]),) for key in keys if key != script),
    )
    if script not in keys:
        return preloads
    tag = format_html('<script type="module" src="{}"></script>', url(chunks[script]["file"]))
    return format_html("{}\n{}", preloads, tag)


@register.simple_tag
def vite_assets(entry: str = ENTRY, page: str | None = None) -> SafeString:
    chunks = manifest()
    if chunks is None or entry not in chunks:
        return mark_safe(MISSING)
    return asset_tags(chunks, entry, page)
