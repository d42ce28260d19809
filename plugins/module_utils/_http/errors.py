# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one exception type the collection raises, and the sentences it turns into.

Every failure a module reports goes through ConnectError.message so that the
wording is consistent and no secret can slip in: the exception only ever holds
the HTTP method, the API path, the status, Connect's code and Connect's message.
Request headers (and so the API key) are never stored on it.
"""

from __future__ import annotations

import re

# Statuses that mean "the server did not do it, try again later" (the retry policy retries them).
RETRYABLE_STATUSES = frozenset([429, 502, 503, 504])

# Connect error codes whose default wording does not say which permission is
# missing; these sentences do.
_PERMISSION_HINTS = {
    21: "the API key's user may not change this user",
    22: "the API key's user lacks the permission for this operation (an administrator's key is needed)",
    23: "the API key's user may not give this role",
    49: "Connect does not let the API key's user lock or unlock this user",
    50: "the API key belongs to a locked user",
    95: "the server's authentication provider manages this through its own directory, not the API",
}


# A 403 with one of these codes is about the key, not the object: its user is locked (50),
# or it lacks the role the operation needs (22). No other write can do better with that key.
KEY_REFUSED_CODES = frozenset((50, 22))
# A 403 with this code is about the object (the provider owns it), so other writes of its kind may pass.
_ABOUT_THE_OBJECT_CODES = frozenset((95,))


def _one_clause(text):
    """Connect's message as one clause of our sentence: "A. Please retry." -> "A; please retry"."""
    text = " ".join(str(text).split()).rstrip(".")
    return re.sub(r"\.\s+(\w)", lambda match: "; " + match.group(1).lower(), text)


class ConnectError(Exception):
    """A request to Connect failed, or the desired state cannot be reached.

    ``status`` is the HTTP status (None when no answer came back), ``code`` is
    Connect's own error code from the JSON body, ``error`` is Connect's message.
    ``action`` is what the module was doing, in words ("update user 'ana'").

    ``ends_the_run``: no further write of a bulk run should be sent after it
    (the key was refused, or its user is locked, or it lacks the role);
    ``stops_kind``: no further write of the same kind should be (a 403 on a
    write, as a key with a lower role than its owner's gets). ``needs`` names
    the role such a write needs, set by the API layer that knows the write.
    """

    ends_the_run = False
    stops_kind = False
    needs = None

    def __init__(self, message=None, status=None, code=None, error=None,
                 method=None, path=None, attempts=1, action=None):
        self.status = status
        self.code = code
        self.error = error
        self.method = method
        self.path = path
        self.attempts = attempts
        self.action = action
        # Why retrying stopped, when it was the task's deadline (see retry.RetryBudget.why_stopped).
        self.stopped = None
        self._message = message
        if status == 401 or (status == 403 and code in KEY_REFUSED_CODES):
            self.ends_the_run = True
        elif status == 403 and method not in (None, "GET") and code not in _ABOUT_THE_OBJECT_CODES:
            self.stops_kind = True
        super().__init__(self.message)

    @property
    def message(self):
        """One sentence naming the cause."""
        if self._message:
            return self._message
        return "{0}: {1}".format(self._doing(), self._cause())

    def with_action(self, action):
        """Name what the module was doing, keeping the details of the failure."""
        if self.action is None:
            self.action = action
            self.args = (self.message,)
        return self

    def _doing(self):
        if self.action:
            return "Could not {0}".format(self.action)
        return "Connect request {0} {1} failed".format(self.method, self.path)

    def _cause(self):
        said = self._connect_said()
        if self.status == 401:
            return "Connect refused the API key (HTTP 401{0}).".format(said)
        if self.status == 403 and self.needs and self.code not in (50, 95):
            # GET /v1/user names the key's owner, not the key's own role, so nothing could tell this before the write.
            hint = _PERMISSION_HINTS.get(self.code, "Connect refused this write to the API key")
            return ("{0} (HTTP 403{1}); it needs {2}, and a key may act with a lower role than its owner's "
                    "account.".format(hint[0].upper() + hint[1:], said, self.needs))
        if self.status == 403:
            hint = _PERMISSION_HINTS.get(self.code, "the API key's user lacks permission for {0} {1}".format(self.method, self.path))
            return "{0} (HTTP 403{1}).".format(hint[0].upper() + hint[1:], said)
        if self.status == 404:
            return "Connect has no such object at {0} (HTTP 404{1}).".format(self.path, said)
        return "Connect answered HTTP {0} to {1} {2}{3}{4}.".format(self.status, self.method, self.path, self._tries(), said)

    def _tries(self):
        """How many attempts were made, said whenever there was (or could have been) more than one."""
        stopped = " ({0})".format(self.stopped) if self.stopped else ""
        if self.attempts > 1:
            return " after {0} attempts{1}".format(self.attempts, stopped)
        if self.status in RETRYABLE_STATUSES:
            return " after 1 attempt{0}".format(stopped)
        return stopped

    def _connect_said(self):
        if self.code is None and not self.error:
            return ""
        text = ", code {0}".format(self.code) if self.code is not None else ""
        if self.error:
            text += ": " + _one_clause(self.error)
        return text

    def to_result(self):
        """The keys a failed task returns besides ``msg``: only those with a value (a refusal made while planning
        has neither an HTTP status nor a Connect code)."""
        return present(status=self.status, code=self.code)


def present(**values):
    """The items whose value is not None."""
    return dict((key, value) for key, value in values.items() if value is not None)


class ConnectRequestError(ConnectError):
    """No HTTP answer: the server could not be reached, TLS failed, or it timed out."""

    def __init__(self, reason, method=None, path=None, attempts=1, action=None):
        self.reason = reason
        super().__init__(status=None, method=method, path=path, attempts=attempts, action=action)

    def _cause(self):
        tries = ["{0} attempts".format(self.attempts)] if self.attempts > 1 else []
        if self.stopped:
            tries.append(self.stopped)
        return "{0}{1}.".format(self.reason, " ({0})".format("; ".join(tries)) if tries else "")
