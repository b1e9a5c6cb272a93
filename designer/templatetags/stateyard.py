"""``{% nav_teams as teams %}``: the signed-in user's teams, for the top navigation.

A tag rather than a context processor so any page that extends ``base.html``
gets the navigation without every view passing it in.
"""

from __future__ import annotations

from typing import Any

from django import template

from designer.selectors.teams import team_list_for

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_teams(context: Any) -> list[Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return list(team_list_for(user)) if user is not None else []
