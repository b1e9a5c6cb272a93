"""Task ``Resource`` ARNs and the ``Credentials`` block.

A Resource is an ARN, ``arn:partition:service:region:account:resource``
(https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html):

- a service integration: ``arn:aws:states:::service:action`` with an empty
  region and account, optionally ``.sync``, ``.sync:2`` or
  ``.waitForTaskToken`` (``aws-sdk:service:action`` for SDK integrations);
- an activity: ``arn:aws:states:region:account:activity:name``;
- a Lambda function: ``arn:aws:lambda:region:account:function:name`` with at
  most one qualifier (``$LATEST``, a version number or an alias).

A value holding a ``${...}`` placeholder (CloudFormation
``DefinitionSubstitutions``) is left alone: it is an ARN only once substituted.
``Credentials`` names the role to assume: exactly one of ``RoleArn`` and (in
JSONPath) ``RoleArn.$``.
"""

from __future__ import annotations

import re
from typing import Any, Final

from engine.validation import expressions as ex
from engine.validation.report import Path, Report, describe
from engine.validation.schema import JSONATA, Lang

_ARN: Final = re.compile(
    r"^arn:(?P<partition>aws(?:-[a-z]+)*):(?P<service>[a-z0-9-]+):"
    r"(?P<region>[^:]*):(?P<account>[^:]*):(?P<resource>.*)$"
)
_REGION: Final = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d+$")
_ACCOUNT: Final = re.compile(r"^\d{12}$")
_INTEGRATION: Final = re.compile(
    r"^(?:aws-sdk:)?[a-z0-9-]+:[A-Za-z][A-Za-z0-9]*(?:\.sync(?::2)?|\.waitForTaskToken)?$"
)
_ACTIVITY: Final = re.compile(r"^activity:[^:\s]{1,80}$")
_FUNCTION: Final = re.compile(
    r"^function:(?P<name>[A-Za-z0-9_-]{1,64})(?::(?P<qualifier>\$LATEST|[A-Za-z0-9_-]{1,128}))?$"
)
_CREDENTIALS: Final = ("RoleArn", "RoleArn.$")


def is_placeholder(text: str) -> bool:
    """True for a value with a ``${...}`` substitution still in it."""
    return "${" in text


def arn_problem(text: str) -> str | None:
    """Why ``text`` is not a Resource ARN a Task may name; None when it is one."""
    match = _ARN.match(text)
    if match is None:
        return "it is not an ARN of the form arn:partition:service:region:account:resource"
    service, region, account, resource = match.group("service", "region", "account", "resource")
    if not resource:
        return "its resource part (after the account) is empty"
    if service == "states":
        return _states_problem(region, account, resource)
    if service == "lambda":
        return _lambda_problem(region, account, resource)
    if region and not _REGION.match(region):
        return f"its region {region!r} is not a region name such as us-east-1"
    if account and not _ACCOUNT.match(account):
        return f"its account {account!r} is not a 12-digit account id"
    return None


def _states_problem(region: str, account: str, resource: str) -> str | None:
    if not region and not account:
        if _INTEGRATION.match(resource):
            return None
        return (
            f"{resource!r} is not a service integration such as lambda:invoke, "
            "states:startExecution.sync:2 or aws-sdk:s3:listBuckets"
        )
    if not region or not account:
        return "a service integration leaves both region and account empty; an activity has both"
    located = _located_problem(region, account)
    if located:
        return located
    if not _ACTIVITY.match(resource):
        return f"{resource!r} is not an activity (activity:name)"
    return None


def _lambda_problem(region: str, account: str, resource: str) -> str | None:
    if not region or not account:
        return "a Lambda function ARN needs its region and account"
    located = _located_problem(region, account)
    if located:
        return located
    if not _FUNCTION.match(resource):
        return (
            f"{resource!r} is not function:name with at most one qualifier "
            "($LATEST, a version number or an alias)"
        )
    return None


def _located_problem(region: str, account: str) -> str | None:
    if not _REGION.match(region):
        return f"its region {region!r} is not a region name such as us-east-1"
    if not _ACCOUNT.match(account):
        return f"its account {account!r} is not a 12-digit account id"
    return None


def check_task_resource(report: Report, where: Path, value: Any, what: str) -> None:
    """A Task's Resource: a well-formed ARN of an integration, activity or function."""
    if not isinstance(value, str) or is_placeholder(value):
        return
    problem = arn_problem(value)
    if problem:
        report.error(
            "INVALID_RESOURCE_ARN", where, f"The Resource {describe(value)} of {what}: {problem}."
        )


def check_credentials(report: Report, where: Path, value: Any, lang: Lang, what: str) -> None:
    """Credentials: exactly one of RoleArn (a string) and RoleArn.$ (a path, JSONPath only)."""
    if not isinstance(value, dict):
        return  # the field table reported the type
    accepted = ("RoleArn",) if lang == JSONATA else _CREDENTIALS
    present = [key for key in accepted if key in value]
    if not present:
        report.error(
            "SCHEMA_MISSING_FIELD",
            where,
            f"Credentials of {what} must name the role to assume with RoleArn"
            + ("." if lang == JSONATA else " or RoleArn.$."),
        )
    if len(present) > 1:
        report.error(
            "EXCLUSIVE_FIELDS", (*where, "RoleArn.$"), "Credentials has both RoleArn and RoleArn.$."
        )
    for key, item in value.items():
        _credential_field(report, (*where, str(key)), key, item, lang)


def _credential_field(report: Report, at: Path, key: Any, item: Any, lang: Lang) -> None:
    if key not in _CREDENTIALS:
        report.error(
            "SCHEMA_UNKNOWN_FIELD",
            at,
            f"Credentials does not accept the field {describe(key)} (allowed: RoleArn"
            + (")." if lang == JSONATA else ", RoleArn.$)."),
        )
    elif key == "RoleArn.$" and lang == JSONATA:
        report.error(
            "FIELD_WRONG_QUERY_LANGUAGE",
            at,
            "RoleArn.$ only exists in JSONPath; a JSONata state gives RoleArn a {% %} expression.",
        )
    elif not isinstance(item, str):
        report.error(
            "SCHEMA_WRONG_TYPE", at, f"{key} must be a string, but it is {describe(item)}."
        )
    elif key == "RoleArn.$":
        ex.check_path_or_intrinsic(report, at, item, f"RoleArn.$ {describe(item)}")
    elif lang == JSONATA and ex.is_jsonata(item):
        ex.check_jsonata(report, at, item, "Credentials/RoleArn")
