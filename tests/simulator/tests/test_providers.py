"""Authentication providers: server_settings flags, POST vs remote-ticket creation,
unique ids, LDAP groups and provisioned groups."""

from __future__ import annotations

import pytest

from sim_support import user_spec

# config -> (provider, authentication.name, external_user_search, external_group_members)
PROVIDER_FLAGS = {
    "default": ("password", "Posit Connect", False, False),
    "ldap": ("ldap", "LDAP", True, True),
    "saml": ("saml", "SAML", False, False),
    "oauth2": ("oauth2", "OAuth2", False, False),
    "google": ("oauth2", "OAuth2", True, False),
    "proxy": ("proxy", "Proxy", False, False),
    "pam": ("pam", "PAM", False, False),
    "provisioning": ("saml", "SAML", False, True),
}
VERSIONS = {"default": "2025.04.0", "v2024": "2024.08.0", "v2023": "2023.09.0", "v2022": "2022.10.0"}


@pytest.mark.parametrize("config", sorted(PROVIDER_FLAGS))
def test_server_settings_authentication_block(sims, config):
    sim = sims(config)
    provider, name, user_search, group_members = PROVIDER_FLAGS[config]
    settings = sim.get("/server_settings")
    auth = settings["authentication"]
    assert (auth["name"], auth["external_user_search"], auth["external_group_members"]) == (name, user_search, group_members)
    assert sim.ready["provider"] == provider
    # Users rename themselves on a password server (a real 2023.11 capture); elsewhere a guess.
    assert auth["username_editable_by"] == ("adminandself" if provider == "password" else "admin")
    assert settings["username_validator"] == "default"
    assert settings["viewers_can_only_see_themselves"] is False


@pytest.mark.parametrize("config", sorted(VERSIONS))
def test_server_settings_version(sims, config):
    sim = sims(config)
    assert sim.get("/server_settings")["version"] == VERSIONS[config]
    assert sim.ready["version"] == VERSIONS[config]


def test_hidden_version_has_empty_server_settings(sims):
    sim = sims("hidden")
    assert sim.get("/server_settings") == {}
    assert sim.create_user("hidey")["username"] == "hidey"  # otherwise a normal server


# ---- POST /v1/users per provider -----------------------------------------------------

POST_CASES = [
    # (config, body, status, code)
    ("pam", {"username": "pat"}, 200, None),
    ("proxy", {"username": "pat"}, 200, None),
    ("proxy", {"username": "pat", "unique_id": "proxy-pat"}, 200, None),
    ("saml", {"username": "pat", "unique_id": "saml-pat"}, 200, None),
    ("oauth2", {"username": "pat", "unique_id": "oauth-pat"}, 200, None),
    ("saml", {"username": "pat"}, 400, 129),
    ("saml", {"username": "pat", "unique_id": ""}, 400, 129),
    ("oauth2", {"username": "pat"}, 400, 129),
    ("oauth2", {"username": "pat", "unique_id": ""}, 400, 129),
    ("ldap", {"username": "pat", "email": "pat@example.com"}, 400, 120),
    ("google", {"username": "pat", "email": "pat@example.com"}, 400, 120),
    ("default", {"username": "pat", "email": "pat@example.com", "password": "secret-pw"}, 200, None),
    ("default", {"username": "pat", "password": "secret-pw"}, 400, 128),
    ("saml", {"username": "pat", "unique_id": "saml-pat", "email": "no-at-sign"}, 400, 60),
    ("pam", {"username": "9pat"}, 400, 7),
    ("proxy", {"username": "content"}, 400, 107),
]


@pytest.mark.parametrize("config,body,status,code", POST_CASES, ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(POST_CASES)])
def test_post_user_by_provider(sims, config, body, status, code):
    sim = sims(config)
    if code is None:
        created = sim.ok("POST", "/v1/users", json=body)
        assert (created["username"], created["user_role"], created["locked"]) == ("pat", "viewer", False)
        if "unique_id" in body:
            assert sim.state_user("pat")["unique_id"] == body["unique_id"]
    else:
        sim.fails("POST", "/v1/users", status, code, json=body)
        assert sim.state_user("pat") is None


