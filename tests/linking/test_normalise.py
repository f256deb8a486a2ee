"""Properties of every normaliser (Hypothesis): any text in, never an exception; cleaning what is
clean changes nothing; the forms people write the same thing in compare equal; what cannot be cleaned
comes back as typed, marked."""

import datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from safeguarding.core.ages import AgeRange, age_parse
from safeguarding.linking import normalise

# Any text, with the awkward kinds made likely: emoji, Zalgo (combining marks), right-to-left and
# zero-width marks, other scripts, and very long input.
AWKWARD = [
    "\u200f",
    "\u200e",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\u0301",
    "\u0336",
    "😀",
    "👩‍👩‍👧",
    "٣",
    "Ⅻ",
    "ﬁ",
]
any_text = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(st.sampled_from(AWKWARD), st.text(max_size=3)), max_size=30).map("".join),
    st.text(alphabet="0123456789 +()-.extEXT#", max_size=40),
    st.integers(min_value=1, max_value=5000).map(lambda n: "7" * n),
    st.just("Z̷̢̛a̶l̸g̵o̷ 07700 900123 \u200f" * 300),  # 5,000 characters and more
)
NORMALISERS = [
    normalise.phone_clean,
    normalise.registration_clean,
    normalise.postcode_clean,
    normalise.place_clean,
    normalise.handle_clean,
    normalise.name_clean,
]


@settings(max_examples=300, deadline=None)
@given(text=any_text)
@example(text="")
@example(text="\x00")
@example(text="\ud800")  # a lone surrogate, as a broken form post could hold
def test_no_normaliser_ever_raises_and_each_keeps_what_it_cannot_clean(text):
    for clean in NORMALISERS:
        result = clean(text)
        assert isinstance(result.value, str)
        assert len(result.value) <= normalise.MAX_LENGTH
        if not result.ok:
            # Kept as typed (trimmed and without hidden marks), never dropped for something else.
            assert result.value == normalise._text(text)
    normalise.platform_clean(text)
    normalise.names_split(text)
    normalise.phone_digits(text)
    normalise.postcodes_in_text(text)
    normalise.date_of_birth_parse(text)
    age_parse(text)


@settings(max_examples=300, deadline=None)
@given(text=any_text)
def test_cleaning_is_idempotent(text):
    for clean in NORMALISERS:
        first = clean(text)
        if first.ok:
            again = clean(first.value)
            assert again == first, (clean.__name__, text, first, again)


@settings(max_examples=200, deadline=None)
@given(text=any_text)
def test_what_is_cleaned_has_no_hidden_marks_or_case_differences(text):
    for clean in (normalise.name_clean, normalise.handle_clean, normalise.place_clean):
        result = clean(text)
        if result.ok:
            assert result.value == result.value.lower()
            assert result.value.isascii()
            assert "\u200f" not in result.value


# --- Phones ------------------------------------------------------------------------------------------

uk_mobile = st.integers(min_value=0, max_value=999).map(lambda n: f"7700900{n:03d}")
PHONE_FORMS = [
    "0{n}",
    "0{a} {b}",
    "+44 {n}",
    "+44 (0){a} {b}",
    "+44 (0) {a} {b}",
    "0044 {a} {b}",
    "0044{n}",
    "44{n}",
    "{a} {b}",
    "(0{a}) {b}",
    "0{a}-{b}",
    "0{a}.{b}",
    "0{a} {b} ext 12",
    "0{a} {b} ext. 3",
    "0{a} {b} x123",
    "+44{n} extension 4",
    "\u200f0{a} {b}\u200e",
    "\uff10{n}",  # a full-width 0, as some phones type it
]


@given(national=uk_mobile, form=st.sampled_from(PHONE_FORMS))
@settings(max_examples=300, deadline=None)
def test_every_listed_way_of_writing_a_uk_mobile_gives_the_same_e164(national, form):
    a, b = national[:4], national[4:]
    typed = form.format(n=national, a=a, b=b)
    cleaned = normalise.phone_clean(typed)
    assert cleaned == normalise.Cleaned(f"+44{national}", True), typed


@given(number=st.integers(min_value=0, max_value=999))
def test_landlines_in_the_drama_range_are_cleaned(number):
    assert normalise.phone_clean(f"0191 498 0{number:03d}").value == f"+441914980{number:03d}"


@pytest.mark.parametrize("typed", ["NE1 4ST", "ring the bell twice", "12345", "07700 900", "😀"])
def test_what_is_not_a_phone_number_is_kept_and_marked(typed):
    assert normalise.phone_clean(typed) == normalise.Cleaned(typed, False)


# --- Registrations -----------------------------------------------------------------------------------

plates = st.from_regex(r"\A[A-Z]{2}[0-9]{2}[A-Z]{3}\Z")


