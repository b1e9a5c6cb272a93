"""What a start hands over after its commit: batched advances, queued announcements.

* ``StartBatches``: a start sends its own message when nobody else is sending;
  ids that arrive meanwhile go out together in the next message, each once,
  none left behind.
* ``execution_advance_task`` given a list advances every execution, each in
  its own transaction, and one that fails holds back none of the others.
* ``designer.runtime.live``: on the Redis channel layer a publish is queued
  and sent in order by the process's publisher thread.
"""

from __future__ import annotations

import threading
from typing import Any
from unittest import mock

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from kombu.exceptions import OperationalError

from designer.models import Execution, Team, Workflow
from designer.runtime.dispatch import StartBatches
from designer.runtime.live import publish, publish_flush, workflow_group
from designer.services.executions import execution_start
from designer.tasks import execution_advance_task

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def test_a_lone_start_sends_its_own_message_at_once() -> None:
    sent: list[Any] = []
    with mock.patch.object(
        execution_advance_task, "apply_async", side_effect=lambda args: sent.append(args[0])
    ):
        batches = StartBatches()
        batches.add("a")
        batches.add("b")
    assert sent == ["a", "b"]  # one id each, as a plain id (what older workers expect)


def test_starts_that_meet_a_send_in_flight_go_out_together() -> None:
    sent: list[Any] = []
    first_sending, release = threading.Event(), threading.Event()

    def send(args: list[Any]) -> None:
        sent.append(args[0])
        if len(sent) == 1:  # hold the first send while the others queue up
            first_sending.set()
            release.wait(10)

    batches = StartBatches()
    with mock.patch.object(execution_advance_task, "apply_async", side_effect=send):
        holder = threading.Thread(target=batches.add, args=("first",))
        holder.start()
        assert first_sending.wait(10)
        others = [threading.Thread(target=batches.add, args=(f"id{n}",)) for n in range(20)]
        for thread in others:
            thread.start()
        for thread in others:
            thread.join(10)  # they return at once: the holder sends for them
        assert all(not thread.is_alive() for thread in others)
        release.set()
        holder.join(10)
    assert sent[0] == "first"
    rest = [item for message in sent[1:] for item in message]
    assert sorted(rest) == sorted(f"id{n}" for n in range(20))  # each once, none left
    assert all(isinstance(m, list) and len(m) <= StartBatches.MAX_BATCH for m in sent[1:])
    assert len(sent) == 3  # 20 waiting ids: two messages of at most 16


def test_a_refused_batch_is_logged_and_the_next_start_still_goes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    refused = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    batches = StartBatches()
    with mock.patch.object(execution_advance_task, "apply_async", side_effect=refused):
        batches.add("lost")
    assert "could not dispatch execution" in caplog.text
    sent: list[Any] = []
    with mock.patch.object(
        execution_advance_task, "apply_async", side_effect=lambda args: sent.append(args[0])
    ):
        batches.add("next")
    assert sent == ["next"]


@pytest.mark.django_db
def test_a_batch_task_advances_each_execution_despite_one_failure(team: Team, runner: Any) -> None:
    from designer.services import execution_runtime

    workflow = Workflow.objects.create(team=team, name="p", definition=PASS)
    ids = [
        str(execution_start(runner, workflow.pk, {"n": n}, dispatch=False)[0].pk) for n in range(4)
    ]
    real = execution_runtime.execution_advance

    def flaky(execution_id: Any) -> bool:
        if execution_id == ids[1]:
            raise RuntimeError("this one fails")
        return real(execution_id)

    with (
        mock.patch("designer.tasks.execution_advance", side_effect=flaky),
        pytest.raises(RuntimeError, match="this one fails"),
    ):
        execution_advance_task.run(ids)
    rows = Execution.objects.filter(pk__in=ids).values_list("id", "status")
    statuses = {str(execution_id): status for execution_id, status in rows}
    assert [statuses[i] for i in ids] == [
        "SUCCEEDED",
        "RUNNING",  # left for the sweeper, as a failed single advance is
        "SUCCEEDED",
        "SUCCEEDED",
    ]


def test_publishes_on_redis_are_queued_and_arrive_in_order() -> None:
    layer = get_channel_layer()
    assert type(layer).__name__ == "RedisChannelLayer"  # the suite runs scaled out
    channel = async_to_sync(layer.new_channel)()
    workflow_id = "00000000-0000-0000-0000-00000000abcd"
    async_to_sync(layer.group_add)(workflow_group(workflow_id), channel)
    try:
        for n in range(25):
            publish(f"e{n}", workflow_id, [], {"id": f"e{n}", "n": n})
        assert publish_flush(10)
        received = [async_to_sync(layer.receive)(channel) for _ in range(25)]
    finally:
        async_to_sync(layer.group_discard)(workflow_group(workflow_id), channel)
    assert [m["execution"]["n"] for m in received] == list(range(25))
    assert {m["type"] for m in received} == {"execution.status"}
