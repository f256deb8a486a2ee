"""`manage.py reindex_identifiers`: every key rebuilt from the encrypted values, resumable, one audit
event a run."""

import io

import pytest
from django.core.management import call_command

from safeguarding.audit.models import AuditEvent
from safeguarding.linking.models import Identifier, IdentifierKey, ReindexRun
from safeguarding.linking.services import concern_identifiers_refresh, identifiers_reindex
from tests.concerns.factories import ConcernFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def concerns():
    made = [
        ConcernFactory(
            phones=[{"number": f"07700 900{n:03d}"}],
            vehicles=[{"registration": f"KX19 FT{chr(65 + n)}"}],
            people=[{"role": "at_risk", "name": f"Ada Fictional{n}", "age": "about 15"}],
        )
        for n in range(5)
    ]
    for concern in made:
        concern_identifiers_refresh(concern=concern)
    return made


def keys() -> list[tuple[int, str, str]]:
    return sorted(IdentifierKey.objects.values_list("identifier_id", "kind", "index"))


def test_keys_lost_or_stale_are_rebuilt_the_same_with_a_bar_on_stderr(concerns, settings):
    before = keys()
    IdentifierKey.objects.all().delete()
    Identifier.objects.update(version=1, normal="stale")
    out, err = io.StringIO(), io.StringIO()
    call_command("reindex_identifiers", "--chunk", "2", stdout=out, stderr=err)
    assert keys() == before
    assert set(Identifier.objects.values_list("version", flat=True)) == {2}
    assert "Rebuilt the keys of 15 identifiers" in out.getvalue()
    assert "5/5" in err.getvalue()
    [event] = AuditEvent.objects.filter(summary__startswith="Identifier keys rebuilt")
    assert event.data["identifiers"] == 15


def test_a_rotated_blind_index_key_gives_new_keys(concerns, settings):
    before = {index for _, _, index in keys()}
    settings.FIELD_BLIND_INDEX_KEY = "YW5vdGhlci1ibGluZC1pbmRleC1rZXktb2YtMzItYnl0ZXMh"  # rotated
    identifiers_reindex()
    after = {index for _, _, index in keys()}
    assert after
    assert not before & after


def test_a_run_stopped_part_way_carries_on_where_it_stopped(concerns, monkeypatch):
    IdentifierKey.objects.all().delete()
    from safeguarding.linking.services import identifiers as module

    real = module._reindex_concerns
    done: list[list[int]] = []

    def stop_after_two_chunks(ids):
        if len(done) == 2:
            raise KeyboardInterrupt
        done.append(ids)
        return real(ids)

    monkeypatch.setattr(module, "_reindex_concerns", stop_after_two_chunks)
    with pytest.raises(KeyboardInterrupt):
        identifiers_reindex(chunk=2)
    run = ReindexRun.objects.get()
    assert run.finished_at is None
    assert run.last_concern_id == concerns[3].pk
    assert IdentifierKey.objects.values("concern_id").distinct().count() == 4
    monkeypatch.setattr(module, "_reindex_concerns", real)

    seen: list[int] = []
    monkeypatch.setattr(module, "_reindex_concerns", lambda ids: seen.extend(ids) or real(ids))
    out = io.StringIO()
    call_command("reindex_identifiers", stdout=out, stderr=io.StringIO(), verbosity=0)
    assert seen == [concerns[4].pk]  # only what was left
    assert f"Carrying on run {run.pk} after concern {concerns[3].pk}" in out.getvalue()
    assert IdentifierKey.objects.values("concern_id").distinct().count() == 5
    run.refresh_from_db()
    assert run.finished_at is not None
    assert run.identifiers == 15
    assert AuditEvent.objects.filter(summary__startswith="Identifier keys rebuilt").count() == 1


def test_restart_starts_from_the_first_concern(concerns):
    ReindexRun.objects.create(version=2, last_concern_id=concerns[-1].pk)
    IdentifierKey.objects.all().delete()
    call_command("reindex_identifiers", "--restart", stdout=io.StringIO(), stderr=io.StringIO())
    assert IdentifierKey.objects.values("concern_id").distinct().count() == 5


def test_a_dismissed_or_suggested_identifier_gets_no_keys(concerns):
    concern = ConcernFactory(narrative="Call 07700 900999")
    concern_identifiers_refresh(concern=concern)
    identifiers_reindex()
    suggestion = Identifier.objects.get(concern=concern, status="suggested")
    assert not IdentifierKey.objects.filter(identifier=suggestion).exists()
