"""factory_boy factories for staff accounts: users with roles and a second factor, roles, backup codes.

    UserFactory(viewer=True)                       a viewer with a confirmed authenticator app (MFA)
    UserFactory(administrator=True, mfa=False)     an administrator who has not set up two-step yet
    UserFactory(agency_lead=agency)                an agency lead, who works for that agency
    UserFactory(partnership_manager=board)         likewise board_member=board; triage_worker=True;
                                                   exploitation_analyst=True
    UserFactory(roles=[("board_member", a), ("board_member", b)])    any roles at all

A role in `roles` is a kind ("viewer", "administrator"), or (kind, board or agency) for the roles held
for a board or an agency. A user holds no role unless given one. Every user signs in with PASSWORD and,
as every real account must before it opens a staff page, has a confirmed TOTP device unless mfa=False.
"""

from typing import Any

import factory
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory

from safeguarding.accounts.models import Role, User
from safeguarding.partnership.models import Agency, Board

PASSWORD = "correct-horse-battery-staple-42"


class TOTPDeviceFactory(DjangoModelFactory):
    """An authenticator app, confirmed (set up) unless confirmed=False."""

    class Meta:
        model = TOTPDevice

    user = factory.SubFactory("tests.accounts.factories.UserFactory", mfa=False)
    name = "Authenticator app"
    confirmed = True


class BackupCodesFactory(DjangoModelFactory):
    """The device that holds a user's backup codes: `BackupCodesFactory(user=user, codes=["abcdefgh"])`."""

    class Meta:
        model = StaticDevice
        skip_postgeneration_save = True

    user = factory.SubFactory("tests.accounts.factories.UserFactory")
    name = "Backup codes"

    @factory.post_generation
    def codes(device: StaticDevice, create: bool, extracted: Any, **kwargs: Any) -> None:
        for code in extracted or ():
            device.token_set.create(token=code)


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory("tests.accounts.factories.UserFactory")
    kind = Role.Kind.VIEWER
    board = None
    agency = None


def _role_for(spec: Any) -> dict[str, Any]:
    if isinstance(spec, str | Role.Kind):
        return {"kind": spec}
    kind, scope = spec
    if isinstance(scope, Board):
        return {"kind": kind, "board": scope}
    if isinstance(scope, Agency):
        return {"kind": kind, "agency": scope}
    if scope is None:
        return {"kind": kind}
    raise TypeError(f"A role's scope is a Board or an Agency, not {scope!r}")


def _role(kind: str, scope: str | None = None) -> factory.Maybe:
    """The role `kind` when the parameter of that name is set (to True, or to its board or agency)."""
    scoped = {scope: factory.SelfAttribute(f"..{kind}")} if scope else {}
    return factory.Maybe(kind, factory.RelatedFactory(RoleFactory, "user", kind=kind, **scoped))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        mfa = True
        viewer = False
        administrator = False
        triage_worker = False
        exploitation_analyst = False
        partnership_manager: Board | None = None
        board_member: Board | None = None
        agency_lead: Agency | None = None

    username = factory.Sequence(lambda n: f"staff{n}")
    password = factory.django.Password(PASSWORD)
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Tester {n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    # An agency lead works for the agency they lead, unless a test says otherwise.
    agency = factory.SelfAttribute("agency_lead")

    totp_device = factory.Maybe("mfa", factory.RelatedFactory(TOTPDeviceFactory, "user"))
    viewer_role = _role("viewer")
    administrator_role = _role("administrator")
    triage_worker_role = _role("triage_worker")
    exploitation_analyst_role = _role("exploitation_analyst")
    partnership_manager_role = _role("partnership_manager", "board")
    board_member_role = _role("board_member", "board")
    agency_lead_role = _role("agency_lead", "agency")

    @factory.post_generation
    def roles(user: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        for spec in extracted or ():
            RoleFactory(user=user, **_role_for(spec))
