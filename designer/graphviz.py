"""Pictures of a workflow: DOT text from ``designer.graph``, SVG and PNG from Graphviz.

``dot_of(definition)`` writes Graphviz DOT: each state is a node styled by its
type, each Parallel and Map is a cluster (``subgraph cluster_...``) holding one
nested cluster per branch or item processor, and every node and cluster
carries its JSON Pointer as ``id`` so SVG elements can be found by the same
address the editor and the live view use.

``render(dot, "svg" | "png")`` runs the ``dot`` binary (Debian's ``graphviz``
package) with a timeout. When ``dot`` is not installed it raises
``GraphvizUnavailable`` (HTTP 503) saying how to install it.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Any, Final, Literal

from designer.errors import DomainError
from designer.graph import Graph, Node, Scope, end_of, graph_of, start_of

ImageFormat = Literal["svg", "png"]
TIMEOUT_SECONDS: Final = 10.0


class GraphvizUnavailable(DomainError):
    """Graphviz's ``dot`` is not installed here, or did not answer in time."""

    code = "graphviz_unavailable"
    status = 503


class GraphvizFailed(DomainError):
    """``dot`` ran but could not draw the graph."""

    code = "graphviz_failed"
    status = 500


_FONT: Final = 'fontname="Helvetica"'
_STATE_STYLES: Final[dict[str, str]] = {
    "Task": 'shape=box, style="rounded,filled", fillcolor="#dbeafe", color="#2563eb"',
    "Pass": 'shape=box, style="rounded,filled,dashed", fillcolor="#f3f4f6", color="#6b7280"',
    "Choice": 'shape=diamond, style=filled, fillcolor="#fef3c7", color="#d97706"',
    "Wait": 'shape=hexagon, style=filled, fillcolor="#ede9fe", color="#7c3aed"',
    "Succeed": 'shape=box, style="rounded,filled,bold", fillcolor="#dcfce7", color="#16a34a"',
    "Fail": 'shape=octagon, style="filled,bold", fillcolor="#fee2e2", color="#dc2626"',
    # a Parallel or Map without any branch or processor is drawn as a plain node
    "Parallel": 'shape=box3d, style=filled, fillcolor="#faf5ff", color="#9333ea"',
    "Map": 'shape=box3d, style=filled, fillcolor="#ecfeff", color="#0891b2"',
}
_UNKNOWN_STYLE: Final = 'shape=box, style="dashed", color="#9ca3af"'
_CLUSTER_STYLES: Final[dict[str, str]] = {
    "Parallel": 'style="rounded,filled,dashed"; fillcolor="#faf5ff"; color="#9333ea"',
    "Map": 'style="rounded,filled,bold"; fillcolor="#ecfeff"; color="#0891b2"',
    "branch": 'style="rounded,filled"; fillcolor="#ffffff"; color="#c4b5fd"',
    "processor": 'style="rounded,filled,dotted"; fillcolor="#ffffff"; color="#67e8f9"',
}
_MARKER_STYLES: Final[dict[str, str]] = {
    "start": 'shape=circle, style=filled, fillcolor="#111827", color="#111827", '
    'width=0.22, fixedsize=true, label=""',
    "end": 'shape=doublecircle, style=filled, fillcolor="#111827", color="#111827", '
    'width=0.16, fixedsize=true, label=""',
}
_EDGE_STYLES: Final[dict[str, str]] = {
    "start": 'color="#6b7280"',
    "end": 'color="#6b7280"',
    "next": 'color="#374151"',
    "choice": 'color="#d97706", fontcolor="#92400e"',
    "default": 'color="#d97706", fontcolor="#92400e", style=dashed',
    "catch": 'color="#dc2626", fontcolor="#991b1b", style=dashed',
}