@pytest.mark.parametrize("config", ["saml", "oauth2"])
def test_duplicate_unique_id_is_400_76(sims, config):
    sim = sims(config)
    sim.ok("POST", "/v1/users", json={"username": "one", "unique_id": "uid-1"})
    sim.fails("POST", "/v1/users", 400, 76, json={"username": "two", "unique_id": "uid-1"})
    assert sim.state_user("two") is None


# ---- providers without a directory -----------------------------------------------------


@pytest.mark.parametrize("config", ["default", "saml", "oauth2", "proxy", "pam"])
@pytest.mark.parametrize(
    "method,path,body,status,code",
    [
        ("GET", "/v1/users/remote?prefix=a", None, 400, 132),
        ("GET", "/v1/groups/remote?prefix=a", None, 400, 132),
        ("PUT", "/v1/users", {"temp_ticket": "abc"}, 400, 119),
        ("PUT", "/v1/groups", {"temp_ticket": "abc"}, 400, 119),
    ],
)
def test_remote_endpoints_refused_without_directory(sims, config, method, path, body, status, code):
    sim = sims(config)
    kwargs = {} if body is None else {"json": body}
    sim.fails(method, path, status, code, **kwargs)


@pytest.mark.parametrize(
    "method,path,body,status,code",
    [("GET", "/v1/groups/remote?prefix=a", None, 400, 132), ("PUT", "/v1/groups", {"temp_ticket": "abc"}, 400, 119)],
)
def test_google_has_no_group_directory(sims, method, path, body, status, code):
    sims("google").fails(method, path, status, code, **({} if body is None else {"json": body}))


# ---- LDAP and OAuth2 with Google: remote search + ticket -------------------------------

DIRECTORY = [
    {"username": "lara", "email": "lara@corp.example", "first_name": "Lara", "last_name": "Croft"},
    {"username": "larry", "email": "larry@corp.example", "first_name": "Larry", "last_name": "Page"},
    {"username": "moe", "email": "moe@corp.example", "first_name": "Moe", "last_name": "Larkin"},
    {"username": "ned", "email": "ned@corp.example", "first_name": "Ned", "last_name": "Flanders"},
]


@pytest.fixture(params=["ldap", "google"])
def directory_sim(request, sims):
    sim = sims(request.param)
    ids = sim.seed_cast()
    sim.seed(remote_users=DIRECTORY)
    return sim, ids


def remote(sim, prefix, key="pub-key", **params):
    return sim.get("/v1/users/remote", params={"prefix": prefix, **params}, key=key)


def test_remote_search_is_case_insensitive_over_names(directory_sim):
    sim, unused = directory_sim
    for prefix in ("lar", "LAR"):
        found = {u["username"]: u for u in remote(sim, prefix)["results"]}
        assert set(found) == {"lara", "larry", "moe"}
        assert all(u["guid"] is None and u["temp_ticket"] for u in found.values())
        assert found["lara"]["email"] == "lara@corp.example"


def test_remote_search_limit(directory_sim):
    sim, unused = directory_sim
    assert len(remote(sim, "lar", limit=1)["results"]) == 1
    assert len(remote(sim, "lar", limit=500)["results"]) == 3
    assert len(remote(sim, "lar")["results"]) == 3


def test_remote_search_default_limit_is_20(directory_sim):
    sim, unused = directory_sim
    sim.seed(remote_users=[{"username": f"dir{i:02d}", "email": f"d{i}@corp.example", "first_name": "D", "last_name": "Ir"} for i in range(25)])
    assert len(remote(sim, "dir")["results"]) == 20
    assert len(remote(sim, "dir", limit=25)["results"]) == 25


@pytest.mark.parametrize(
    "params,status,code",
    [({}, 400, 12), ({"prefix": "la", "limit": 0}, 400, 13), ({"prefix": "la", "limit": 501}, 400, 13)],
)
def test_remote_search_errors(directory_sim, params, status, code):
    sim, unused = directory_sim
    sim.fails("GET", "/v1/users/remote", status, code, params=params)


