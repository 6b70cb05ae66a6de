"""predictions_compare: paired counts and the exact McNemar p-value, against numbers worked out by hand."""

from __future__ import annotations

import pytest

from moods.ml.metrics import predictions_compare


def test_counts_and_p_value_by_hand():
    truth = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2]
    this = [0, 1, 2, 3, 0, 1, 2, 0, 1, 1, 2]  # wrong on faces 7 and 8
    other = [0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 2]  # right on 0, 1, 8, 10
    got = predictions_compare(truth=truth, predicted=this, other_predicted=other)

    # only this right: faces 2, 3, 4, 5, 6, 9 (6); only the other: face 8 (1); both: 0, 1, 10; neither: 7.
    assert (got["only_this_right"], got["only_other_right"], got["both_right"], got["both_wrong"]) == (6, 1, 3, 1)
    # the predictions differ on faces 2-6, 8 and 9 (on face 7 both say 0, wrongly)
    assert got["changed"] == 7
    # 7 discordant faces, the smaller side has 1: p = 2 * (C(7,0) + C(7,1)) / 2^7 = 16 / 128
    assert got["mcnemar_p"] == pytest.approx(0.125)


def test_identical_predictions_give_p_one():
    got = predictions_compare(truth=[0, 1, 2], predicted=[0, 2, 2], other_predicted=[0, 2, 2])
    assert got["only_this_right"] == got["only_other_right"] == got["changed"] == 0
    assert got["mcnemar_p"] == 1.0


def test_a_balanced_split_is_capped_at_one():
    # 1 vs 1 discordant: 2 * (C(2,0) + C(2,1)) / 4 = 1.5 before the cap
    got = predictions_compare(truth=[0, 1], predicted=[0, 0], other_predicted=[1, 1])
    assert got["mcnemar_p"] == 1.0


def test_thousands_of_discordant_faces_do_not_overflow():
    n = 3000
    got = predictions_compare(truth=[0] * n, predicted=[0] * 1400 + [1] * 1600, other_predicted=[1] * 1400 + [0] * 1600)
    assert (got["only_this_right"], got["only_other_right"]) == (1400, 1600)
    assert 0.0 < got["mcnemar_p"] < 0.001
