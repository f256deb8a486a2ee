import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record, audit_verify, model_changes

pytestmark = pytest.mark.django_db


def _three_events():
    audit_record(kind=AuditEvent.Kind.LOGIN, summary="first", data={"ip": "127.0.0.1"})
    audit_record(kind=AuditEvent.Kind.UPDATED, summary="second", changes={"status": ["a", "b"]})
    audit_record(kind=AuditEvent.Kind.EXPORT, summary="third")


def test_each_event_links_to_the_one_before():
    _three_events()
    events = list(AuditEvent.objects.order_by("sequence"))
    assert [e.sequence for e in events] == [1, 2, 3]
    assert events[0].previous_hash == "0" * 64
    assert events[1].previous_hash == events[0].hash
    assert events[2].previous_hash == events[1].hash
    assert audit_verify().ok


def test_verify_names_the_first_row_altered_with_raw_sql(capsys):
    _three_events()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET summary = 'tampered' WHERE sequence = 2")
    result = audit_verify()
    assert not result.ok
    assert result.broken_sequence == 2
    assert result.checked == 1
    with pytest.raises(CommandError, match="broken at row 2: row content altered"):
        call_command("audit_verify")


def test_verify_notices_a_deleted_row():
    _three_events()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence = 2")
    result = audit_verify()
    assert (result.ok, result.broken_sequence) == (False, 2)


def test_verify_passes_on_a_clean_log_and_prints_the_head(capsys):
    _three_events()
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "Audit trail intact: 3 rows" in out
    assert AuditEvent.objects.get(sequence=3).hash in out


def test_the_orm_cannot_change_or_remove_rows():
    _three_events()
    event = AuditEvent.objects.first()
    event.summary = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(sequence=1).update(summary="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_model_changes_lists_only_what_differs():
    assert model_changes({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}
