"""Any input to concern_submit gives a concern or the service's own clear error, never another exception."""

import datetime
import uuid

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from safeguarding.concerns.answers import ConcernAnswers, answers_validate
from safeguarding.concerns.models import Concern, Sign
from safeguarding.concerns.services import ConcernInvalid, concern_submit

pytestmark = pytest.mark.django_db

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
text = st.text(max_size=60)  # any unicode, including NUL and lone surrogates
maybe = st.one_of(text, json_values)
person = st.fixed_dictionaries(
    {},
    optional={
        "role": st.sampled_from(["at_risk", "harming", "other", "boss"]),
        "name": maybe,
        "nicknames": text,
        "age": st.one_of(st.integers(-5, 200), st.integers(), text),
        "date_of_birth": st.one_of(st.dates(datetime.date(1800, 1, 1)).map(str), text),
        "description": text,
    },
)
optional_answers = {
    "immediate_danger": st.one_of(st.booleans(), maybe),
    "about": st.sampled_from(["child", "adult", "not_sure", "", "dog"]),
    "narrative": maybe,
    "signs": st.lists(st.one_of(st.sampled_from(Sign.values), text), max_size=5),
    "where_and_when": maybe,
    "people": st.lists(person, max_size=3),
    "vehicles": st.lists(st.fixed_dictionaries({}, optional={"registration": maybe, "description": text})),
    "phones": st.lists(st.fixed_dictionaries({}, optional={"number": maybe}), max_size=3),
    "places": st.lists(st.fixed_dictionaries({}, optional={"venue": text, "postcode": maybe})),
    "online_accounts": st.lists(st.fixed_dictionaries({}, optional={"platform": text, "handle": maybe})),
    "reporter": st.one_of(
        json_values,
        st.fixed_dictionaries({}, optional={"anonymous": maybe, "name": text, "contact": text}),
    ),
    "adult_knows": st.sampled_from(["yes", "no", "not_sure", "", "maybe"]),
    "adult_wants": maybe,
    "professional": st.one_of(
        st.none(),
        json_values,
        st.fixed_dictionaries(
            {},
            optional={
                "agency_id": st.integers(),
                "role": text,
                "consent": st.sampled_from(["given", "not_given", "x"]),
                "lawful_basis": st.sampled_from(["consent", "safeguarding", "x"]),
            },
        ),
    ),
    "extra": maybe,
}
concern_like = st.fixed_dictionaries({}, optional=optional_answers)
# Mostly well formed: the required answers present, so that many examples get as far as storing.
nearly_valid = st.fixed_dictionaries(
    {
        "immediate_danger": st.booleans(),
        "about": st.sampled_from(["child", "adult", "not_sure"]),
        "narrative": st.text(min_size=1, max_size=60),
    },
    optional={
        k: v
        for k, v in optional_answers.items()
        if k not in {"immediate_danger", "about", "narrative", "extra"}
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(nearly_valid, concern_like, json_values),
    source=st.sampled_from(["public", "professional", "api", "fax"]),
)
def test_any_answers_give_a_concern_or_a_clear_error(data, source):
    before = Concern.objects.count()
    errors = None
    try:
        result = concern_submit(answers=data, source=source, idempotency_key=str(uuid.uuid4()))
    except ConcernInvalid as error:
        errors = error.errors
    event("refused" if errors is not None else "created")
    if errors is not None:
        assert errors
        assert all(e["field"] and e["message"] for e in errors)
        assert Concern.objects.count() == before
    else:
        assert result.created
        assert Concern.objects.get(pk=result.concern.pk).narrative == result.concern.narrative


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(nearly_valid, concern_like, json_values),
    source=st.sampled_from(["public", "professional", "api"]),
)
def test_every_error_of_the_answers_has_a_code_a_form_can_word_it_by(data, source):
    errors = None
    try:
        valid = answers_validate(data, source=source)
    except ConcernInvalid as error:
        errors = error.errors
    if errors is not None:
        assert errors
        assert all(e["field"] and e["message"] and e["code"] for e in errors)
    else:
        assert isinstance(valid, ConcernAnswers)
        assert (valid.professional is None) == (source == "public")


# Any readable text: every Unicode character but lone surrogates and NUL, which cannot be stored.
readable = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=300)
filled = readable.filter(lambda value: value.strip() != "")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    narrative=filled,
    where=readable,
    name=filled,
    registration=filled.map(lambda value: value[:200]),
    phone=filled.map(lambda value: value[:40]),
    about=st.sampled_from(["child", "adult", "not_sure"]),
    danger=st.booleans(),
    signs=st.lists(st.sampled_from(Sign.values), unique=True),
)
def test_any_readable_text_in_well_formed_answers_is_kept_exactly(
    narrative, where, name, registration, phone, about, danger, signs
):
    result = concern_submit(
        answers={
            "immediate_danger": danger,
            "about": about,
            "narrative": narrative,
            "where_and_when": where,
            "signs": signs,
            "people": [{"role": "at_risk", "name": name[:200]}],
            "vehicles": [{"registration": registration}],
            "phones": [{"number": phone}],
        },
        source="public",
        idempotency_key=str(uuid.uuid4()),
    )

    # Kept as typed, less surrounding white space (trimmed by pydantic, which trims a little less than
    # Python's str.strip, so both sides are compared after str.strip).
    stored = Concern.objects.get(pk=result.concern.pk)
    assert stored.narrative.strip() == narrative.strip()
    assert stored.where_and_when.strip() == where.strip()
    assert stored.people.get().name.strip() == name[:200].strip()
    assert stored.vehicles.get().registration.strip() == registration.strip()
    assert stored.routes.filter(team__isnull=False).exists()
