"""`manage.py reindex_identifiers`: clean every identifier again and rebuild every blind index key.

Run it after a normaliser changes (linking.normalise.NORMALISER_VERSION) or the blind index key is
rotated, then `manage.py relink` (a link's evidence is a keyed hash of its keys). Resumable: it records
how far it has got (linking.ReindexRun), so a run that was stopped carries on from there when started
again; `--restart` starts from the first concern. A progress bar on stderr; counts only on stdout.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from safeguarding.linking import services
from safeguarding.linking.models import Identifier, ReindexRun


class Command(BaseCommand):
    help = "Clean every identifier again and rebuild its blind index keys (resumable)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--chunk",
            type=int,
            default=500,
            help="Concerns per batch: each batch is one transaction (default: 500).",
        )
        parser.add_argument(
            "--restart",
            action="store_true",
            help="Start again from the first concern instead of carrying on a run that was stopped.",
        )

    def handle(self, *args: Any, chunk: int, restart: bool, **options: Any) -> None:
        if chunk < 1:
            raise CommandError("--chunk must be at least 1.")
        unfinished = None if restart else ReindexRun.objects.filter(finished_at__isnull=True).first()
        start = unfinished.last_concern_id if unfinished is not None else 0
        if unfinished is not None and start:
            self.stdout.write(f"Carrying on run {unfinished.pk} after concern {start}.")
        total = Identifier.objects.filter(concern_id__gt=start).values("concern_id").distinct().count()
        quiet = int(options.get("verbosity", 1)) == 0
        self.stderr.ending = ""  # the bar redraws its line with a carriage return, never a new line
        with tqdm(total=total, unit=" concerns", disable=quiet, file=self.stderr) as bar:
            run = services.identifiers_reindex(chunk=chunk, progress=bar.update, restart=restart)
        self.stdout.write(
            f"Rebuilt the keys of {run.identifiers} identifiers (run {run.pk}, normaliser version "
            f"{run.version}). Run `manage.py relink` next if the blind index key changed."
        )
