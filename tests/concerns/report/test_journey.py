"""The journey's order and branching, without any page."""

import pytest

from safeguarding.concerns.report import journey


def test_an_adult_report_asks_every_question_in_order():
    answers = {"immediate_danger": False, "about": "adult"}
    step, seen = journey.DANGER, [journey.DANGER]
    while step != journey.CHECK:
        step = journey.step_next(step, answers)
        seen.append(step)
    assert seen == list(journey.STEPS)


@pytest.mark.parametrize("about", ["adult", "not_sure"])
def test_adults_and_not_sure_are_asked_what_the_person_knows_and_wants(about):
    steps = journey.steps_for({"about": about})
    assert journey.ADULT_KNOWS in steps
    assert journey.ADULT_WANTS in steps


def test_a_child_skips_the_adult_questions():
    answers = {"about": "child"}
    assert journey.ADULT_KNOWS not in journey.steps_for(answers)
    assert journey.step_next(journey.RELATIONSHIP, answers) == journey.CHECK
    assert journey.step_previous(journey.CHECK, answers) == journey.RELATIONSHIP


def test_yes_to_danger_shows_the_call_999_page_then_carries_on():
    answers = {"immediate_danger": True}
    assert journey.step_next(journey.DANGER, answers) == journey.CALL_999
    assert journey.step_next(journey.CALL_999, answers) == journey.ABOUT
    assert journey.step_previous(journey.ABOUT, answers) == journey.CALL_999
    assert journey.step_previous(journey.CALL_999, answers) == journey.DANGER


def test_no_to_danger_goes_straight_on():
    answers = {"immediate_danger": False}
    assert journey.step_next(journey.DANGER, answers) == journey.ABOUT
    assert journey.step_previous(journey.ABOUT, answers) == journey.DANGER


def test_changing_an_answer_returns_to_the_check_page():
    answers = {"immediate_danger": False, "about": "adult"}
    assert journey.step_next(journey.SIGNS, answers, returning_to_check=True) == journey.CHECK
    assert journey.step_previous(journey.SIGNS, answers, returning_to_check=True) == journey.CHECK


def test_changing_danger_to_yes_from_the_check_page_still_shows_call_999_first():
    answers = {"immediate_danger": True}
    assert journey.step_next(journey.DANGER, answers, returning_to_check=True) == journey.CALL_999
    assert journey.step_next(journey.CALL_999, answers, returning_to_check=True) == journey.CHECK


def test_the_first_question_has_no_previous_step():
    assert journey.step_previous(journey.DANGER, {}) is None


def test_missing_required_answers_are_found_in_order():
    assert journey.step_missing({}) == journey.DANGER
    assert journey.step_missing({"immediate_danger": False}) == journey.ABOUT
    assert journey.step_missing({"immediate_danger": False, "about": "child"}) == journey.NARRATIVE
    assert journey.step_missing({"immediate_danger": False, "about": "child", "narrative": "x"}) is None


def test_answers_for_submit_drop_adult_answers_for_a_child_and_default_to_anonymous():
    data = journey.answers_for_submit({"about": "child", "adult_knows": "yes", "adult_wants": "x"})
    assert "adult_knows" not in data
    assert "adult_wants" not in data
    assert data["reporter"] == {"anonymous": True}


def test_answers_for_submit_keep_a_named_reporter():
    data = journey.answers_for_submit(
        {"about": "adult", "reporter": {"anonymous": False, "name": "Ada Fictional"}}
    )
    assert data["reporter"] == {"anonymous": False, "name": "Ada Fictional"}
