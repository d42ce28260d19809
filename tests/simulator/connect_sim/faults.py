"""Injected trouble for /__api__ calls: latency, error statuses and dropped connections.

Rules are set through PUT /__sim__/faults. Each request consults the plan once
(``FaultPlan.decide``) and the WSGI middleware acts on the decision.
"""

from __future__ import annotations

import fnmatch
import random
import threading
from dataclasses import dataclass

DROP_MODES = ("before_commit", "after_commit")
RULE_KEYS = {"method", "path", "probability", "times", "status", "retry_after", "delay_ms",
             "drop"}


class FaultSpecError(ValueError):
    """A fault plan that cannot be used; the control plane answers 400 with its text."""


@dataclass
class FaultDecision:
    delay_ms: float = 0.0
    status: int | None = None
    retry_after: float | None = None
    drop: str | None = None


def _number(value, name: str, minimum: float = 0, maximum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FaultSpecError(f"{name} must be a number")
    if value < minimum or (maximum is not None and value > maximum):
        raise FaultSpecError(f"{name} out of range: {value}")
    return value


def validate_rule(rule) -> dict:
    if not isinstance(rule, dict):
        raise FaultSpecError("each rule must be an object")
    unknown = set(rule) - RULE_KEYS
    if unknown:
        raise FaultSpecError(f"unknown rule keys: {sorted(unknown)}")
    clean = {"method": rule.get("method"), "path": rule.get("path", "*"),
             "probability": _number(rule.get("probability", 1), "probability", 0, 1),
             "times": rule.get("times"), "status": rule.get("status"),
             "retry_after": rule.get("retry_after"), "delay_ms": rule.get("delay_ms"),
             "drop": rule.get("drop")}
    if clean["method"] is not None and not isinstance(clean["method"], str):
        raise FaultSpecError("method must be a string")
    if not isinstance(clean["path"], str):
        raise FaultSpecError("path must be a string")
    if clean["times"] is not None and (isinstance(clean["times"], bool)
                                       or not isinstance(clean["times"], int)
                                       or clean["times"] < 0):
        raise FaultSpecError("times must be a non-negative integer")
    if clean["status"] is not None:
        status = clean["status"]
        if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
            raise FaultSpecError("status must be an HTTP error status (400-599)")
    if clean["retry_after"] is not None:
        _number(clean["retry_after"], "retry_after")
    if clean["delay_ms"] is not None:
        _number(clean["delay_ms"], "delay_ms")
    if clean["drop"] is not None and clean["drop"] not in DROP_MODES:
        raise FaultSpecError(f"drop must be one of {DROP_MODES}")
    if clean["drop"] is not None and clean["status"] is not None:
        raise FaultSpecError("a rule cannot both drop the connection and answer a status")
    if clean["drop"] is None and clean["status"] is None and clean["delay_ms"] is None:
        raise FaultSpecError("a rule needs one of status, drop or delay_ms")
    return clean


class FaultPlan:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        with self._lock:
            self.latency_ms: float = 0
            self.rules: list[dict] = []
            self._random = random.Random()

    def replace(self, spec) -> None:
        if not isinstance(spec, dict):
            raise FaultSpecError("the fault plan must be a JSON object")
        latency = _number(spec.get("latency_ms", 0), "latency_ms")
        rules = spec.get("rules", [])
        if not isinstance(rules, list):
            raise FaultSpecError("rules must be a list")
        clean_rules = [validate_rule(rule) for rule in rules]
        for rule in clean_rules:
            rule["hits"] = 0
        with self._lock:
            self.latency_ms = latency
            self.rules = clean_rules
            # A fixed seed makes probabilistic faults repeatable in a test.
            self._random = random.Random(spec.get("seed"))

    def to_json(self) -> dict:
        with self._lock:
            return {"latency_ms": self.latency_ms, "rules": [dict(r) for r in self.rules]}

    def decide(self, method: str, api_path: str) -> FaultDecision:
        """Pick what happens to one request; counts the rules that fire."""
        decision = FaultDecision(delay_ms=self.latency_ms)
        with self._lock:
            for rule in self.rules:
                if not self._matches(rule, method, api_path):
                    continue
                ends_request = rule["status"] is not None or rule["drop"] is not None
                if ends_request and (decision.status or decision.drop):
                    continue  # the first answering rule wins; later ones keep their budget
                if rule["times"] is not None and rule["hits"] >= rule["times"]:
                    continue
                if self._random.random() >= rule["probability"]:
                    continue
                rule["hits"] += 1
                decision.delay_ms += rule["delay_ms"] or 0
                if rule["status"] is not None:
                    decision.status = rule["status"]
                    decision.retry_after = rule["retry_after"]
                if rule["drop"] is not None:
                    decision.drop = rule["drop"]
        return decision

    @staticmethod
    def _matches(rule: dict, method: str, api_path: str) -> bool:
        if rule["method"] is not None and rule["method"].upper() != method.upper():
            return False
        # fnmatch's "*" also crosses "/", so "/v1/users*" covers every users URL.
        return fnmatch.fnmatchcase(api_path, rule["path"])
