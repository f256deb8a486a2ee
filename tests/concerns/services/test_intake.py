"""Receiving a concern: stored whole and encrypted, numbered, routed, audited, once per submission."""

import re

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_verify
from safeguarding.concerns.identifiers import phone_index, registration_index
from safeguarding.concerns.models import (
    AdditionalInformation,
    Concern,
    ConcernPerson,
    ConcernPhone,
    ConcernRoute,
    ConcernVehicle,
)
from safeguarding.concerns.references import receipt_code_normalise
from safeguarding.concerns.services import (
    ConcernInvalid,
    ReceiptNotRecognised,
    concern_follow_up,
    concern_receipt_status,
    concern_submit,
)
from safeguarding.concerns.signals import concern_changed
from safeguarding.core.crypto import DecryptionError
from tests.concerns.conftest import (
    CANARY_ADDRESS,
    CANARY_HANDLE,
    CANARY_NAME,
    CANARY_NARRATIVE,
    CANARY_NICKNAME,
    CANARY_PHONE,
    CANARY_PHONE_E164,
    CANARY_REGISTRATION,
    answers,
    canary_answers,
    database_text,
    new_key,
)
from tests.partnership.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def submit(data=None, **kwargs):
    kwargs.setdefault("source", "public")
    kwargs.setdefault("idempotency_key", new_key())
    return concern_submit(answers=data if data is not None else answers(), **kwargs)


def test_submit_stores_every_answer_and_reads_it_back():
    result = submit(canary_answers())

    assert result.created
    concern = Concern.objects.get(pk=result.concern.pk)
    assert concern.narrative == CANARY_NARRATIVE
    assert concern.about == "adult"
    assert concern.signs == ["vehicles", "taken_to_addresses"]
    assert concern.adult_knows == "no"
    assert concern.reporter_name == "Wilhelmina Canaryreporter"
    at_risk = concern.people.get(role=ConcernPerson.Role.AT_RISK)
    assert (at_risk.name, at_risk.nicknames, at_risk.age) == (CANARY_NAME, CANARY_NICKNAME, "19")
    assert concern.people.get(role="harming").date_of_birth == "1990-02-03"
    assert concern.vehicles.get().registration == CANARY_REGISTRATION
    assert concern.phones.get().number == CANARY_PHONE
    assert concern.places.get().address == CANARY_ADDRESS
    assert concern.online_accounts.get().handle == CANARY_HANDLE


def test_reference_is_human_friendly_and_counts_up():
    first, second = submit(), submit()

    assert re.fullmatch(r"C-\d{4}-\d{6}", first.reference)
    year, number = first.reference.split("-")[1:]
    assert second.reference == f"C-{year}-{int(number) + 1:06d}"


def test_raw_database_holds_none_of_the_personal_data():
    result = submit(canary_answers())
    concern_follow_up(
        reference=result.reference, receipt_code=result.receipt_code, text=f"More: {CANARY_NAME} again"
    )

    everything = database_text().lower()
    for canary in [
        CANARY_NARRATIVE,
        CANARY_NAME,
        CANARY_NICKNAME,
        CANARY_PHONE,
        CANARY_PHONE_E164,
        CANARY_PHONE.replace(" ", ""),
        CANARY_REGISTRATION,
        CANARY_REGISTRATION.replace(" ", ""),
        CANARY_ADDRESS,
        CANARY_HANDLE,
        "Canaryreporter",
        "Canaryman",
        "Canary wants",
    ]:
        assert canary.lower() not in everything, canary
    # The check can fail: the reference, a plain column, is there to be found.
    assert result.reference.lower() in everything


def test_receipt_code_is_high_entropy_and_never_stored():
    result = submit()

    code = result.receipt_code
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", code)  # 16 x 5 bits = 80 bits
    everything = database_text().upper()
    assert code not in everything
    assert receipt_code_normalise(code) not in everything
    assert submit().receipt_code != code


def test_identifiers_carry_a_blind_index_for_linking():
    submit(answers(vehicles=[{"registration": "qx71zkv"}], phones=[{"number": "+44 7700 900417"}]))
    submit(answers(vehicles=[{"registration": CANARY_REGISTRATION}], phones=[{"number": CANARY_PHONE}]))

    vehicle_indexes = set(ConcernVehicle.objects.values_list("registration_index", flat=True))
    phone_indexes = set(ConcernPhone.objects.values_list("number_index", flat=True))
    assert vehicle_indexes == {registration_index(CANARY_REGISTRATION)}
    assert phone_indexes == {phone_index(CANARY_PHONE)}
    assert registration_index("QX71 ZKW") not in vehicle_indexes


def test_creation_is_audited_without_content():
    result = submit(canary_answers())

    event = AuditEvent.objects.get(target_type="concerns.concern", target_id=str(result.concern.pk))
    assert event.kind == AuditEvent.Kind.CREATED
    assert event.summary == f"Concern {result.reference} received"
    assert event.data["teams"] == ["adult-social-care", "exploitation"]
    assert CANARY_NAME not in str(event.data) + event.summary
    assert audit_verify().ok


