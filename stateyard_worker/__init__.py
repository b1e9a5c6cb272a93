"""A small client for Stateyard activity workers (standard library only; copy it anywhere).

    from stateyard_worker import ActivityWorker

    def handler(task_input, task):
        return {"greeting": f"Hello, {task_input['name']}"}

    ActivityWorker("http://127.0.0.1:8000", "sy_...", ACTIVITY_ARN).run(handler)

See ``stateyard_worker.client`` and docs/tasks/activities.md.
``stateyard_worker.supervisor`` keeps worker processes running (``make worker``).
"""

from stateyard_worker.client import ActivityTask, ActivityWorker, ApiError, TaskError

__all__ = ["ActivityTask", "ActivityWorker", "ApiError", "TaskError"]
