"""Ordering, prefix matching and paging shared by the users and groups listings."""

from __future__ import annotations

import bisect
from typing import Callable, Generic, Iterable, TypeVar

T = TypeVar("T")

MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 20


class SortedIndex(Generic[T]):
    """Items kept in sort-key order so listing a page never re-sorts everything.

    Each item's key must be unique (callers end their keys with the guid) so an
    update can find and move exactly one entry.
    """

    def __init__(self, key: Callable[[T], tuple]) -> None:
        self._key = key
        self._keys: list[tuple] = []
        self._items: list[T] = []

    def clear(self) -> None:
        self._keys.clear()
        self._items.clear()

    def add(self, item: T) -> None:
        key = self._key(item)
        position = bisect.bisect_left(self._keys, key)
        self._keys.insert(position, key)
        self._items.insert(position, item)

    def add_many(self, items: Iterable[T]) -> None:
        """Bulk insert (seeding): one sort instead of thousands of list inserts."""
        pairs = list(zip(self._keys, self._items))
        pairs.extend((self._key(item), item) for item in items)
        pairs.sort(key=lambda pair: pair[0])
        self._keys = [pair[0] for pair in pairs]
        self._items = [pair[1] for pair in pairs]

    def remove(self, item: T, old_key: tuple) -> None:
        position = bisect.bisect_left(self._keys, old_key)
        if position < len(self._keys) and self._items[position] is item:
            del self._keys[position]
            del self._items[position]

    def move(self, item: T, old_key: tuple) -> None:
        """Re-place an item whose sort fields changed."""
        if old_key != self._key(item):
            self.remove(item, old_key)
            self.add(item)

    def items(self) -> list[T]:
        return self._items

    def keyed_items(self) -> Iterable[tuple[tuple, T]]:
        """(sort key, item) pairs; the keys hold pre-folded names for prefix matching."""
        return zip(self._keys, self._items)

    def __len__(self) -> int:
        return len(self._items)


def similarity_rank(prefix: str, name: str, other_names: Iterable[str] = ()) -> tuple | None:
    """How well ``prefix`` matches; None when it does not match at all.

    Our guess at Connect's "similarity" order: an exact (case-insensitive) match of
    the main name first, then main names that start with the prefix, shortest first,
    then matches on the other names (first/last name for users).
    """
    if name == prefix:
        return (0, 0)
    if name.startswith(prefix):
        return (1, len(name))
    if any(other.startswith(prefix) for other in other_names):
        return (2, 0)
    return None


def page_slice(items: list, page_number: int, page_size: int) -> list:
    start = (page_number - 1) * page_size
    return items[start:start + page_size]


def envelope(results: list, current_page: int, total: int) -> dict:
    # Exactly these three keys: posit-sdk builds Page(**json) and fails on extras.
    return {"results": results, "current_page": current_page, "total": total}
