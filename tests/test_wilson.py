"""Wilson intervals against values worked by hand (z = 1.96)."""

import pytest

from audits.stats import wilson


@pytest.mark.parametrize(
    ("events", "sessions", "low", "high"),
    [
        # p = 0.5, n = 10: centre 0.5, margin 1.96*sqrt(0.025 + 0.0096)/1.3842 = 0.2634
        (5, 10, 0.2366, 0.7634),
        # zero events, n = 20: low is exactly 0; high = z²/n / (1 + z²/n) = 0.1921/1.1921 = 0.1611
        (0, 20, 0.0, 0.1611),
        # all events, n = 20: the mirror image
        (20, 20, 0.8389, 1.0),
        # 1 of 50: p = 0.02; centre (0.02 + 0.03841)/1.07683 = 0.05424; margin 0.05071
        (1, 50, 0.0035, 0.1050),
        # 30 of 100
        (30, 100, 0.2189, 0.3958),
    ],
)
def test_wilson_interval_matches_the_hand_computation(events, sessions, low, high):
    rate = wilson(events, sessions)

    assert (round(rate.low, 4), round(rate.high, 4)) == (low, high)


def test_no_sessions_is_a_rate_of_nothing_not_an_error():
    rate = wilson(0, 0)

    assert (rate.value, rate.low, rate.high, rate.small_sample) == (0.0, 0.0, 0.0, True)


def test_fewer_than_twenty_sessions_is_a_small_sample():
    assert wilson(1, 19).small_sample
    assert not wilson(1, 20).small_sample


def test_a_row_is_clearly_above_only_when_its_whole_interval_is():
    assert wilson(30, 100).clearly_above(0.20)
    assert not wilson(30, 100).clearly_above(0.22)


def test_impossible_counts_are_refused():
    with pytest.raises(ValueError, match="between 0"):
        wilson(11, 10)
