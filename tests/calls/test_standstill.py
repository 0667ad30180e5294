"""The standstill: eight working days, England and Wales bank holidays excluded."""

from datetime import date

from commissioning.calls.standstill import may_conclude, standstill_ends


def test_eight_working_days_over_a_plain_fortnight():
    # Mon 1 Nov 2010: Tue 2 to Fri 5 (4), Mon 8 to Thu 11 (8).
    assert standstill_ends(date(2010, 11, 1)) == date(2010, 11, 11)


def test_christmas_bank_holidays_do_not_count():
    # Fri 17 Dec 2010: 20-24 Dec (5); Christmas and Boxing Day fall on the weekend, so Mon 27 and
    # Tue 28 are the substitute bank holidays; Wed 29, Thu 30, Fri 31 (8).
    assert standstill_ends(date(2010, 12, 17)) == date(2010, 12, 31)
    # Across New Year: Thu 23 Dec 2010: 24, 29, 30, 31 Dec, then Mon 3 Jan 2011 (New Year's Day
    # substitute) does not count: 4, 5, 6, 7 Jan.
    assert standstill_ends(date(2010, 12, 23)) == date(2011, 1, 7)


def test_the_award_concludes_only_after_the_last_day():
    ends = date(2010, 12, 31)
    assert not may_conclude(ends, date(2010, 12, 30))
    assert not may_conclude(ends, ends)
    assert may_conclude(ends, date(2011, 1, 1))
