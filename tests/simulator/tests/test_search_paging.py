"""GET /v1/users and GET /v1/groups: paging, ordering, prefix search and filters."""

from __future__ import annotations

import datetime as dt

import pytest

from sim_support import timestamp, user_spec


def seed_many(sim, count, prefix="user"):
    users = [user_spec(f"{prefix}{i:03d}") for i in range(count)]
    return sim.seed(users=users)["users"]


def name_key(user):
    return (user["first_name"], user["last_name"], user["username"], user["email"])


# ---- paging ---------------------------------------------------------------------------


def test_defaults_page_1_size_20(sim):
    seed_many(sim, 25)
    page = sim.users()
    assert (page["current_page"], page["total"], len(page["results"])) == (1, 26, 20)


@pytest.mark.parametrize("size", [1, 7, 500])
def test_walking_pages_returns_every_user_once_in_order(sim, size):
    seed_many(sim, 23)
    everything = sim.users(page_size=500)["results"]
    assert len(everything) == 24
    walked, number = [], 1
    while True:
        page = sim.users(page_size=size, page_number=number)
        assert (page["current_page"], page["total"]) == (number, 24)
        if not page["results"]:
            break
        assert len(page["results"]) <= size
        walked += page["results"]
        number += 1
    assert walked == everything
    assert number == -(-24 // size) + 1


@pytest.mark.parametrize("page_number", [3, 4, 1000])
def test_page_past_end_is_empty_with_same_total(sim, page_number):
    seed_many(sim, 9)
    page = sim.users(page_size=5, page_number=page_number)
    assert page == {"results": [], "current_page": page_number, "total": 10}


@pytest.mark.parametrize(
    "params",
    [
        {"page_size": 0},
        {"page_size": 501},
        {"page_size": -1},
        {"page_number": 0},
        {"page_number": -3},
    ],
    ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()),
)
@pytest.mark.parametrize("path", ["/v1/users", "/v1/groups", "/v1/groups/{group}/members"])
def test_page_range_errors(sim, path, params):
    group = sim.create_group("g")["guid"]
    sim.fails("GET", path.format(group=group), 400, 13, params=params)


def test_page_size_500_is_allowed(sim):
    seed_many(sim, 510)
    page = sim.users(page_size=500)
    assert (len(page["results"]), page["total"]) == (500, 511)
    assert len(sim.users(page_size=500, page_number=2)["results"]) == 11


# ---- ordering -------------------------------------------------------------------------

SORT_CAST = [
    ("al", "Zed", "Zulu"),
    ("alvin", "Aaron", "Young"),
    ("alice", "Bob", "Young"),
    ("albert", "Carl", "Xu"),
    ("alexandra", "Dana", "Wu"),
    ("bob", "Alan", "Smith"),
    ("xavier", "Albus", "Dumble"),
    ("carl", "Carl", "Allen"),
    ("dave", "Dave", "Jones"),
    ("yy", "Sam", "Same"),
    ("zz", "Sam", "Same"),
]


@pytest.fixture
def sorted_cast(sim):
    users = [user_spec(u, first_name=f, last_name=l) for u, f, l in SORT_CAST]
    users[SORT_CAST.index(("dave", "Dave", "Jones"))]["email"] = "al@example.com"  # email is not searched
    sim.seed(users=users)
    return sim


def test_default_order_is_first_last_username(sorted_cast):
    results = sorted_cast.users()["results"]
    assert results == sorted(results, key=name_key)
    assert [u["username"] for u in results][:3] == ["alvin", "admin", "bob"]


def test_asc_order_false_reverses(sorted_cast):
    ascending = sorted_cast.usernames()
    assert sorted_cast.usernames(asc_order="false") == ascending[::-1]
    assert sorted_cast.usernames(asc_order="true") == ascending


PREFIX_AL = ["al", "alvin", "alice", "albert", "alexandra", "bob", "xavier", "carl"]


@pytest.mark.parametrize("prefix", ["al", "AL", "aL"])
def test_prefix_is_case_insensitive_and_ordered_by_similarity(sorted_cast, prefix):
    # exact username, then username prefixes by length (ties by first name), then name matches
    page = sorted_cast.users(prefix=prefix)
    assert [u["username"] for u in page["results"]] == PREFIX_AL
    assert page["total"] == len(PREFIX_AL)


@pytest.mark.parametrize(
    "prefix,expected",
    [
        ("sam", ["yy", "zz"]),  # first name
        ("you", ["alvin", "alice"]),  # last name
        ("ALEX", ["alexandra"]),
        ("dave", ["dave"]),
        ("al@", []),  # email is not searched
        ("q", []),
    ],
)
def test_prefix_matches_username_first_and_last_name(sorted_cast, prefix, expected):
    assert sorted_cast.usernames(prefix=prefix) == expected


def test_prefix_combined_with_role(sim):
    sim.seed(users=[user_spec("ann", "publisher"), user_spec("anna", "viewer"), user_spec("annie", "publisher")])
    assert sim.usernames(prefix="ann", user_role="publisher") == ["ann", "annie"]


# ---- prefix paging by version -----------------------------------------------------------


