"""A few Lambda-style functions the example workflows call.

Each is a plain ``handler(event, context)`` marked with ``@function("name")``;
call it from a Task as ``arn:aws:lambda:us-east-1:000000000000:function:<name>``
or through ``arn:aws:states:::lambda:invoke`` with ``"FunctionName": "<name>"``.
"""

from __future__ import annotations

from typing import Any

from engine.tasks.functions import LambdaContext, function


class InvalidOrder(Exception):
    """The order cannot be processed (a Catch can match the name ``InvalidOrder``)."""


class TemporarilyUnavailable(Exception):
    """A transient failure (a Retry can match the name ``TemporarilyUnavailable``)."""


@function("greet")
def greet(event: Any, context: LambdaContext) -> dict[str, Any]:
    """``{"name": "Ada"}`` -> ``{"greeting": "Hello, Ada!"}``."""
    name = event.get("name", "world") if isinstance(event, dict) else "world"
    return {"greeting": f"Hello, {name}!", "function": context.function_name}


@function("validate-order")
def validate_order(event: Any, context: LambdaContext) -> dict[str, Any]:
    """Check an order's lines and total it; raises InvalidOrder when there is nothing to sell."""
    lines = event.get("lines") if isinstance(event, dict) else None
    if not lines:
        raise InvalidOrder("The order has no lines.")
    total = 0.0
    for line in lines:
        quantity, price = line.get("quantity", 0), line.get("price", 0)
        if quantity <= 0:
            raise InvalidOrder(f"Line {line.get('sku', '?')} has a quantity of {quantity}.")
        total += quantity * price
    return {"orderId": event.get("orderId"), "total": round(total, 2), "lines": len(lines)}


@function("reserve-stock")
def reserve_stock(event: Any, context: LambdaContext) -> dict[str, Any]:
    """Fails the first ``failFirst`` attempts (default 1) of a Task, then reserves."""
    fail_first = int(event.get("failFirst", 1)) if isinstance(event, dict) else 1
    if context.attempt < fail_first:
        raise TemporarilyUnavailable(f"The warehouse is busy (attempt {context.attempt + 1}).")
    return {"reserved": True, "attempts": context.attempt + 1}


@function("whoami")
def whoami(event: Any, context: LambdaContext) -> dict[str, Any]:
    """The context a function sees (handy when trying things out)."""
    return {
        "functionName": context.function_name,
        "invokedFunctionArn": context.invoked_function_arn,
        "requestId": context.aws_request_id,
        "remainingMillis": context.get_remaining_time_in_millis(),
        "state": context.state_name,
        "event": event,
    }
