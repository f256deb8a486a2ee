"""`manage.py relink`: rebuild every link from scratch, then every network and the alerts they call for.

Keeps analysts' decisions (confirmed links stay confirmed, rejected ones rejected unless new evidence
arrived). Gives the same links as linking each concern as it arrives (services.relink_all). A progress
bar on stderr; a summary, in counts only, on stdout. Nothing is decrypted but inside this process.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from safeguarding.concerns.models import Concern
from safeguarding.linking import services


class Command(BaseCommand):
    help = "Rebuild every link between concerns from scratch, then every network and alert."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--chunk",
            type=int,
            default=1000,
            help="Concerns per batch: each batch is one transaction (default: 1000).",
        )

    def handle(self, *args: Any, chunk: int, **options: Any) -> None:
        if chunk < 1:
            raise CommandError("--chunk must be at least 1.")
        quiet = int(options.get("verbosity", 1)) == 0
        self.stderr.ending = ""  # the bar redraws its line with a carriage return, never a new line
        with tqdm(total=Concern.objects.count(), unit=" concerns", disable=quiet, file=self.stderr) as bar:
            run = services.relink_all(progress=bar.update, chunk=chunk)
        links = ", ".join(f"{n} {what}" for what, n in sorted(run.links.items())) or "none changed"
        self.stdout.write(
            f"Relinked {run.concerns} concerns: {run.candidates} candidate pairs; links: {links}; "
            f"{len(run.networks)} networks, {len(run.networks_closed)} made inactive; "
            f"{len(run.alerts)} new alerts."
        )