def test_create_from_ticket(directory_sim):
    sim, unused = directory_sim
    entry = next(u for u in remote(sim, "lara")["results"] if u["username"] == "lara")
    created = sim.ok("PUT", "/v1/users", json={"temp_ticket": entry["temp_ticket"]}, key="pub-key")
    assert (created["username"], created["email"], created["first_name"], created["last_name"]) == (
        "lara", "lara@corp.example", "Lara", "Croft",
    )  # fmt: skip
    assert (created["user_role"], created["locked"], created["active_time"]) == ("viewer", False, None)
    assert sim.get(f"/v1/users/{created['guid']}") == created
    again = next(u for u in remote(sim, "lara")["results"] if u["username"] == "lara")
    assert again["guid"] == created["guid"]
    sim.fails("PUT", "/v1/users", 409, 8, json={"temp_ticket": again["temp_ticket"]})
    assert sim.users(prefix="lara")["total"] == 1


@pytest.mark.parametrize(
    "key,body,status,code",
    [
        ("pub-key", {"temp_ticket": "not-a-ticket"}, 400, 127),
        ("pub-key", {}, 400, 12),
        ("pub-key", {"temp_ticket": 7}, 400, 121),
        ("vic-key", {"temp_ticket": "not-a-ticket"}, 403, 22),
    ],
)
def test_create_from_ticket_errors(directory_sim, key, body, status, code):
    sim, unused = directory_sim
    before = sim.state()
    sim.fails("PUT", "/v1/users", status, code, json=body, key=key)
    assert sim.state() == before


def test_viewer_may_not_search_directory(directory_sim):
    sim, unused = directory_sim
    sim.fails("GET", "/v1/users/remote", 403, 22, params={"prefix": "la"}, key="vic-key")


def test_google_keeps_local_groups(sims):
    sim = sims("google")
    ids = sim.seed_cast()
    group = sim.create_group("goog")
    assert group["owner_guid"] == sim.me()["guid"]
    sim.ok("POST", f"/v1/groups/{group['guid']}/members", json={"user_guid": ids["vic"]})
    assert [u["username"] for u in sim.get(f"/v1/groups/{group['guid']}/members")["results"]] == ["vic"]


# ---- LDAP groups ------------------------------------------------------------------------


@pytest.fixture
def ldap(sims):
    sim = sims("ldap")
    ids = sim.seed_cast(groups=[{"name": "eng", "members": ["vic"]}])
    sim.seed(
        remote_users=DIRECTORY,
        remote_groups=[{"name": "Art", "members": ["lara"]}, {"name": "Artisans", "members": []}, {"name": "Bio", "members": []}],
    )
    return sim, ids


def test_ldap_group_from_ticket(ldap):
    sim, unused = ldap
    found = sim.get("/v1/groups/remote", params={"prefix": "art"}, key="pub-key")
    by_name = {g["name"]: g for g in found["results"]}
    assert set(by_name) == {"Art", "Artisans"}
    assert all(g["guid"] is None for g in by_name.values())
    assert len(sim.get("/v1/groups/remote", params={"prefix": "ART", "limit": 1})["results"]) == 1
    group = sim.ok("PUT", "/v1/groups", json={"temp_ticket": by_name["Art"]["temp_ticket"]}, key="pub-key")
    assert (group["name"], group["owner_guid"]) == ("Art", None)
    assert sim.get(f"/v1/groups/{group['guid']}") == group
    again = {g["name"]: g for g in sim.get("/v1/groups/remote", params={"prefix": "art"})["results"]}
    assert again["Art"]["guid"] == group["guid"]
    sim.fails("PUT", "/v1/groups", 409, 15, json={"temp_ticket": again["Art"]["temp_ticket"]})