def quote(text: str) -> str:
    """A DOT double-quoted string; backslashes are escaped so Graphviz reads them literally."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r", "").replace("\n", "\\n") + '"'


def dot_of(definition: Any, title: str = "workflow") -> str:
    """Graphviz DOT text of a definition (any JSON value; a broken draft draws what it can)."""
    return _Writer(graph_of(definition), title).write()


def render(dot: str, fmt: ImageFormat, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """SVG or PNG bytes of DOT text, drawn by the ``dot`` binary."""
    binary = shutil.which("dot")
    if binary is None:
        raise GraphvizUnavailable(
            "Graphviz is not installed on this server, so SVG and PNG exports are unavailable. "
            "Install it with `apt-get install graphviz` (the `dot` command must be on PATH); "
            "JSON, YAML and DOT exports work without it."
        )
    try:
        done = subprocess.run(
            [binary, f"-T{fmt}"],
            input=dot.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GraphvizUnavailable(
            f"Graphviz did not finish drawing within {timeout:g} seconds."
        ) from None
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip()[:500]
        raise GraphvizFailed("Graphviz could not draw this workflow.", {"stderr": message})
    return done.stdout


class _Writer:
    """Writes one graph as DOT; container states become clusters."""

    def __init__(self, graph: Graph, title: str) -> None:
        self.graph = graph
        self.title = title
        self.ids: dict[str, str] = {n.path: f"n{i}" for i, n in enumerate(graph.nodes)}
        self.lines: list[str] = []
        self.clusters: dict[str, str] = {}  # container or lane pointer -> cluster name
        self._number_clusters("")

    def _number_clusters(self, scope: str) -> None:
        for node in self.graph.children(scope):
            if self._is_container(node):
                self.clusters[node.path] = f"cluster_{len(self.clusters) + 1}"
                for lane in self.graph.inner_scopes(node.path):
                    self.clusters[lane.path] = f"cluster_{len(self.clusters) + 1}"
                    self._number_clusters(lane.path)

    def write(self) -> str:
        self.lines = [
            f"digraph {quote(self.title)} {{",
            f"  graph [compound=true, rankdir=TB, nodesep=0.35, ranksep=0.45, {_FONT}, "
            "fontsize=11];",
            f"  node [{_FONT}, fontsize=11];",
            f"  edge [{_FONT}, fontsize=9, arrowsize=0.7];",
        ]
        self._scope_body("", "  ")
        for edge in self.graph.edges:
            self._edge(edge.source, edge.target, edge.kind, edge.label)
        self.lines.append("}")
        return "\n".join(self.lines) + "\n"

    def _is_container(self, node: Node) -> bool:
        return node.kind == "state" and bool(self.graph.inner_scopes(node.path))

    def _scope_body(self, scope: str, indent: str) -> None:
        for node in self.graph.children(scope):
            if self._is_container(node):
                self._container(node, indent)
            else:
                self._node(node, indent)

    def _node(self, node: Node, indent: str) -> None:
        if node.kind == "state":
            style = _STATE_STYLES.get(node.type, _UNKNOWN_STYLE)
            label = f"{_inside(node.label)}\\n{_inside(node.type or '?')}"
            attrs = f'{style}, label="{label}"'
        else:
            attrs = f"{_MARKER_STYLES[node.kind]}, tooltip={quote(node.label)}"
        self.lines.append(f"{indent}{self.ids[node.path]} [id={quote(node.path)}, {attrs}];")

    def _container(self, node: Node, indent: str) -> None:
        self.lines.append(f"{indent}subgraph {self.clusters[node.path]} {{")
        inner = indent + "  "
        self.lines.append(f"{inner}id={quote(node.path)};")
        self.lines.append(f"{inner}label={quote(f'{node.label} ({node.type})')};")
        self.lines.append(f"{inner}{_CLUSTER_STYLES[node.type]};")
        for scope in self.graph.inner_scopes(node.path):
            self._lane(scope, inner)
        self.lines.append(f"{indent}}}")

    def _lane(self, scope: Scope, indent: str) -> None:
        self.lines.append(f"{indent}subgraph {self.clusters[scope.path]} {{")
        inner = indent + "  "
        self.lines.append(f"{inner}id={quote(scope.path)};")
        self.lines.append(f"{inner}label={quote(scope.label)};")
        self.lines.append(f"{inner}{_CLUSTER_STYLES[scope.kind]};")
        self._scope_body(scope.path, inner)
        self.lines.append(f"{indent}}}")

    def _anchor(self, path: str, entering: bool) -> tuple[str, str]:
        """The DOT node an edge attaches to, and the lhead/ltail to clip it at a cluster."""
        node = self.graph.node(path)
        if node is None or not self._is_container(node):
            return self.ids[path], ""
        first = self.graph.inner_scopes(path)[0]
        inner_anchor, _ = self._anchor(
            start_of(first.path) if entering else end_of(first.path), entering
        )
        cluster = self.clusters[path]
        return inner_anchor, (f"lhead={cluster}" if entering else f"ltail={cluster}")

    def _edge(self, source: str, target: str, kind: str, label: str) -> None:
        tail, ltail = self._anchor(source, entering=False)
        head, lhead = self._anchor(target, entering=True)
        attrs = [_EDGE_STYLES.get(kind, "")]
        if label:
            attrs.append(f"label={quote(label)}")
        attrs.extend(a for a in (ltail, lhead) if a)
        self.lines.append(f"  {tail} -> {head} [{', '.join(a for a in attrs if a)}];")


def _inside(text: str) -> str:
    """Text for inside a quoted DOT string (the caller adds the quotes)."""
    return quote(text)[1:-1]
