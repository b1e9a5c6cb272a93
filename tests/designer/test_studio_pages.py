"""Studio pages: start page, designer and execution view render the React shell
with the right props for members, send anonymous users to log in, and hide other
teams' objects behind 404. Also the ``{% vite_assets %}`` tag, built or not."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.template import Context, Template

from designer.models import Execution, Team, Workflow
from designer.templatetags import vite
from tests.designer.conftest import ROLES, PageClientFor

pytestmark = pytest.mark.django_db

DEFINITION = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}


@pytest.fixture
def workflow(team: Team) -> Workflow:
    return Workflow.objects.create(team=team, name="orders", definition=DEFINITION)


@pytest.fixture
def execution(workflow: Workflow) -> Execution:
    return Execution.objects.create(
        workflow=workflow, definition=DEFINITION, name="run-1", type=workflow.type, input={}
    )


def props_of(response: Any) -> dict[str, Any]:
    html = response.content.decode()
    assert 'id="studio-root"' in html
    found = re.search(r'<script id="studio-props" type="application/json">(.*?)</script>', html)
    assert found, "props json_script missing"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def page_of(response: Any) -> str:
    found = re.search(r'data-page="(\w+)"', response.content.decode())
    assert found
    return found.group(1)


def urls(workflow: Workflow, execution: Execution) -> dict[str, str]:
    return {
        "start": "/teams/acme/studio/",
        "designer": f"/workflows/{workflow.pk}/",
        "execution": f"/executions/{execution.pk}/",
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["start", "designer", "execution"])
def test_members_get_the_page_with_its_props(
    page_client_for: PageClientFor,
    members: dict[str, Any],
    workflow: Workflow,
    execution: Execution,
    page: str,
    role: str,
) -> None:
    response = page_client_for(members[role]).get(urls(workflow, execution)[page])
    assert response.status_code == 200
    assert page_of(response) == page
    props = props_of(response)
    assert props["page"] == page
    assert props["teamSlug"] == "acme" and props["teamName"] == "Acme"
    assert props["role"] == role
    assert props["canEdit"] is (role in ("owner", "editor"))
    assert props["canRun"] is (role != "viewer")
    assert props["csrfToken"]
    assert props["username"] == members[role].username
    assert props["urls"]["start"] == "/teams/acme/studio/"
    if page in ("designer", "execution"):
        assert props["workflowId"] == str(workflow.pk)
        assert props["workflowName"] == "orders"
    if page == "execution":
        assert props["executionId"] == str(execution.pk)
        assert props["executionName"] == "run-1"
        assert props["urls"]["workflow"] == f"/workflows/{workflow.pk}/"


@pytest.mark.parametrize("page", ["start", "designer", "execution"])
def test_only_the_designer_has_a_slot_for_its_view_tabs_in_the_top_bar(
    page_client_for: PageClientFor,
    owner: Any,
    workflow: Workflow,
    execution: Execution,
    page: str,
) -> None:
    html = page_client_for(owner).get(urls(workflow, execution)[page]).content.decode()
    topbar = html[html.index('<header class="topbar">') : html.index("</header>")]
    assert ('id="studio-view-tabs"' in topbar) is (page == "designer")
    assert html.count('id="studio-view-tabs"') == (1 if page == "designer" else 0)


@pytest.mark.parametrize("page", ["start", "designer", "execution"])
def test_anonymous_users_are_sent_to_log_in(
    page_client_for: PageClientFor, workflow: Workflow, execution: Execution, page: str
) -> None:
    url = urls(workflow, execution)[page]
    response = page_client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/") and url in response["Location"]


@pytest.mark.parametrize("page", ["start", "designer", "execution"])
def test_other_teams_get_404(
    page_client_for: PageClientFor,
    outsider: Any,
    other_team: Team,
    workflow: Workflow,
    execution: Execution,
    page: str,
) -> None:
    response = page_client_for(outsider).get(urls(workflow, execution)[page])
    assert response.status_code == 404


def test_unknown_objects_get_404(page_client_for: PageClientFor, owner: Any, team: Team) -> None:
    client = page_client_for(owner)
    assert client.get("/teams/nope/studio/").status_code == 404
    assert client.get("/workflows/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/executions/00000000-0000-0000-0000-000000000000/").status_code == 404


def render_assets() -> str:
    return Template("{% load vite %}{% vite_assets %}").render(Context({}))


def test_vite_assets_without_a_bundle_says_how_to_build(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(vite, "_dist_dir", lambda: tmp_path)
    html = render_assets()
    assert "make frontend" in html and "<script" not in html


def test_vite_assets_reads_the_manifest(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".vite").mkdir()
    manifest = {
        "src/main.tsx": {
            "file": "assets/main-abc.js",
            "isEntry": True,
            "imports": ["_shared.js"],
            "css": ["assets/main-abc.css"],
        },
        "_shared.js": {"file": "assets/shared.js", "css": ["assets/shared.css"]},
    }
    (tmp_path / ".vite" / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setattr(vite, "_dist_dir", lambda: tmp_path)
    html = render_assets()
    assert '<script type="module" src="/static/dist/assets/main-abc.js"></script>' in html
    assert html.index("shared.css") < html.index("main-abc.css")


def test_vite_assets_preloads_the_page_chunk(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".vite").mkdir()
    manifest = {
        "src/main.tsx": {
            "file": "assets/main-abc.js",
            "isEntry": True,
            "css": ["assets/main-abc.css"],
            "dynamicImports": [vite.PAGE_MODULES["start"], vite.PAGE_MODULES["designer"]],
        },
        vite.PAGE_MODULES["start"]: {
            "file": "assets/StartPage-abc.js",
            "imports": ["src/main.tsx", "_shared.js"],
            "css": ["assets/StartPage-abc.css"],
        },
        vite.PAGE_MODULES["designer"]: {
            "file": "assets/DesignerPage-abc.js",
            "imports": ["src/main.tsx", "_shared.js"],
            "css": ["assets/DesignerPage-abc.css"],
        },
        "_shared.js": {"file": "assets/shared.js", "imports": ["src/main.tsx"]},
    }
    (tmp_path / ".vite" / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setattr(vite, "_dist_dir", lambda: tmp_path)
    html = Template('{% load vite %}{% vite_assets page="start" %}').render(Context({}))
    assert '<link rel="modulepreload" href="/static/dist/assets/shared.js">' in html
    assert '<link rel="modulepreload" href="/static/dist/assets/StartPage-abc.js">' in html
    assert '<link rel="stylesheet" href="/static/dist/assets/StartPage-abc.css">' in html
    assert html.index("main-abc.css") < html.index("StartPage-abc.css")
    assert "DesignerPage" not in html
    assert html.count("main-abc.js") == 1  # the entry is the script, not also a preload
    # without a page (or for an unknown one) only the entry is loaded
    assert "modulepreload" not in render_assets()


def test_graph_pages_load_the_boot_script_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The designer and execution pages start the layout worker from boot.ts, before main."""
    (tmp_path / ".vite").mkdir()
    manifest = {
        "src/main.tsx": {
            "file": "assets/main-abc.js",
            "isEntry": True,
            "imports": ["_layoutWorker.js"],
            "dynamicImports": [vite.PAGE_MODULES["designer"]],
        },
        vite.BOOT: {"file": "assets/boot-abc.js", "isEntry": True, "imports": ["_layoutWorker.js"]},
        "_layoutWorker.js": {"file": "assets/layoutWorker-abc.js"},
        vite.PAGE_MODULES["designer"]: {
            "file": "assets/DesignerPage-abc.js",
            "imports": ["src/main.tsx"],
        },
    }
    (tmp_path / ".vite" / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setattr(vite, "_dist_dir", lambda: tmp_path)
    for page in ("designer", "execution"):
        html = Template(f'{{% load vite %}}{{% vite_assets page="{page}" %}}').render(Context({}))
        boot = '<script type="module" src="/static/dist/assets/boot-abc.js"></script>'
        main = '<script type="module" src="/static/dist/assets/main-abc.js"></script>'
        assert boot in html and main in html
        assert html.index(boot) < html.index(main)
        assert html.count("layoutWorker-abc.js") == 1  # the shared chunk is preloaded once
        assert html.index("layoutWorker-abc.js") < html.index("main-abc.js")
        if page == "designer":  # asked for before the page's chunk
            assert html.index(boot) < html.index("DesignerPage-abc.js")
    start = Template('{% load vite %}{% vite_assets page="start" %}').render(Context({}))
    assert "boot-abc.js" not in start  # pages without a graph do not start the worker