def test_encrypted_fields_refuse_lookups_that_could_never_match():
    submit()
    with pytest.raises(FieldError):
        list(Concern.objects.filter(narrative="anything"))
    assert Concern.objects.filter(narrative__isnull=False).count() == 1


def test_ciphertext_copied_to_another_column_does_not_decrypt():
    result = submit(answers(where_and_when="near the park"))
    table = connection.ops.quote_name(Concern._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET where_and_when = narrative WHERE id = %s",  # noqa: S608
            [result.concern.pk],
        )
    with pytest.raises(DecryptionError):
        Concern.objects.get(pk=result.concern.pk)


# --- Routing --------------------------------------------------------------------------------------


def routed(result) -> set[str]:
    return set(
        ConcernRoute.objects.filter(concern=result.concern, team__isnull=False).values_list(
            "team__slug", flat=True
        )
    )


@pytest.mark.parametrize(
    ("overrides", "teams", "urgent"),
    [
        ({"about": "child"}, {"children-front-door"}, False),
        ({"about": "adult"}, {"adult-social-care"}, False),
        ({"about": "not_sure"}, {"children-front-door", "adult-social-care"}, False),
        ({"about": "adult", "immediate_danger": True}, {"adult-social-care"}, True),
        ({"about": "child", "signs": ["missing"]}, {"children-front-door", "exploitation"}, False),
        (
            {"about": "not_sure", "immediate_danger": True, "signs": ["debt"]},
            {"children-front-door", "adult-social-care", "exploitation"},
            True,
        ),
    ],
)
def test_default_rules_route_each_kind_of_concern(overrides, teams, urgent):
    result = submit(answers(**overrides))

    assert routed(result) == teams
    assert Concern.objects.get(pk=result.concern.pk).urgent is urgent
    for route in ConcernRoute.objects.filter(concern=result.concern):
        assert route.rule is not None
        assert route.reason.startswith(route.rule.name)


def test_each_route_says_why_in_plain_words():
    result = submit(answers(about="not_sure", immediate_danger=True))

    reasons = set(ConcernRoute.objects.filter(concern=result.concern).values_list("reason", flat=True))
    assert (
        "Not sure: to the children's front door: the person reporting was not sure "
        "whether it is about a child or an adult." in reasons
    )
    assert "Immediate danger is urgent: someone is in immediate danger." in reasons
    assert ConcernRoute.objects.get(concern=result.concern, marked_urgent=True).team is None


def test_inactive_rules_are_skipped_and_the_safety_net_catches_what_no_rule_routes():
    from safeguarding.concerns.models import RoutingRule

    assert RoutingRule.objects.filter(name="Adults to adult social care").update(active=False) == 1
    result = submit(answers(about="adult"))

    assert routed(result) == {"children-front-door", "adult-social-care"}
    assert all(route.rule is None for route in ConcernRoute.objects.filter(concern=result.concern))


# --- Validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (answers(narrative="   "), "narrative"),
        (answers(about="someone"), "about"),
        (answers(signs=["not-a-sign"]), "signs.0"),
        (answers(people=[{"role": "at_risk"}]), "people.0"),
        (answers(people=[{"name": "A", "age": 400}]), "people.0.age"),
        (answers(reporter={"anonymous": True, "name": "Named Person"}), "reporter"),
        (answers(about="child", adult_wants="to stay home"), "answers"),
        (answers(unexpected="x"), "unexpected"),
        ({"about": "child"}, "immediate_danger"),
    ],
)
def test_bad_answers_give_a_clear_error_and_store_nothing(data, field):
    with pytest.raises(ConcernInvalid) as caught:
        submit(data)

    assert field in [error["field"] for error in caught.value.errors]
    assert all(error["message"] for error in caught.value.errors)
    assert not Concern.objects.exists()


def test_professional_referrals_need_agency_role_name_and_contact():
    with pytest.raises(ConcernInvalid) as caught:
        submit(answers(), source="professional")
    assert {e["field"] for e in caught.value.errors} == {"professional", "reporter.name", "reporter.contact"}

    agency = AgencyFactory()
    professional = {
        "agency_id": agency.pk,
        "role": "School nurse",
        "consent": "not_given",
        "lawful_basis": "safeguarding",
        "existing_involvement": "Known to the school nursing team",
    }
    reporter = {"name": "Nadia Testnurse", "contact": "0191 498 0101"}
    result = submit(answers(professional=professional, reporter=reporter), source="professional")
    concern = Concern.objects.get(pk=result.concern.pk)
    assert (concern.agency, concern.professional_role, concern.lawful_basis) == (
        agency,
        "School nurse",
        "safeguarding",
    )

    with pytest.raises(ConcernInvalid):
        submit(
            answers(professional={**professional, "agency_id": agency.pk + 1000}, reporter=reporter),
            source="api",
        )
    with pytest.raises(ConcernInvalid):
        submit(answers(professional=professional))  # the public cannot send professional details


