"""The record of /__api__ calls that tests read back through GET /__sim__/requests."""

from __future__ import annotations

import threading


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict] = []

    def start(self, method: str, path: str, query: str) -> dict:
        """Reserve the entry on arrival so the log keeps arrival order."""
        entry = {"method": method, "path": path, "query": query, "status": None, "ms": None}
        with self._lock:
            self._entries.append(entry)
        return entry

    def finish(self, entry: dict, status: int, ms: float, fault: str | None = None) -> None:
        with self._lock:
            entry["status"] = status
            entry["ms"] = round(ms, 3)
            if fault:
                entry["fault"] = fault

    def entries(self) -> list[dict]:
        with self._lock:
            return [dict(entry) for entry in self._entries]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