@pytest.mark.parametrize(
    "key,method,path,body,status,code",
    [
        ("pub-key", "POST", "/v1/groups", {"name": "local"}, 400, 120),
        ("pub-key", "PUT", "/v1/groups", {"temp_ticket": "bogus"}, 400, 127),
        ("pub-key", "PUT", "/v1/groups", {}, 400, 12),
        ("pub-key", "GET", "/v1/groups/remote", None, 400, 12),
        ("pub-key", "GET", "/v1/groups/remote?prefix=a&limit=0", None, 400, 13),
        ("pub-key", "GET", "/v1/groups/remote?prefix=a&limit=501", None, 400, 13),
        ("vic-key", "GET", "/v1/groups/remote?prefix=art", None, 403, 22),
        ("vic-key", "PUT", "/v1/groups", {"temp_ticket": "bogus"}, 403, 22),
        ("admin", "GET", "/v1/groups/{eng}/members", None, 400, 132),
        ("admin", "POST", "/v1/groups/{eng}/members", {"user_guid": "{pub}"}, 403, 95),
        ("admin", "DELETE", "/v1/groups/{eng}/members/{vic}", None, 403, 95),
    ],
)
def test_ldap_group_refusals(ldap, key, method, path, body, status, code):
    sim, ids = ldap
    subst = {"eng": ids["group:eng"], "pub": ids["pub"], "vic": ids["vic"]}
    kwargs = {} if body is None else {"json": {k: v.format(**subst) for k, v in body.items()}}
    before = sim.state()
    sim.fails(method, path.format(**subst), status, code, key=sim.api_key if key == "admin" else key, **kwargs)
    assert sim.state() == before


def test_ldap_seeded_groups_are_directory_groups(ldap):
    sim, ids = ldap
    group = sim.get(f"/v1/groups/{ids['group:eng']}")
    assert group["owner_guid"] is None
    state_group = next(g for g in sim.state()["groups"] if g["name"] == "eng")
    assert state_group["members"] == ["vic"]


# ---- group provisioning -------------------------------------------------------------------


@pytest.fixture
def provisioned(sims):
    sim = sims("provisioning")
    sim.seed(users=[{"username": "sue", "email": "sue@example.com", "user_role": "viewer", "unique_id": "sue-uid"}])
    seeded = sim.seed(groups=[{"name": "prov", "members": ["sue"], "provisioned": True}])
    return sim, seeded["groups"]["prov"], sim.state_user("sue")["guid"]


def test_provisioned_group_has_no_owner_and_lists_members(provisioned):
    sim, group, sue = provisioned
    assert sim.get(f"/v1/groups/{group}")["owner_guid"] is None
    assert [u["guid"] for u in sim.get(f"/v1/groups/{group}/members")["results"]] == [sue]


def test_provisioned_group_members_are_read_only(provisioned):
    sim, group, sue = provisioned
    admin = sim.me()["guid"]
    before = sim.state()
    sim.fails("POST", f"/v1/groups/{group}/members", 403, 95, json={"user_guid": admin})
    sim.fails("DELETE", f"/v1/groups/{group}/members/{sue}", 403, 95)
    assert sim.state() == before


def test_local_group_next_to_provisioned_ones_is_editable(provisioned):
    sim, unused, sue = provisioned
    group = sim.create_group("local")
    assert group["owner_guid"] == sim.me()["guid"]
    sim.ok("POST", f"/v1/groups/{group['guid']}/members", json={"user_guid": sue})
    sim.ok("DELETE", f"/v1/groups/{group['guid']}/members/{sue}")


def test_seeded_users_keep_unique_id(sims):
    sim = sims("saml")
    sim.seed(users=[user_spec("uma", unique_id="uma-1")])
    assert sim.state_user("uma")["unique_id"] == "uma-1"
    sim.fails("POST", "/v1/users", 400, 76, json={"username": "other", "unique_id": "uma-1"})


def test_directory_searches_are_reads(ldap):
    sim, unused = ldap
    before = sim.state()
    for path in ("/v1/users/remote", "/v1/groups/remote"):
        for key in (sim.api_key, "pub-key"):
            sim.get(path, params={"prefix": "a"}, key=key)
    assert sim.state() == before


def test_directory_entry_of_a_local_user_carries_its_guid(directory_sim):
    sim, unused = directory_sim
    local = sim.seed(users=[user_spec("ned")])["users"]["ned"]
    entry = next(u for u in remote(sim, "ned")["results"] if u["username"] == "ned")
    assert entry["guid"] == local
    sim.fails("PUT", "/v1/users", 409, 8, json={"temp_ticket": entry["temp_ticket"]}, key="pub-key")
