"""Teams, memberships and invitations: every rule about who belongs to a team.

Rules decided here:

* The creator of a team becomes its owner; slugs are unique (``acme``,
  ``acme-2``, ...).
* Only owners invite, revoke invitations, add members, change roles and remove
  other members. An owner may grant any role, including owner.
* A team always keeps at least one owner: the last owner cannot be demoted,
  removed, or leave (not even as the only member: a team without members
  would be unreachable). Make another member an owner first.
* Whoever loses access (removed, left, another role) has their open websockets
  re-check it (``access_events``).
* Invitations expire after ``INVITATION_TTL`` and are single-use. An e-mail
  invitation is bound to that address (the accepting user's e-mail must match);
  a link invitation has no address and may be accepted by whoever holds it.

Every change records an audit entry.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from designer import errors
from designer.models import Invitation, Membership, Role, Team
from designer.services.access import MANAGE, team_require
from designer.services.access_events import access_changed
from designer.services.audit import audit_record

logger = logging.getLogger(__name__)

INVITATION_TTL = timedelta(days=7)
TEAM_NAME_MAX = 80
RESERVED_SLUGS = frozenset({"new"})  # would clash with page addresses such as /teams/new/


def _role(value: Any) -> str:
    if value not in Role.values:
        raise errors.ValidationFailed(
            "Unknown role.", {"role": [f"Choose one of: {', '.join(Role.values)}."]}
        )
    return str(value)


def _unique_slug(name: str) -> str:
    base = (slugify(name) or "team")[:70].strip("-") or "team"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Team.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def team_create(user: Any, name: str) -> Team:
    """A new team with ``user`` as its owner."""
    name = (name or "").strip()
    if not name:
        raise errors.ValidationFailed("A team needs a name.", {"name": ["This field is required."]})
    if len(name) > TEAM_NAME_MAX:
        raise errors.ValidationFailed(
            "The name is too long.", {"name": [f"Use at most {TEAM_NAME_MAX} characters."]}
        )
    for _ in range(5):  # a concurrent create may take the same slug; try the next one
        try:
            with transaction.atomic():
                team = Team.objects.create(name=name, slug=_unique_slug(name))
                Membership.objects.create(team=team, user=user, role=Role.OWNER)
                audit_record(team, user, "team.create", team.slug, name=name)
                return team
        except IntegrityError:
            continue
    raise errors.Conflict("Could not pick a unique address for the team; try again.")


# invitations -----------------------------------------------------------------------------


def invitation_accept_url(invitation: Invitation, base_url: str = "") -> str:
    path = reverse("invitation_accept", args=[invitation.token])
    base = base_url or str(settings.STATEYARD.get("BASE_URL", "")) or "http://localhost:8000"
    return base.rstrip("/") + path


def invitation_status(invitation: Invitation) -> str:
    """``pending``, ``accepted``, ``revoked`` or ``expired``."""
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.revoked:
        return "revoked"
    if invitation.expires_at <= timezone.now():
        return "expired"
    return "pending"


def _invitation_mail(invitation: Invitation, inviter: Any, url: str) -> None:
    context = {"invitation": invitation, "inviter": inviter, "team": invitation.team, "url": url}
    subject = f"Join {invitation.team.name} on Stateyard"
    body = render_to_string("teams/invitation_email.txt", context)
    try:
        send_mail(subject, body, None, [invitation.email])
    except Exception:  # the invitation stays valid; the owner can copy its link instead
        logger.exception("could not send the invitation e-mail to %s", invitation.email)


def invitation_create(
    team: Team, inviter: Any, email: str | None, role: str, *, base_url: str = ""
) -> Invitation:
    """An invitation to ``team``: by e-mail (a mail with the link is sent) or a bare link."""
    team_require(inviter, team, MANAGE)
    role = _role(role)
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except Exception:
            raise errors.ValidationFailed(
                "Enter a valid e-mail address.", {"email": ["Enter a valid e-mail address."]}
            ) from None
        if Membership.objects.filter(team=team, user__email__iexact=email).exists():
            raise errors.Conflict(
                "Someone with this e-mail address is already a member.",
                {"email": ["Already a member."]},
            )
        pending = Invitation.objects.filter(
            team=team,
            email__iexact=email,
            accepted_at__isnull=True,
            revoked=False,
            expires_at__gt=timezone.now(),
        )
        if pending.exists():
            raise errors.Conflict(
                "This address already has a pending invitation; revoke it first.",
                {"email": ["Already invited."]},
            )
    with transaction.atomic():
        invitation = Invitation.objects.create(
            team=team,
            email=email,
            role=role,
            token=secrets.token_urlsafe(32),
            invited_by=inviter,
            expires_at=timezone.now() + INVITATION_TTL,
        )
        audit_record(
            team, inviter, "invitation.create", email or "link", role=role, invitation=invitation.pk
        )
    if email:
        _invitation_mail(invitation, inviter, invitation_accept_url(invitation, base_url))
    return invitation


def invitation_check(user: Any, invitation: Invitation) -> None:
    """Raise the error that would stop ``user`` from accepting ``invitation``."""
    status = invitation_status(invitation)
    if status == "accepted":
        raise errors.Conflict("This invitation has already been used.", {"status": status})
    if status == "revoked":
        raise errors.Conflict("This invitation has been revoked.", {"status": status})
    if status == "expired":
        raise errors.Conflict("This invitation has expired; ask for a new one.", {"status": status})
    if invitation.email and invitation.email.lower() != (user.email or "").lower():
        raise errors.PermissionDenied(
            "This invitation was sent to another e-mail address. "
            "Log in with the account that uses that address.",
            {"status": "wrong_email"},
        )
    if Membership.objects.filter(team=invitation.team, user=user).exists():
        raise errors.Conflict("You are already a member of this team.", {"status": "member"})


def invitation_accept(user: Any, token: str) -> Membership:
    """Join the invitation's team with its role; the invitation is then used up."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("team")
            .filter(token=token)
            .first()
        )
        if invitation is None:
            raise errors.NotFound("No such invitation.")
        invitation_check(user, invitation)
        membership = Membership.objects.create(
            team=invitation.team, user=user, role=invitation.role
        )
        invitation.accepted_by = user
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_by", "accepted_at"])
        audit_record(
            invitation.team,
            user,
            "invitation.accept",
            user.get_username(),
            role=invitation.role,
            invitation=invitation.pk,
        )
    return membership


