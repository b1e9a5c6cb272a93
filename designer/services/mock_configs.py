"""A team's Step Functions Local mock configuration, and the test case a start asks for.

Editors upload the team's configuration (the ``MockConfigFile.json`` of Step
Functions Local, checked by ``engine.mock_config``); anyone in the team reads
it. A start that names a test case (``<state machine ARN>#<TestCase>`` in the
AWS API's StartExecution) runs with the case's mocked responses: its states
answer from the script (stored on the execution as ``mocks``), every other
state runs for real, as in Step Functions Local.
"""

from __future__ import annotations

from typing import Any

from designer.errors import NotFound, ValidationFailed
from designer.models import MockConfig, Team
from designer.services.access import EDIT, VIEW, team_get_for
from designer.services.audit import audit_record
from engine.mock_config import MockConfigError, mock_config_problems, test_case_script
from engine.mock_config import Script as Script


def mock_config_set(user: Any, team_slug: str, config: Any) -> MockConfig:
    """Replace the team's mock configuration (editors); every problem is reported at once."""
    team = team_get_for(user, team_slug, EDIT)
    problems = mock_config_problems(config)
    if problems:
        raise ValidationFailed(
            f"The mock configuration is not valid: {problems[0]}"
            + (f" ({len(problems) - 1} more)" if len(problems) > 1 else ""),
            {"problems": problems},
        )
    saved, _ = MockConfig.objects.update_or_create(
        team=team, defaults={"config": config, "updated_by": user}
    )
    audit_record(team, user, "mock_config.update", team.slug)
    return saved


def mock_config_get(user: Any, team_slug: str) -> dict[str, Any]:
    team = team_get_for(user, team_slug, VIEW)
    found = MockConfig.objects.filter(team=team).first()
    return dict(found.config) if found else {}


def mock_config_clear(user: Any, team_slug: str) -> None:
    team = team_get_for(user, team_slug, EDIT)
    MockConfig.objects.filter(team=team).delete()
    audit_record(team, user, "mock_config.delete", team.slug)


def mock_script_for(team: Team, machine: str, case: str) -> Script:
    """The mocks of test case ``case`` of state machine ``machine`` in the team's configuration."""
    found = MockConfig.objects.filter(team=team).first()
    if found is None:
        raise NotFound(
            f"Test case {case!r} needs a mock configuration; this team has none "
            "(upload one in the team's settings or with the API)."
        )
    try:
        return test_case_script(found.config, machine, case)
    except MockConfigError as err:
        raise NotFound(str(err)) from None
