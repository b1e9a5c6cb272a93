"""Pictures of a workflow through the ``graphviz`` package: DOT, SVG and PNG.

``digraph_of(definition)`` builds a ``graphviz.Digraph`` from
``designer.graph``: each state is a node styled by its type, each Parallel and
Map is a cluster holding one nested cluster per branch or item processor, and
every node and cluster carries its JSON Pointer as ``id`` so SVG elements can
be found by the same address the editor and the live view use. ``dot_of`` is
its DOT source.

Every text that comes from the definition (state names, types, pointers,
Choice conditions) goes through ``_text``: backslashes are doubled and the
package's ``nohtml`` keeps a name like ``<script>`` a plain string (never an
HTML-like label); the package escapes double quotes; a newline becomes DOT's
``\\n`` escape. So a hostile name can neither end the string nor inject
attributes, statements or markup.

``render(graph, "svg" | "png")`` pipes the graph through the ``dot`` layout
command with the package's command line and runner, killed after
``TIMEOUT_SECONDS``. Without Graphviz's binaries it raises
``GraphvizUnavailable`` (HTTP 503) saying how to install them.
"""

from __future__ import annotations

import subprocess
from typing import Any, Final, Literal

import graphviz
from graphviz.backend import dot_command, execute

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


Attrs = dict[str, str]

_FONT: Final[Attrs] = {"fontname": "Helvetica"}
_STATE_STYLES: Final[dict[str, Attrs]] = {
    "Task": {"shape": "box", "style": "rounded,filled", "fillcolor": "#dbeafe", "color": "#2563eb"},
    "Pass": {
        "shape": "box",
        "style": "rounded,filled,dashed",
        "fillcolor": "#f3f4f6",
        "color": "#6b7280",
    },
    "Choice": {"shape": "diamond", "style": "filled", "fillcolor": "#fef3c7", "color": "#d97706"},
    "Wait": {"shape": "hexagon", "style": "filled", "fillcolor": "#ede9fe", "color": "#7c3aed"},
    "Succeed": {
        "shape": "box",
        "style": "rounded,filled,bold",
        "fillcolor": "#dcfce7",
        "color": "#16a34a",
    },
    "Fail": {
        "shape": "octagon",
        "style": "filled,bold",
        "fillcolor": "#fee2e2",
        "color": "#dc2626",
    },
    # a Parallel or Map without any branch or processor is drawn as a plain node
    "Parallel": {"shape": "box3d", "style": "filled", "fillcolor": "#faf5ff", "color": "#9333ea"},
    "Map": {"shape": "box3d", "style": "filled", "fillcolor": "#ecfeff", "color": "#0891b2"},
}
_UNKNOWN_STYLE: Final[Attrs] = {"shape": "box", "style": "dashed", "color": "#9ca3af"}
_CLUSTER_STYLES: Final[dict[str, Attrs]] = {
    "Parallel": {"style": "rounded,filled,dashed", "fillcolor": "#faf5ff", "color": "#9333ea"},
    "Map": {"style": "rounded,filled,bold", "fillcolor": "#ecfeff", "color": "#0891b2"},
    "branch": {"style": "rounded,filled", "fillcolor": "#ffffff", "color": "#c4b5fd"},
    "processor": {"style": "rounded,filled,dotted", "fillcolor": "#ffffff", "color": "#67e8f9"},
}
_MARKER: Final[Attrs] = {
    "style": "filled",
    "fillcolor": "#111827",
    "color": "#111827",
    "fixedsize": "true",
    "label": "",
}
_MARKER_STYLES: Final[dict[str, Attrs]] = {
    "start": {"shape": "circle", **_MARKER, "width": "0.22"},
    "end": {"shape": "doublecircle", **_MARKER, "width": "0.16"},
}
_EDGE_STYLES: Final[dict[str, Attrs]] = {
    "start": {"color": "#6b7280"},
    "end": {"color": "#6b7280"},
    "next": {"color": "#374151"},
    "choice": {"color": "#d97706", "fontcolor": "#92400e"},
    "default": {"color": "#d97706", "fontcolor": "#92400e", "style": "dashed"},
    "catch": {"color": "#dc2626", "fontcolor": "#991b1b", "style": "dashed"},
}


def _text(*parts: str) -> str:
    """Text from the definition as one DOT string; parts are joined by DOT's ``\\n``."""
    escaped = (graphviz.escape(part.replace("\r", "")).replace("\n", "\\n") for part in parts)
    text: str = graphviz.nohtml("\\n".join(escaped))
    return text


def digraph_of(definition: Any, title: str = "workflow") -> graphviz.Digraph:
    """The picture of a definition (any JSON value; a broken draft draws what it can)."""
    return _Builder(graph_of(definition), title).build()


def dot_of(definition: Any, title: str = "workflow") -> str:
    """Graphviz DOT source of a definition."""
    return str(digraph_of(definition, title).source)