def invitation_revoke(team: Team, actor: Any, invitation_id: Any) -> Invitation:
    team_require(actor, team, MANAGE)
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().filter(pk=invitation_id, team=team).first()
            if str(invitation_id).isdigit()
            else None
        )
        if invitation is None:
            raise errors.NotFound("No such invitation.")
        if invitation.accepted_at is not None:
            raise errors.Conflict("This invitation has already been used.")
        if not invitation.revoked:
            invitation.revoked = True
            invitation.save(update_fields=["revoked"])
            audit_record(
                team,
                actor,
                "invitation.revoke",
                invitation.email or "link",
                invitation=invitation.pk,
            )
    return invitation


# memberships -----------------------------------------------------------------------------


def _membership(team: Team, user_id: Any, *, lock: bool = False) -> Membership:
    qs = Membership.objects.select_related("user").filter(team=team)
    if lock:
        qs = qs.select_for_update()
    membership = qs.filter(user_id=user_id).first() if str(user_id).isdigit() else None
    if membership is None:
        raise errors.NotFound("No such member.")
    return membership


def _owner_count(team: Team) -> int:
    return Membership.objects.filter(team=team, role=Role.OWNER).count()


LAST_OWNER_LEAVE = "You are the last owner: make another member an owner before leaving."
LAST_OWNER_DEMOTE = "The last owner cannot be demoted; make someone else an owner first."
LAST_OWNER_REMOVE = "The last owner cannot be removed; make someone else an owner first."


def membership_last_owner_id(team: Team) -> Any:
    """The user id of the team's only owner (who may not leave, be demoted or removed), or None."""
    owners = list(
        Membership.objects.filter(team=team, role=Role.OWNER).values_list("user_id", flat=True)[:2]
    )
    return owners[0] if len(owners) == 1 else None


def membership_create(team: Team, actor: Any, username: str, role: str) -> Membership:
    """Add an existing user directly (owners only), without an invitation."""
    team_require(actor, team, MANAGE)
    role = _role(role)
    user = get_user_model().objects.filter(username__iexact=(username or "").strip()).first()
    if user is None or not user.is_active:
        raise errors.ValidationFailed("No such user.", {"username": ["No user with this name."]})
    with transaction.atomic():
        if Membership.objects.filter(team=team, user=user).exists():
            raise errors.Conflict(
                "This user is already a member.", {"username": ["Already a member."]}
            )
        membership = Membership.objects.create(team=team, user=user, role=role)
        audit_record(team, actor, "membership.create", user.get_username(), role=role)
    return membership


def membership_change_role(team: Team, actor: Any, user_id: Any, role: str) -> Membership:
    """Give a member another role (owners only); the last owner keeps the owner role."""
    team_require(actor, team, MANAGE)
    role = _role(role)
    with transaction.atomic():
        Team.objects.select_for_update().filter(pk=team.pk).first()  # serialise owner changes
        membership = _membership(team, user_id, lock=True)
        old = membership.role
        if old == role:
            return membership
        if old == Role.OWNER and _owner_count(team) <= 1:
            raise errors.Conflict(LAST_OWNER_DEMOTE)
        membership.role = role
        membership.save(update_fields=["role"])
        access_changed(membership.user_id)
        audit_record(
            team, actor, "membership.role_change", membership.user.get_username(), old=old, new=role
        )
    return membership


def membership_remove(team: Team, actor: Any, user_id: Any) -> None:
    """Remove another member (owners only); to remove yourself, leave."""
    team_require(actor, team, MANAGE)
    with transaction.atomic():
        Team.objects.select_for_update().filter(pk=team.pk).first()
        membership = _membership(team, user_id, lock=True)
        if membership.user_id == actor.pk:
            raise errors.ValidationFailed("To remove yourself from the team, leave it.")
        if membership.role == Role.OWNER and _owner_count(team) <= 1:
            raise errors.Conflict(LAST_OWNER_REMOVE)
        username = membership.user.get_username()
        role = membership.role
        membership.delete()
        access_changed(membership.user_id)
        audit_record(team, actor, "membership.remove", username, role=role)


def membership_leave(team: Team, user: Any) -> None:
    """Leave ``team``. The last owner may not leave (the team would have no owner)."""
    with transaction.atomic():
        Team.objects.select_for_update().filter(pk=team.pk).first()
        membership = Membership.objects.select_for_update().filter(team=team, user=user).first()
        if membership is None:
            raise errors.NotFound("No such team.")
        if membership.role == Role.OWNER and _owner_count(team) <= 1:
            raise errors.Conflict(LAST_OWNER_LEAVE)
        role = membership.role
        membership.delete()
        access_changed(user.pk)
        audit_record(team, user, "membership.leave", user.get_username(), role=role)
