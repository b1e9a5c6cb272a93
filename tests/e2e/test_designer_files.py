"""Save, reload (definition and layout survive), export (ASL JSON download), import (a file)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.studio import (
    code_json,
    node,
    node_paths,
    open_designer,
    select_node,
    wait_layout,
    wait_saved,
)

START = {
    "Comment": "files",
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Next": "Nap"},
        "Nap": {"Type": "Wait", "Seconds": 5, "Next": "B"},
        "B": {"Type": "Succeed"},
    },
}
IMPORTED = {
    "StartAt": "Hello",
    "States": {
        "Hello": {"Type": "Pass", "Result": {"greeting": "hi"}, "Next": "Bye"},
        "Bye": {"Type": "Fail", "Error": "Imported", "Cause": "from a file"},
    },
}


def node_position(page: Page, path: str) -> tuple[float, float]:
    """The flow coordinates of a node (xyflow's transform on the node wrapper)."""
    style = page.locator(f'.react-flow__node[data-id="{path}"]').get_attribute("style") or ""
    found = re.search(r"translate\(([-\d.]+)px,\s*([-\d.]+)px\)", style)
    assert found, style
    return float(found[1]), float(found[2])


def test_save_reload_export_import(
    page: Page,
    api: httpx.Client,
    create_workflow: Callable[..., dict[str, Any]],
    tmp_path: Path,
) -> None:
    workflow = create_workflow(START)
    wid = workflow["id"]
    open_designer(page, wid)

    # Edit: rename A (inspector, keyboard), lay out left to right, move Nap by mouse.
    select_node(page, "/States/A")
    name = page.get_by_test_id("inspector-name")
    name.fill("First")
    name.press("Enter")
    expect(node(page, "/States/First")).to_be_visible()
    page.get_by_test_id("toolbar-direction").click()
    expect(page.get_by_test_id("workflow-graph")).to_have_attribute("data-direction", "LR")
    wait_layout(page)
    box = node(page, "/States/Nap").bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 40, box["y"] + box["height"] / 2 + 120, steps=6)
    page.mouse.up()
    expect(page.get_by_test_id("relayout")).to_be_visible()  # a moved node is a layout hint

    page.get_by_test_id("toolbar-save").click()
    wait_saved(page, 2)
    saved = api.get(f"/workflows/{wid}/").json()
    assert set(saved["definition"]["States"]) == {"First", "Nap", "B"}
    assert saved["definition"]["StartAt"] == "First"
    assert saved["layout"]["direction"] == "LR"
    moved = saved["layout"]["positions"]["/States/Nap"]

    # Reload: the definition and the layout come back.
    page.reload()
    wait_layout(page)
    wait_saved(page, 2)
    expect(page.get_by_test_id("workflow-graph")).to_have_attribute("data-direction", "LR")
    assert node_paths(page) == ["/States/B", "/States/First", "/States/Nap"]
    assert node_position(page, "/States/Nap") == (moved["x"], moved["y"])
    assert code_json(page) == saved["definition"]

    # Export as ASL JSON: the download is the saved definition.
    with page.expect_download() as download:
        page.get_by_test_id("toolbar-export").select_option("json")
    exported = json.loads(Path(download.value.path()).read_text())
    assert exported == saved["definition"]
    assert download.value.suggested_filename.endswith(".json")

    # Import a file through the Import control: shown, confirmed, it replaces the definition
    # (undoable), then save.
    source = tmp_path / "imported.asl.json"
    source.write_text(json.dumps(IMPORTED))
    with page.expect_file_chooser() as chooser:
        page.get_by_test_id("toolbar-import").click()
    chooser.value.set_files(source)
    expect(page.get_by_test_id("import-states")).to_have_text("2 states")
    page.get_by_test_id("import-confirm").click()
    expect(page.get_by_test_id("toolbar-status")).to_contain_text("Imported imported.asl.json")
    expect(node(page, "/States/Hello")).to_be_visible()
    assert node_paths(page) == ["/States/Bye", "/States/Hello"]
    expect(page.get_by_test_id("save-state")).to_have_text("unsaved changes")
    page.get_by_test_id("toolbar-save").click()
    wait_saved(page, 3)
    assert api.get(f"/workflows/{wid}/").json()["definition"] == IMPORTED