@pytest.mark.parametrize("config", ["default", "v2024", "v2023", "v2022", "hidden"])
def test_user_prefix_paging_by_version(sims, config):
    sim = sims(config)
    seed_many(sim, 5, prefix="pa")
    first = sim.users(prefix="pa", page_size=2)
    second = sim.users(prefix="pa", page_size=2, page_number=2)
    assert first["total"] == second["total"] == 5
    if config == "default":  # 2025.04.0 pages properly
        assert second["current_page"] == 2
        third = sim.users(prefix="pa", page_size=2, page_number=3)
        names = [u["username"] for p in (first, second, third) for u in p["results"]]
        assert names == [f"pa{i:03d}" for i in range(5)]
    else:  # older versions answer page 2+ of a user prefix search with nothing
        assert second == {"results": [], "current_page": 2, "total": 5}
        assert first["current_page"] == 1 and len(first["results"]) == 2
    # without a prefix every version pages normally
    assert sim.users(page_size=2, page_number=2)["current_page"] == 2
    assert sim.users(page_size=2, page_number=2)["results"] != sim.users(page_size=2)["results"]


@pytest.mark.parametrize("config", ["default", "v2024", "v2023", "v2022", "hidden"])
def test_group_prefix_paging_by_version(sims, config):
    sim = sims(config)
    sim.seed(groups=[{"name": f"team-{c}", "members": []} for c in "abcde"])
    params = {"prefix": "team", "page_size": 2}
    first = sim.get("/v1/groups", params=params)
    second = sim.get("/v1/groups", params={**params, "page_number": 2})
    assert first["total"] == second["total"] == 5
    if config == "default":
        assert second["current_page"] == 2
        assert not {g["guid"] for g in first["results"]} & {g["guid"] for g in second["results"]}
    else:
        assert second == first


# ---- filters ----------------------------------------------------------------------------


@pytest.fixture
def role_cast(sim):
    sim.seed(
        users=[
            user_spec("p1", "publisher"),
            user_spec("p2", "publisher"),
            user_spec("v1", "viewer"),
            user_spec("a2", "administrator"),
        ]
    )
    return sim


@pytest.mark.parametrize(
    "query,expected",
    [
        ("user_role=viewer", {"v1"}),
        ("user_role=publisher", {"p1", "p2"}),
        ("user_role=administrator", {"admin", "a2"}),
        ("user_role=viewer|publisher", {"v1", "p1", "p2"}),
        ("user_role=viewer%7Cadministrator", {"v1", "admin", "a2"}),
        ("user_role=viewer&user_role=publisher", set()),
        ("user_role=viewer&user_role=viewer", {"v1"}),
    ],
)
def test_user_role_filter(role_cast, query, expected):
    page = role_cast.get(f"/v1/users?{query}")
    assert {u["username"] for u in page["results"]} == expected
    assert page["total"] == len(expected)


@pytest.mark.parametrize("query", ["user_role=owner", "user_role=viewer|owner", "user_role=admin"])
def test_unknown_role_filter_is_400_112(role_cast, query):
    role_cast.fails("GET", f"/v1/users?{query}", 400, 112)


@pytest.fixture
def status_cast(sim):
    users = [
        user_spec("fresh", active_time=timestamp(10)),
        user_spec("almost", active_time=timestamp(360)),
        user_spec("stale", active_time=timestamp(730)),
        user_spec("lapsed", active_time=timestamp(370)),
        user_spec("never", active_time=None),
        user_spec("frozen", locked=True, active_time=timestamp(10)),
        user_spec("frozen_old", locked=True, active_time=None),
    ]
    sim.seed(users=users, api_keys=[{"username": "fresh", "key": "fresh-key"}])
    return sim


def computed_status(user, now):
    if user["locked"]:
        return "locked"
    if user["active_time"] is None:
        return "inactive"
    seen = dt.datetime.fromisoformat(user["active_time"].replace("Z", "+00:00"))
    return "licensed" if now - seen <= dt.timedelta(days=365) else "inactive"


@pytest.mark.parametrize(
    "query,expected",
    [
        ("account_status=licensed", {"fresh", "almost"}),
        ("account_status=inactive", {"stale", "lapsed", "never"}),
        ("account_status=locked", {"frozen", "frozen_old"}),
        ("account_status=locked|licensed", {"frozen", "frozen_old", "fresh", "almost"}),
        ("account_status=locked&account_status=licensed", set()),
    ],
)
def test_account_status_filter(status_cast, query, expected):
    page = status_cast.get(f"/v1/users?{query}")
    seeded = {u["username"] for u in page["results"]} - {"admin"}
    assert seeded == expected


def test_account_status_matches_the_rule_for_every_user(status_cast):
    now = dt.datetime.now(dt.timezone.utc)
    everyone = status_cast.users(page_size=500)["results"]
    for status in ("locked", "licensed", "inactive"):
        got = {u["username"] for u in status_cast.users(account_status=status, page_size=500)["results"]}
        assert got == {u["username"] for u in everyone if computed_status(u, now) == status}, status


def test_account_status_with_role_and_prefix(status_cast):
    assert status_cast.usernames(account_status="licensed", user_role="viewer", prefix="fr") == ["fresh"]


@pytest.mark.parametrize("query", ["account_status=gone", "account_status=locked|gone", "account_status=active"])
def test_unknown_account_status_is_400_115(status_cast, query):
    status_cast.fails("GET", f"/v1/users?{query}", 400, 115)


def test_account_status_is_admin_only(status_cast):
    status_cast.fails("GET", "/v1/users?account_status=licensed", 403, 22, key="fresh-key")


@pytest.mark.parametrize("query", ["username=vic", "foo=bar", "filter=x&sort=name", "guid=123"])
def test_unknown_params_are_ignored(cast, sim, query):
    assert sim.get(f"/v1/users?{query}") == sim.users()
    assert sim.get(f"/v1/groups?{query}") == sim.get("/v1/groups")


def test_unknown_param_does_not_disturb_paging(cast, sim):
    assert sim.get("/v1/users?bogus=1&page_size=2&page_number=2") == sim.users(page_size=2, page_number=2)
