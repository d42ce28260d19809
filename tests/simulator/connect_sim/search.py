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

    ``prefix_fields`` names positions of the key (pre-folded strings) that a prefix
    search matches: for each, a sorted list of (field, key) pairs is kept, so
    ``prefixed`` finds the items whose field starts with a prefix by bisection, in
    time proportional to the matches, as a database index would (not a scan).
    """

    def __init__(self, key: Callable[[T], tuple], prefix_fields: tuple[int, ...] = ()) -> None:
        self._key = key
        self._keys: list[tuple] = []
        self._items: list[T] = []
        self._prefix_fields = prefix_fields
        self._by_field: list[list[tuple]] = [[] for unused_field in prefix_fields]
        self._by_key: dict[tuple, T] = {}

    def clear(self) -> None:
        self._keys.clear()
        self._items.clear()
        for pairs in self._by_field:
            pairs.clear()
        self._by_key.clear()

    def add(self, item: T) -> None:
        key = self._key(item)
        position = bisect.bisect_left(self._keys, key)
        self._keys.insert(position, key)
        self._items.insert(position, item)
        if self._prefix_fields:
            self._by_key[key] = item
            for field, pairs in zip(self._prefix_fields, self._by_field):
                bisect.insort(pairs, (key[field], key))

    def add_many(self, items: Iterable[T]) -> None:
        """Bulk insert (seeding): one sort instead of thousands of list inserts."""
        pairs = list(zip(self._keys, self._items))
        added = [(self._key(item), item) for item in items]
        pairs.extend(added)
        pairs.sort(key=lambda pair: pair[0])
        self._keys = [pair[0] for pair in pairs]
        self._items = [pair[1] for pair in pairs]
        if self._prefix_fields:
            self._by_key.update(added)
            for field, field_pairs in zip(self._prefix_fields, self._by_field):
                field_pairs.extend((key[field], key) for key, unused_item in added)
                field_pairs.sort()

    def remove(self, item: T, old_key: tuple) -> None:
        position = bisect.bisect_left(self._keys, old_key)
        if position < len(self._keys) and self._items[position] is item:
            del self._keys[position]
            del self._items[position]
            if self._prefix_fields:
                del self._by_key[old_key]
                for field, pairs in zip(self._prefix_fields, self._by_field):
                    at = bisect.bisect_left(pairs, (old_key[field], old_key))
                    if at < len(pairs) and pairs[at][1] == old_key:
                        del pairs[at]

    def prefixed(self, folded: str) -> list[tuple[tuple, T]]:
        """(key, item) of every item with a prefix field starting with ``folded``, each once, in key order."""
        found: dict[tuple, T] = {}
        for pairs in self._by_field:
            at = bisect.bisect_left(pairs, (folded,))
            while at < len(pairs) and pairs[at][0].startswith(folded):
                key = pairs[at][1]
                found[key] = self._by_key[key]
                at += 1
        return sorted(found.items(), key=lambda pair: pair[0])

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
