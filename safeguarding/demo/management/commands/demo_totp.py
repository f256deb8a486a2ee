"""Print the current two-step verification code of a demo account, to try the toolkit without a phone.

For demo accounts only (created by `load_demo`), and never with production settings: for any real
account this would defeat the point of a second factor.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts.models import User
from safeguarding.demo.services import demo_account_is, demo_allowed


def demo_totp_code(*, username: str) -> tuple[str, int]:
    """The demo account's current code, and how many seconds it stays valid."""
    if not demo_allowed():
        raise CommandError("Not here: these are production settings, or DEMO_DATA_ALLOWED is False.")
    user = User.objects.filter(username=username).first()
    if user is None or not demo_account_is(user):
        raise CommandError(f"{username!r} is not a demo account. This command only works for demo accounts.")
    # The confirmed authenticator if there is one, else the one being set up (its QR code on screen).
    device = (
        TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        or TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    )
    if device is None:
        raise CommandError(
            f"{username} has no authenticator yet. Sign in as {username} first: when the page asks you "
            "to set up two-step verification, run this command again."
        )
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = time.time()
    totp.time = now
    code = str(totp.token()).zfill(device.digits)
    seconds_left = int(device.step - ((now - device.t0) % device.step))
    return code, seconds_left


class Command(BaseCommand):
    help = (
        "Print a demo account's current two-step verification code (demo accounts only, never in production)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="A demo account's username, such as demo-admin.")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        code, seconds_left = demo_totp_code(username=username)
        self.stdout.write(code)
        self.stderr.write(
            f"Valid for about {seconds_left} more seconds. A code can be used only once: if it was just "
            "used, wait for the next one."
        )
