"""``python manage.py stateyard_access_key USERNAME TEAM_SLUG``: an AWS API key pair as JSON.

Prints ``{"AccessKeyId": ..., "SecretAccessKey": ...}`` for scripts and CI
(``aws configure``, ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``). The user
must be a member of the team; the key acts with their role there.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from designer.errors import DomainError
from designer.services.access_keys import access_key_create


class Command(BaseCommand):
    help = "Create an AWS API access key for a user in a team; print it as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("team_slug")
        parser.add_argument("--description", default="created with manage.py")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None or not user.is_active:
            raise CommandError(f"No active user {options['username']!r}.")
        try:
            made = access_key_create(user, options["team_slug"], options["description"])
        except DomainError as err:
            raise CommandError(
                f"{options['username']} cannot have a key in {options['team_slug']!r}: "
                f"{err.message}"
            ) from None
        self.stdout.write(json.dumps(made.as_aws()))
