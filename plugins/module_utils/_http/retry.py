# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""When to try a request again, and when to stop: one budget for the whole task.

``retries`` bounds the extra attempts of each request; ``max_time`` (the
``retry_max_time`` option) bounds the seconds the whole task spends on retries,
every request of a bulk run included: the waiting before each retry and the
retried attempt itself. A task whose server keeps failing therefore ends in
about ``max_time`` seconds however many writes it planned, while a long
healthy run keeps its budget for when it needs it.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time

# A refused connection is retried this often: enough to ride out a restart,
# not so much that a task against a server that is down hangs.
REFUSED_RETRIES = 2


class RetryPolicy:
    """How often and how long to retry: jittered exponential backoff within a task-wide deadline."""

    def __init__(self, retries=5, max_time=60.0, backoff=0.5, backoff_cap=10.0, sleep=time.sleep, clock=time.monotonic):
        self.retries = max(0, int(retries))
        self.max_time = float(max_time)
        self.backoff = float(backoff)
        self.backoff_cap = float(backoff_cap)
        self._sleep = sleep
        self._clock = clock
        self._spent = 0.0
        self._lock = threading.Lock()
        self.deadline_passed = False

    def start(self):
        """The retry budget of one logical request."""
        return RetryBudget(self)

    def _reserve(self, delay):
        """Take ``delay`` seconds of waiting from the task's budget; False when they do not fit."""
        with self._lock:
            if self._spent + delay > self.max_time:
                self.deadline_passed = True
                return False
            self._spent += delay
            return True

    def _charge(self, seconds):
        """Count the time a retried attempt took against the task's budget."""
        with self._lock:
            self._spent += max(0.0, seconds)


class RetryBudget:
    """The attempts of one logical request."""

    def __init__(self, policy):
        self._policy = policy
        self.attempts = 0
        self.refused = 0
        # Set when the task-wide budget, not the count, ended the retries.
        self.out_of_time = False
        self._retry_started = None

    def wait_before_retry(self, retry_after=None, max_attempts=None):
        """Sleep before the next attempt; False when this request may not be retried again."""
        policy = self._policy
        if self._retry_started is not None:
            # The attempt that just failed was itself a retry: its time counts too.
            policy._charge(policy._clock() - self._retry_started)
            self._retry_started = None
        limit = policy.retries if max_attempts is None else min(policy.retries, max_attempts)
        if self.attempts > limit:
            return False
        exponential = min(policy.backoff_cap, policy.backoff * (2 ** max(0, self.attempts - 1)))
        delay = random.uniform(exponential / 2, exponential)
        if retry_after is not None:
            delay = max(delay, retry_after)
        if not policy._reserve(delay):
            self.out_of_time = True
            return False
        policy._sleep(delay)
        self._retry_started = policy._clock()
        return True

    def why_stopped(self):
        """Words for the end of a failure message when the task's deadline ended the retries."""
        if self.out_of_time:
            return "the task's retry_max_time of {0:g} seconds is spent".format(self._policy.max_time)
        return None


def retry_after_seconds(response):
    """Seconds from a Retry-After header (a number or an HTTP date), or None."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError):
        return None