@given(plate=plates, spacer=st.sampled_from(["", " ", "-", "  ", "."]), lower=st.booleans())
def test_a_registration_compares_equal_whatever_the_case_spaces_or_punctuation(plate, spacer, lower):
    typed = plate[:4] + spacer + plate[4:]
    cleaned = normalise.registration_clean(typed.lower() if lower else typed)
    assert cleaned == normalise.Cleaned(plate, True)


@given(plate=plates, data=st.data())
def test_a_misread_plate_shares_its_lookalike_only(plate, data):
    swaps = {"O": "0", "0": "O", "I": "1", "1": "I", "S": "5", "5": "S", "B": "8", "8": "B"}
    positions = [i for i, c in enumerate(plate) if c in swaps]
    if not positions:
        return
    i = data.draw(st.sampled_from(positions))
    misread = plate[:i] + swaps[plate[i]] + plate[i + 1 :]
    a, b = normalise.registration_clean(plate), normalise.registration_clean(misread)
    assert a.value != b.value  # never the same registration: no exact (probable) match
    assert normalise.registration_lookalike(a.value) == normalise.registration_lookalike(b.value)


# --- Postcodes, places, handles, names ---------------------------------------------------------------

postcodes = st.from_regex(r"\A[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}\Z")


@given(postcode=postcodes, squash=st.booleans(), lower=st.booleans())
def test_a_postcode_and_its_district_compare_equal_however_written(postcode, squash, lower):
    typed = postcode.replace(" ", "") if squash else postcode
    typed = typed.lower() if lower else typed
    cleaned = normalise.postcode_clean(typed)
    assert cleaned == normalise.Cleaned(postcode, True)
    district = normalise.postcode_district(cleaned.value)
    assert normalise.postcode_clean(district) == normalise.Cleaned(district, True)


def test_place_words_are_written_one_way():
    assert normalise.place_clean("12 Pretend St.").value == normalise.place_clean("12 pretend street").value
    assert normalise.place_clean("Flat 3, Made-up Rd").value == "flat 3 made up road"


@given(handle=st.from_regex(r"\A[A-Za-z0-9_.]{2,20}\Z"), at=st.booleans(), upper=st.booleans())
def test_a_handle_ignores_the_leading_at_and_case(handle, at, upper):
    typed = ("@" if at else "") + (handle.upper() if upper else handle)
    assert normalise.handle_clean(typed) == normalise.Cleaned(handle.lower().lstrip("@"), True) or (
        handle.startswith("@")
    )


def test_a_profile_address_gives_the_handle_and_platforms_their_usual_name():
    assert normalise.handle_clean("https://www.instagram.com/Zeph_Q/").value == "zeph_q"
    assert normalise.platform_clean(" Insta ") == "instagram"
    assert normalise.platform_clean("SNAP") == "snapchat"


def test_names_aliases_and_nicknames_are_separate_values():
    assert normalise.names_split("Zeph, Z or Zephy / Big Z aka Zed") == ["Zeph", "Z", "Zephy", "Big Z", "Zed"]
    assert normalise.name_clean("  Muḥammad  ALY-Khan ").value == "muhammad aly khan"
    assert normalise.name_block("mohammed ali") == normalise.name_block("muhammad aly")


# --- Ages --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "low", "high"),
    [
        ("15", 15, 15),
        ("about 15", 13, 17),
        ("about fifteen", 13, 17),
        ("15-16", 15, 16),
        ("15 to 16", 15, 16),
        ("15 or 16", 15, 16),
        ("mid teens", 15, 17),
        ("late teens", 17, 19),
        ("17ish", 15, 19),
        ("in his 20s", 20, 29),
        ("early twenties", 20, 23),
        ("under 16", 11, 15),
        ("twenty one", 21, 21),
        ("15 years old", 15, 15),
    ],
)
def test_ages_as_people_write_them(typed, low, high):
    assert age_parse(typed) == AgeRange(low, high)


@pytest.mark.parametrize("typed", ["", "not known", "2009", "-1", "131", "😀"])
def test_text_with_no_human_age_is_no_age(typed):
    assert age_parse(typed) is None


@given(text=any_text)
@settings(max_examples=300, deadline=None)
def test_any_age_read_is_a_human_range(text):
    age = age_parse(text)
    if age is not None:
        assert 0 <= age.low <= age.high <= 125


@given(
    age=st.integers(min_value=0, max_value=110),
    on=st.dates(datetime.date(2000, 1, 1), datetime.date(2030, 1, 1)),
)
def test_an_age_on_the_date_of_the_concern_gives_the_birth_years_it_allows(age, on):
    born = normalise.birth_years(age=AgeRange(age, age), date_of_birth=None, on=on)
    assert born == AgeRange(on.year - age - 1, on.year - age)
