"""``{% vite_assets %}``: the studio bundle's ``<script>`` and ``<link>`` tags.

Reads the Vite manifest that ``npm run build`` (``make frontend``) writes into
``static/dist/.vite/manifest.json`` (or ``static/dist/manifest.json``) and
emits the entry's JavaScript module and CSS files. When the bundle has not
been built, it renders a visible notice instead, so the page says what to do.
"""

from __future__ import annotations

import json
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


def _css_of(chunks: dict[str, Any], key: str, seen: set[str]) -> list[str]:
    if key in seen or key not in chunks:
        return []
    seen.add(key)
    chunk = chunks[key]
    files: list[str] = []
    for imported in chunk.get("imports", []):
        files.extend(_css_of(chunks, imported, seen))
    files.extend(chunk.get("css", []))
    return files


@register.simple_tag
def vite_assets(entry: str = ENTRY) -> SafeString:
    chunks = manifest()
    if chunks is None or entry not in chunks:
        return mark_safe(MISSING)
    css = list(dict.fromkeys(_css_of(chunks, entry, set())))
    links = format_html_join(
        "\n", '<link rel="stylesheet" href="{}">', ((static(f"{DIST}/{f}"),) for f in css)
    )
    script = format_html(
        '<script type="module" src="{}"></script>', static(f"{DIST}/{chunks[entry]['file']}")
    )
    return format_html("{}\n{}", links, script)
