"""Example Python functions for Task states (see docs/tasks/python-functions.md).

``stateyard_functions.examples`` is loaded by default; point
``STATEYARD_FUNCTION_MODULES`` at your own modules to add more.
"""
