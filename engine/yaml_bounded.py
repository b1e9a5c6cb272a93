"""YAML that cannot explode: PyYAML's safe loader, counting aliases and the expanded size.

A YAML alias (``*a``) repeats an anchored node without repeating its text, so
a few hundred bytes can describe gigabytes ("billion laughs"): a 390-byte
document took the web server to 10.9 GB. ``BoundedLoader`` (a ``SafeLoader``)
refuses a document that uses more than ``YAML_MAX_ALIASES`` aliases, and
``load_bounded`` measures the document with every alias expanded (in time
linear in the node graph, never expanding it) before it builds any Python
value: more than ``YAML_MAX_EXPANDED_BYTES`` or deeper than ``JSON_MAX_DEPTH``
is refused. Each refusal is a ``yaml.composer.ComposerError`` with the position
of the node at fault, so callers report it like any YAML syntax error.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError

from engine.limits import JSON_MAX_DEPTH, YAML_MAX_ALIASES, YAML_MAX_EXPANDED_BYTES


class BoundedLoader(yaml.SafeLoader):
    """A safe loader that stops at the ``max_aliases``-th-plus-one alias."""

    max_aliases = YAML_MAX_ALIASES

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.alias_uses = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            self.alias_uses += 1
            if self.alias_uses > self.max_aliases:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise ComposerError(
                    None, None, f"the document uses more than {self.max_aliases} aliases", mark
                )
        return super().compose_node(parent, index)


def load_bounded(
    text: str,
    loader_class: type[BoundedLoader] = BoundedLoader,
    *,
    max_bytes: int = YAML_MAX_EXPANDED_BYTES,
    max_depth: int = JSON_MAX_DEPTH,
) -> tuple[Any, yaml.Node | None]:
    """The value of the single YAML document in ``text`` and its node tree.

    Raises ``yaml.YAMLError`` (a ``ComposerError`` for the limits) like ``yaml.load``.
    """
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        check_expansion(node, max_bytes=max_bytes, max_depth=max_depth)
        return loader.construct_document(node), node
    finally:
        loader.dispose()


def check_expansion(root: yaml.Node, *, max_bytes: int, max_depth: int) -> None:
    """Refuse a node graph whose expansion is over ``max_bytes`` or ``max_depth`` deep."""
    sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded bytes, depth)
    open_nodes: set[int] = set()  # nodes being measured: meeting one again is a cycle

    def measure(node: yaml.Node) -> tuple[int, int]:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if id(node) in open_nodes:
            raise ComposerError(None, None, "the document contains itself", node.start_mark)
        open_nodes.add(id(node))
        size, depth = 2, 0
        if isinstance(node, yaml.ScalarNode):
            size += len(str(node.value))
        else:
            children: list[yaml.Node] = []
            if isinstance(node, yaml.SequenceNode):
                children = list(node.value)
            elif isinstance(node, yaml.MappingNode):
                children = [part for pair in node.value for part in pair]
            for child in children:
                child_size, child_depth = measure(child)
                size += child_size + 1
                depth = max(depth, child_depth)
            depth += 1
        if size > max_bytes:
            raise ComposerError(
                None,
                None,
                f"the document expands to more than {max_bytes} bytes once its aliases "
                "are resolved",
                node.start_mark,
            )
        if depth > max_depth:
            raise ComposerError(
                None, None, f"the document nests deeper than {max_depth} levels", node.start_mark
            )
        open_nodes.discard(id(node))
        sizes[id(node)] = (size, depth)
        return size, depth

    measure(root)
