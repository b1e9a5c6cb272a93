"""The execution runtime: how the engine's functional core is driven inside the web app.

* ``machines``: parsed state machines, cached by definition.
* ``dispatch``: hand an execution to a worker now or at a time (Celery, or the
  embedded in-process pool when no Redis is configured).
* ``embedded``: the in-process worker pool and timer used by ``make run``.
* ``live``: publish committed events to the channel layer.
"""
