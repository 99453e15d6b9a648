"""Working days in mainland China: weekends and public holidays off, make-up working
days (调休, e.g. a Saturday before the National Day week) on, from the State Council's
yearly notice as packaged by `chinesecalendar`. A year the package does not know yet
(the notice comes out in November or December) falls back to Monday-Friday, logged."""
import datetime
import logging

import chinese_calendar

logger = logging.getLogger(__name__)
_warned_years: set[int] = set()


def is_working_day(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            logger.warning("no holiday calendar for %s in chinesecalendar %s; counting Monday-Friday",
                           day.year, getattr(chinese_calendar, "__version__", "?"))
        return day.weekday() < 5


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself not counted): a step
    submitted on a Friday with 1 working day is due on the next working day."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (negative if end < start)."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count
