"""Similarity on known texts: pairs that must match, pairs that must not, and the shared terms."""

import pytest

from safeguarding.learning.similarity import Document, score_in_words, similar_documents, words

SHARING_A = Document(1, 10, "Front doors should share information about risk on the day they learn it.")
SHARING_B = Document(2, 20, "Share what agencies know about a person at risk: information shared that day.")
TRANSITION_A = Document(
    3, 10, "Start transition planning at 17 so support carries on after the 18th birthday."
)
TRANSITION_B = Document(
    4, 30, "Transition planning with adult services should start at 17, before the birthday."
)
HOARDING = Document(5, 30, "Publish a self-neglect and hoarding pathway with a named lead in each agency.")
BOYS = Document(6, 20, "Leaflets should speak to boys and young men as well as girls.")
DOCUMENTS = [SHARING_A, SHARING_B, TRANSITION_A, TRANSITION_B, HOARDING, BOYS]


def _matches(threshold: float = 0.2) -> dict[tuple[int, int], object]:
    return {(m.key, m.other): m for m in similar_documents(DOCUMENTS, limit=5, threshold=threshold)}


def test_paraphrased_recommendations_match_across_reviews():
    found = _matches()
    assert (1, 2) in found
    assert (2, 1) in found
    assert (3, 4) in found
    assert (4, 3) in found
    assert found[(3, 4)].score > 0.4


def test_unrelated_recommendations_do_not_match():
    found = _matches()
    for pair in [(5, 6), (6, 5), (5, 1), (1, 5), (3, 6), (6, 3)]:
        assert pair not in found


def test_a_review_is_never_compared_with_itself():
    text = "share information about risk"
    same_review = [Document(1, 1, text), Document(2, 1, text)]
    assert similar_documents(same_review) == []
    assert all(m.key != m.other for m in similar_documents(DOCUMENTS))


def test_shared_terms_are_words_both_use_whatever_their_ending():
    found = _matches()
    terms = found[(1, 2)].shared_terms
    assert "share" in terms  # "share" and "shared" are one term, shown as the first text writes it
    assert "information" in terms
    assert "risk" in terms
    assert set(found[(3, 4)].shared_terms) >= {"transition", "planning", "birthday"}
    assert "should" not in terms
    assert "the" not in terms


def test_best_first_and_limited():
    matches = [m for m in similar_documents(DOCUMENTS, limit=1) if m.key == 1]
    assert len(matches) == 1
    assert matches[0].other == 2


def test_threshold_hides_weak_matches():
    assert all(m.score >= 0.5 for m in similar_documents(DOCUMENTS, threshold=0.5))


def test_same_input_same_output():
    assert similar_documents(DOCUMENTS) == similar_documents(list(DOCUMENTS))


@pytest.mark.parametrize(
    "documents", [[], [SHARING_A], [Document(1, 1, "the and of"), Document(2, 2, "12 34 !!")]]
)
def test_nothing_to_compare_gives_nothing(documents):
    assert similar_documents(documents) == []


def test_words_drop_markdown_numbers_and_stop_words():
    found = words("**Agencies** should _share_ 3 things, ensure it's [training](x).")
    assert [word for _, word in found] == [
        "agencies",
        "share",
        "things",
        "training",
    ]


@pytest.mark.parametrize(
    ("score", "expected"),
    [(0.9, "Very similar"), (0.45, "Similar"), (0.3, "Partly similar"), (0.2, "A little similar")],
)
def test_score_in_words(score, expected):
    assert score_in_words(score) == expected