# --- Idempotency ----------------------------------------------------------------------------------


def test_same_idempotency_key_returns_the_same_concern_without_a_new_code():
    key = new_key()
    first = submit(idempotency_key=key)
    again = submit(answers(narrative="a changed second click"), idempotency_key=key)

    assert (again.created, again.receipt_code, again.reference) == (False, None, first.reference)
    assert Concern.objects.count() == 1
    assert (
        AuditEvent.objects.filter(kind=AuditEvent.Kind.CREATED, target_type="concerns.concern").count() == 1
    )


def test_a_duplicate_does_not_use_up_a_reference_number():
    key = new_key()
    first = submit(idempotency_key=key)
    submit(idempotency_key=key)
    nxt = submit()
    assert int(nxt.reference[-6:]) == int(first.reference[-6:]) + 1


@pytest.mark.parametrize("key", ["", "short", "x" * 101, "caf\u00e9-key-123", None, 12345678])
def test_a_missing_or_odd_idempotency_key_is_refused(key):
    with pytest.raises(ConcernInvalid):
        submit(idempotency_key=key)


# --- Follow-up and status -------------------------------------------------------------------------


def test_follow_up_with_the_code_adds_information():
    result = submit()
    typed = result.receipt_code.lower().replace("-", " ")
    added = concern_follow_up(
        reference=result.reference.lower(), receipt_code=typed, text="The car came back."
    )

    assert AdditionalInformation.objects.get(pk=added.pk).text == "The car came back."
    event = AuditEvent.objects.filter(subject_id=str(result.concern.pk)).order_by("-sequence").first()
    assert event.summary == f"Information added to concern {result.reference} by the reporter"
    assert "car" not in event.summary


def test_a_wrong_code_changes_nothing_and_says_the_same_as_an_unknown_reference():
    result = submit()
    other = submit()
    wrong_code = other.receipt_code
    events = AuditEvent.objects.count()

    with pytest.raises(ReceiptNotRecognised) as wrong:
        concern_follow_up(reference=result.reference, receipt_code=wrong_code, text="Should not be kept")
    with pytest.raises(ReceiptNotRecognised) as unknown:
        concern_follow_up(
            reference="C-1999-999999", receipt_code=result.receipt_code, text="Should not be kept"
        )
    with pytest.raises(ReceiptNotRecognised) as malformed:
        concern_follow_up(reference="nonsense", receipt_code="nonsense", text="Should not be kept")

    assert str(wrong.value) == str(unknown.value) == str(malformed.value)
    assert not AdditionalInformation.objects.exists()
    assert AuditEvent.objects.count() == events


def test_follow_up_text_is_validated():
    result = submit()
    with pytest.raises(ConcernInvalid):
        concern_follow_up(reference=result.reference, receipt_code=result.receipt_code, text="  ")
    assert not AdditionalInformation.objects.exists()


def test_receipt_status_says_only_received_or_being_looked_at():
    result = submit()
    assert concern_receipt_status(reference=result.reference, receipt_code=result.receipt_code) == "received"

    Concern.objects.filter(pk=result.concern.pk).update(status=Concern.Status.DECIDED)
    assert (
        concern_receipt_status(reference=result.reference, receipt_code=result.receipt_code)
        == "being looked at"
    )
    with pytest.raises(ReceiptNotRecognised):
        concern_receipt_status(reference=result.reference, receipt_code="0000-0000-0000-0000")


def test_checking_the_status_is_audited_as_a_view_and_a_wrong_code_is_not():
    result = submit()
    views = AuditEvent.objects.filter(kind=AuditEvent.Kind.VIEWED)
    concern_receipt_status(reference=result.reference, receipt_code=result.receipt_code)
    assert views.count() == 1
    assert "status checked by the reporter" in views.get().summary
    with pytest.raises(ReceiptNotRecognised):
        concern_receipt_status(reference=result.reference, receipt_code="0000-0000-0000-0000")
    assert views.count() == 1


def test_the_apps_above_are_told_of_a_new_concern_and_of_added_information_once_committed(
    django_capture_on_commit_callbacks,
):
    told = []

    def receiver(**kwargs):
        told.append((kwargs["concern_id"], kwargs["what"]))

    concern_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            result = concern_submit(answers=answers(), source="public", idempotency_key=new_key())
        assert told == []  # nothing before the commit
        for callback in callbacks:
            callback()
        assert told == [(result.concern.pk, "created")]
        with django_capture_on_commit_callbacks(execute=True):
            concern_follow_up(reference=result.reference, receipt_code=result.receipt_code, text="More.")
        assert told[-1] == (result.concern.pk, "information_added")
    finally:
        concern_changed.disconnect(receiver)
