"""Seeding speed and concurrent clients."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from sim_support import user_spec

THREADS = 12


def test_seed_10000_users_fast(sim):
    users = [user_spec(f"bulk{i:05d}", "publisher" if i % 10 == 0 else "viewer") for i in range(10_000)]
    started = time.perf_counter()
    seeded = sim.seed(users=users)
    elapsed = time.perf_counter() - started
    print(f"\nseeding 10,000 users took {elapsed:.3f} s")
    assert elapsed < 3.0
    assert len(seeded["users"]) == 10_000
    assert sim.users()["total"] == 10_001
    last = sim.users(page_size=500, page_number=21)
    assert (len(last["results"]), last["total"]) == (1, 10_001)
    assert sim.users(user_role="publisher", page_size=1)["total"] == 1_000
    assert sim.users(prefix="bulk0999")["total"] == 10


def api(session, sim, method, path, key, **kwargs):
    return session.request(method, f"{sim.url}/__api__{path}", headers={"Authorization": f"Key {key}"}, timeout=30, **kwargs)


def run_together(count, work):
    barrier = threading.Barrier(count)

    def worker(i):
        with requests.Session() as session:
            session.trust_env = False
            barrier.wait(timeout=10)
            return work(session, i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(worker, range(count)))


def test_concurrent_clients_get_their_own_answers(sim):
    users = [user_spec(f"worker{i:02d}") for i in range(THREADS)]
    seeded = sim.seed(users=users, api_keys=[{"username": u["username"], "key": f"key-{u['username']}"} for u in users])["users"]
    sim.clear_request_log()

    def work(session, i):
        name = f"worker{i:02d}"
        out = [api(session, sim, "GET", "/v1/user", f"key-{name}").json()["guid"] == seeded[name]]
        created = api(session, sim, "POST", "/v1/users", sim.api_key, json={"username": f"made{i:02d}", "email": f"m{i}@example.com", "password": "secret-pw"})
        out.append(created.status_code == 200 and created.json()["username"] == f"made{i:02d}")
        fetched = api(session, sim, "GET", f"/v1/users/{created.json()['guid']}", f"key-{name}").json()
        out.append(fetched["username"] == f"made{i:02d}")
        page = api(session, sim, "GET", "/v1/users", f"key-{name}", params={"prefix": name}).json()
        out.append([u["username"] for u in page["results"]] == [name])
        return out

    results = run_together(THREADS, work)
    assert all(all(r) for r in results), results
    assert len(sim.request_log()) == 4 * THREADS
    assert sim.users()["total"] == 1 + 2 * THREADS


def test_concurrent_duplicate_creates_yield_one_winner(sim):
    def work(session, i):
        resp = api(session, sim, "POST", "/v1/users", sim.api_key, json={"username": "racer", "email": f"r{i}@example.com", "password": "secret-pw"})
        return resp.status_code, resp.json().get("code")

    outcomes = run_together(THREADS, work)
    assert sorted(outcomes, key=str) == sorted([(200, None)] + [(409, 8)] * (THREADS - 1), key=str)
    assert sim.users(prefix="racer")["total"] == 1


def test_concurrent_member_adds(sim):
    users = [user_spec(f"joiner{i:02d}") for i in range(THREADS)]
    seeded = sim.seed(users=users, groups=[{"name": "club", "members": [], "owner": "admin"}])
    group = seeded["groups"]["club"]

    def work(session, i):
        resp = api(session, sim, "POST", f"/v1/groups/{group}/members", sim.api_key, json={"user_guid": seeded["users"][f"joiner{i:02d}"]})
        return resp.status_code

    assert run_together(THREADS, work) == [204] * THREADS
    assert sim.get(f"/v1/groups/{group}/members")["total"] == THREADS


def _brute_force_prefix(users, prefix):
    """The similarity order of a prefix search, computed by scanning every user (what the index must equal)."""
    folded = prefix.casefold()
    ranked = []
    for u in users:
        key = (u["first_name"].casefold(), u["last_name"].casefold(), u["username"].casefold(),
               u["email"].casefold(), u["username"], u["guid"])
        name = key[2]
        if name == folded:
            rank = (0, 0)
        elif name.startswith(folded):
            rank = (1, len(name))
        elif key[0].startswith(folded) or key[1].startswith(folded):
            rank = (2, 0)
        else:
            continue
        ranked.append((rank, key, u["username"]))
    return [entry[2] for entry in sorted(ranked)]


def test_prefix_index_follows_updates_and_renames(sim):
    users = [user_spec(f"ix{i:03d}", first_name=f"Ixia{i % 7}", last_name=f"Quinn{i % 5}") for i in range(300)]
    seeded = sim.seed(users=users)["users"]
    # Renames, name changes and creates after seeding move entries in the index.
    for i in range(0, 300, 37):
        sim.ok("PUT", f"/v1/users/{seeded[f'ix{i:03d}']}", json={"username": f"ren{i:03d}", "first_name": "Quinn"})
    sim.create_user("ixnew", first_name="Zed", last_name="Ixia")
    everyone = sim.state()["users"]
    for prefix in ("ix", "IX0", "ix00", "ixia3", "quinn", "QUINN2", "ren", "ren037", "zed", "ixnew", "nobody"):
        found = [u["username"] for u in sim.users(prefix=prefix, page_size=500)["results"]]
        assert found == _brute_force_prefix(everyone, prefix), prefix


def test_seed_100000_users_and_search_by_index(sim):
    users = [{"username": f"big{i:06d}", "email": f"big{i:06d}@example.com", "first_name": f"Given{i}",
              "last_name": f"Family{i}"} for i in range(100_000)]
    started = time.perf_counter()
    for start in range(0, len(users), 25_000):
        sim.seed(users=users[start:start + 25_000])
    seeding = time.perf_counter() - started
    session = requests.Session()
    started = time.perf_counter()
    for i in range(0, 100_000, 500):
        resp = session.get(f"{sim.url}/__api__/v1/users", params={"prefix": f"big{i:06d}"},
                           headers={"Authorization": f"Key {sim.api_key}"}, timeout=30)
        assert resp.json()["results"][0]["username"] == f"big{i:06d}"
    per_search = (time.perf_counter() - started) / 200
    print(f"\nseeding 100,000 users took {seeding:.2f} s; a prefix search {per_search * 1000:.1f} ms")
    assert seeding < 30.0
    # A scan of 100,000 users takes ~50 ms a search on this machine; the index a few ms.
    assert per_search < 0.025
    assert sim.users(page_size=500, page_number=201)["total"] == 100_001
