"""What an expression may read while it is evaluated.

A ``Scope`` is handed to every compiled expression (JSONPath, payload template,
intrinsic function, Choice rule, JSONata template). It is immutable; the
interpreter builds a new one for each processing step.

* ``input``: the document ``$`` refers to in JSONPath (the state input, or the
  task result inside ``ResultSelector``, or the item inside ``ItemSelector``'s
  ``$``...). In JSONata it is ``$states.input``, always the state's raw input.
* ``context``: the context object (``$$`` in JSONPath, ``$states.context`` in JSONata).
* ``variables``: the workflow variables visible to the state (``$name``).
* ``result``: ``$states.result`` in JSONata (the Task/Parallel/Map result), else MISSING.
* ``error_output``: ``$states.errorOutput`` in a JSONata Catcher, else MISSING.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from engine.jsonvalue import MISSING


@dataclass(frozen=True, slots=True)
class Scope:
    input: Any
    context: Any = field(default_factory=dict)
    variables: Mapping[str, Any] = field(default_factory=dict)
    result: Any = MISSING
    error_output: Any = MISSING

    def with_input(self, value: Any) -> Scope:
        """The same scope with ``$`` pointing at another document."""
        return replace(self, input=value)
