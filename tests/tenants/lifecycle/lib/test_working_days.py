"""Due dates in working days: Chinese public holidays off, make-up working days (调休) on."""
import datetime

import pytest

from tenants.lifecycle.lib.working_days import add_working_days, is_working_day, working_days_between


@pytest.fixture(autouse=True)
def _database():
    """Pure date arithmetic: no database."""
    yield


def test_due_date_skips_national_day_and_counts_makeup_saturday():
    # 2026: 1-7 October are holidays; Saturday 10 October is a make-up working day.
    assert not is_working_day(datetime.date(2026, 10, 1))
    assert is_working_day(datetime.date(2026, 10, 10))
    assert add_working_days(datetime.date(2026, 9, 30), 1) == datetime.date(2026, 10, 8)
    assert add_working_days(datetime.date(2026, 9, 30), 3) == datetime.date(2026, 10, 10)
    assert add_working_days(datetime.date(2026, 9, 30), 4) == datetime.date(2026, 10, 12)


def test_due_date_skips_spring_festival():
    # 2026 Spring Festival holiday: 15-23 February; 14 and 28 February are make-up days.
    assert add_working_days(datetime.date(2026, 2, 13), 1) == datetime.date(2026, 2, 14)
    assert add_working_days(datetime.date(2026, 2, 14), 1) == datetime.date(2026, 2, 24)


def test_ordinary_weekend_is_skipped():
    friday = datetime.date(2026, 11, 27)
    assert add_working_days(friday, 1) == datetime.date(2026, 11, 30)
    assert working_days_between(friday, datetime.date(2026, 11, 30)) == 1


def test_year_without_a_published_calendar_counts_monday_to_friday():
    assert add_working_days(datetime.date(2030, 1, 4), 1) == datetime.date(2030, 1, 7)  # a Friday
    assert not is_working_day(datetime.date(2030, 1, 5))
