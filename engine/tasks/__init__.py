"""Task resources that do real work: each module adapts one kind and has ``register(registry)``.

* ``http``: ``arn:aws:states:::http:invoke``;
* ``functions``: Python functions, Lambda-style (``arn:aws:lambda:...:function:name`` and
  ``arn:aws:states:::lambda:invoke``).

Activities, callbacks and child executions need the web app's storage and live
in ``designer``.
"""
