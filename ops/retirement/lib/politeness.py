"""Politeness per host: at most `concurrency` requests at once and at most `rate` a
second (or robots.txt's Crawl-delay, whichever is slower), shared by the crawler's threads."""
import contextlib
import threading
import time
from urllib.robotparser import RobotFileParser

from .fetch import USER_AGENT

AGENT_TOKEN = USER_AGENT.split("/", 1)[0]


class HostGate:
    def __init__(self, *, rate: float, concurrency: int):
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.concurrency = max(1, concurrency)
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._next: dict[str, float] = {}
        self._interval: dict[str, float] = {}

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        if seconds:
            with self._lock:
                self._interval[host] = max(self.interval, float(seconds))

    @contextlib.contextmanager
    def slot(self, host: str):
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.Semaphore(self.concurrency))
        with semaphore:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next.get(host, now))
                self._next[host] = start + self._interval.get(host, self.interval)
            if start > now:
                time.sleep(start - now)
            yield


def robots_parser(text: str) -> RobotFileParser:
    parser = RobotFileParser()
    parser.parse(text.splitlines())
    return parser


def robots_allow(parser: RobotFileParser | None, url: str) -> bool:
    return parser is None or parser.can_fetch(AGENT_TOKEN, url)


def crawl_delay(parser: RobotFileParser | None) -> float | None:
    if parser is None:
        return None
    delay = parser.crawl_delay(AGENT_TOKEN)
    return float(delay) if delay else None
