"""JSONPath for Step Functions' JSONPath query language, compiled once.

``compile_path("$.a[0]['b c']")`` parses the text into a frozen ``JsonPath``
whose ``find(document)`` is cheap: a path made only of names and indexes runs a
tight loop over a tuple of keys, anything else walks a list of selector steps.

What a path can say (what AWS's JSONPath accepts):

* ``$``, ``.name`` (any character but ``. [ ] ' "`` and whitespace; ``\\`` escapes
  one character), ``['name']`` / ``["name"]`` (``$.abc.['def ghi']`` too),
  ``[0]``, ``[*]`` and ``.*``, slices ``[a:b:c]``, unions ``[0,1]`` and
  ``['a','b']``, recursive descent ``..name`` / ``..*`` / ``..[0]``,
  filters ``[?(@.price < 10 && @.tag == 'x' || !@.isbn)]`` with ``== != < <= > >= =~``
  and existence tests, and ``[(@.length-1)]``.

AWS's engine behaves like an early Jayway JsonPath, and so does this one:

* A *definite* path (names, indexes, ``[(@.length-n)]``, a leaf ``['a','b']``)
  yields one value or raises ``PathNotFound``; any other path yields a list of
  matches, possibly empty (``$.items[*]`` on ``{}`` is ``[]``).
* A single negative index (``$.a[-1]``) selects nothing, as recorded on AWS;
  slices count from the end (``$.a[-1:]``) and ``$.a[(@.length-1)]`` is the last item.
* ``['a','b']`` as the last step merges into one object ``{"a": ..., "b": ...}``;
  anywhere else it fails with "Multi properties can only be used as path leafs".
* ``@`` in a filter only matches objects (AWS documents it), never scalars.
* ``PathNotFound.reason`` words a miss like AWS: ``No results for path: $['x']``.

``compile_reference`` adds the roots ``$$`` (context object) and ``$name``
(a workflow variable). ``set_at`` implements ResultPath, copying only the
objects along the path.

The parts: ``steps`` (selectors and filters), ``parser`` (text to steps),
``paths`` (``JsonPath``, ``compile_path``, misses), ``references`` (the ``$``,
``$$`` and ``$name`` roots) and ``result_path`` (``set_at``).
"""

from __future__ import annotations

from engine.jsonpath.paths import JsonPath, PathNotFound, compile_path, compile_result_path
from engine.jsonpath.references import Reference, bracket_notation, compile_reference
from engine.jsonpath.result_path import REFERENCE_PATH_CONFLICT, set_at

__all__ = [
    "REFERENCE_PATH_CONFLICT",
    "JsonPath",
    "PathNotFound",
    "Reference",
    "bracket_notation",
    "compile_path",
    "compile_reference",
    "compile_result_path",
    "set_at",
]