def render(
    graph: graphviz.Digraph | str, fmt: ImageFormat, timeout: float = TIMEOUT_SECONDS
) -> bytes:
    """SVG or PNG bytes of a graph (or of DOT source), laid out by Graphviz's ``dot``."""
    source = graph if isinstance(graph, str) else graph.source
    command = dot_command.command("dot", fmt)
    try:
        done = execute.run_check(
            command,
            input=source.encode("utf-8"),
            capture_output=True,
            quiet=True,
            timeout=timeout,
        )
    except graphviz.ExecutableNotFound:
        raise GraphvizUnavailable(
            "Graphviz is not installed on this server, so SVG and PNG exports are unavailable. "
            "Install it with `apt-get install graphviz` (the `dot` command must be on PATH); "
            "JSON, YAML and DOT exports work without it."
        ) from None
    except subprocess.TimeoutExpired:
        raise GraphvizUnavailable(
            f"Graphviz did not finish drawing within {timeout:g} seconds."
        ) from None
    except graphviz.CalledProcessError as failed:
        message = (failed.stderr or b"").decode("utf-8", "replace").strip()[:500]
        failure = GraphvizFailed("Graphviz could not draw this workflow.", {"stderr": message})
        raise failure from None
    if not done.stdout:
        raise GraphvizFailed("Graphviz could not draw this workflow.", {"stderr": ""})
    return bytes(done.stdout)


class _Builder:
    """Builds one graph; container states become clusters."""

    def __init__(self, graph: Graph, title: str) -> None:
        self.graph = graph
        self.ids: dict[str, str] = {n.path: f"n{i}" for i, n in enumerate(graph.nodes)}
        self.clusters: dict[str, str] = {}  # container or lane pointer -> cluster name
        self._number_clusters("")
        self.dot = graphviz.Digraph(
            name=_text(title),
            graph_attr={
                "compound": "true",
                "rankdir": "TB",
                "nodesep": "0.35",
                "ranksep": "0.45",
                **_FONT,
                "fontsize": "11",
            },
            node_attr={**_FONT, "fontsize": "11"},
            edge_attr={**_FONT, "fontsize": "9", "arrowsize": "0.7"},
        )

    def _number_clusters(self, scope: str) -> None:
        for node in self.graph.children(scope):
            if self._is_container(node):
                self.clusters[node.path] = f"cluster_{len(self.clusters) + 1}"
                for lane in self.graph.inner_scopes(node.path):
                    self.clusters[lane.path] = f"cluster_{len(self.clusters) + 1}"
                    self._number_clusters(lane.path)

    def build(self) -> graphviz.Digraph:
        self._scope_body(self.dot, "")
        for edge in self.graph.edges:
            self._edge(edge.source, edge.target, edge.kind, edge.label)
        return self.dot

    def _is_container(self, node: Node) -> bool:
        return node.kind == "state" and bool(self.graph.inner_scopes(node.path))

    def _scope_body(self, into: graphviz.Digraph, scope: str) -> None:
        for node in self.graph.children(scope):
            if self._is_container(node):
                self._container(into, node)
            else:
                self._node(into, node)

    def _node(self, into: graphviz.Digraph, node: Node) -> None:
        if node.kind == "state":
            attrs = {
                **_STATE_STYLES.get(node.type, _UNKNOWN_STYLE),
                "label": _text(node.label, node.type or "?"),
            }
        else:
            attrs = {**_MARKER_STYLES[node.kind], "tooltip": _text(node.label)}
        into.node(self.ids[node.path], id=_text(node.path), **attrs)

    def _container(self, into: graphviz.Digraph, node: Node) -> None:
        with into.subgraph(name=self.clusters[node.path]) as cluster:
            cluster.attr(
                id=_text(node.path),
                label=_text(f"{node.label} ({node.type})"),
                **_CLUSTER_STYLES[node.type],
            )
            for scope in self.graph.inner_scopes(node.path):
                self._lane(cluster, scope)

    def _lane(self, into: graphviz.Digraph, scope: Scope) -> None:
        with into.subgraph(name=self.clusters[scope.path]) as lane:
            lane.attr(id=_text(scope.path), label=_text(scope.label), **_CLUSTER_STYLES[scope.kind])
            self._scope_body(lane, scope.path)

    def _anchor(self, path: str, entering: bool) -> tuple[str, Attrs]:
        """The node an edge attaches to, and the lhead/ltail that clips it at a cluster."""
        node = self.graph.node(path)
        if node is None or not self._is_container(node):
            return self.ids[path], {}
        first = self.graph.inner_scopes(path)[0]
        inner_anchor, _ = self._anchor(
            start_of(first.path) if entering else end_of(first.path), entering
        )
        cluster = self.clusters[path]
        return inner_anchor, ({"lhead": cluster} if entering else {"ltail": cluster})

    def _edge(self, source: str, target: str, kind: str, label: str) -> None:
        tail, ltail = self._anchor(source, entering=False)
        head, lhead = self._anchor(target, entering=True)
        attrs = {**_EDGE_STYLES.get(kind, {}), **ltail, **lhead}
        if label:
            attrs["label"] = _text(label)
        self.dot.edge(tail, head, **attrs)
