"""Posit's own Python SDK (posit-sdk) against the simulator, with warnings as errors."""

from __future__ import annotations

import pytest
from posit import connect
from posit.connect.errors import ClientError

from sim_support import user_spec

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture
def client(sim):
    return connect.Client(url=sim.url, api_key=sim.api_key)


def test_version_and_me(client):
    assert client.version == "2025.04.0"
    assert client.me["username"] == "admin"


def test_users_create_get_find_count(client, sim):
    alice = client.users.create(username="alice", email="alice@example.com", password="secret-pw", first_name="Alice", last_name="Able")
    client.users.create(username="alicia", email="alicia@example.com", user_must_set_password=True, user_role="publisher")
    client.users.create(username="bob", email="bob@example.com", password="secret-pw", first_name="Alina")
    assert client.users.get(alice["guid"])["username"] == "alice"
    assert [u["username"] for u in client.users.find(prefix="ali")] == ["alice", "alicia", "bob"]
    assert client.users.find_one(prefix="alice")["guid"] == alice["guid"]
    assert client.users.find_one(prefix="nobody") is None
    assert [u["username"] for u in client.users.find(user_role="publisher")] == ["alicia"]
    assert client.users.count() == 4


def test_users_find_pages_past_500(client, sim):
    sim.seed(users=[user_spec(f"many{i:04d}") for i in range(620)])
    found = client.users.find()
    assert len(found) == 621
    assert len({u["guid"] for u in found}) == 621


def test_user_update(client):
    user = client.users.create(username="carl", email="carl@example.com", password="secret-pw")
    user.update(first_name="Carl", last_name="Sagan", user_role="publisher")
    assert (user["first_name"], user["user_role"]) == ("Carl", "publisher")
    fresh = client.users.get(user["guid"])
    assert (fresh["first_name"], fresh["last_name"], fresh["user_role"]) == ("Carl", "Sagan", "publisher")


def test_lock_and_unlock_other_user(client):
    user = client.users.create(username="dana", email="dana@example.com", password="secret-pw")
    user.lock()
    assert client.users.get(user["guid"])["locked"] is True
    assert [u["username"] for u in client.users.find(account_status="locked")] == ["dana"]
    user.unlock()
    assert client.users.get(user["guid"])["locked"] is False


def test_self_lock_needs_force(client, sim):
    sim.seed(users=[user_spec("boss", "administrator")], api_keys=[{"username": "boss", "key": "boss-key"}])
    me = client.users.get(client.me["guid"])
    with pytest.raises(RuntimeError):
        me.lock()
    me.lock(force=True)
    boss = connect.Client(url=sim.url, api_key="boss-key")
    assert boss.users.get(me["guid"])["locked"] is True
    with pytest.raises(ClientError) as failure:
        client.users.get(me["guid"])
    assert (failure.value.http_status, failure.value.error_code) == (403, 50)
    boss.users.get(me["guid"]).unlock()
    assert client.me["locked"] is False


def test_errors_become_client_errors(client):
    with pytest.raises(ClientError) as failure:
        client.users.get("00000000-0000-4000-8000-000000000000")
    assert (failure.value.http_status, failure.value.error_code) == (404, 4)
    with pytest.raises(ClientError) as failure:
        client.users.create(username="connect", email="c@example.com", password="secret-pw")
    assert failure.value.error_code == 107


def test_groups_and_members(client):
    vic = client.users.create(username="vic", email="vic@example.com", password="secret-pw")
    pat = client.users.create(username="pat", email="pat@example.com", password="secret-pw")
    friends = client.groups.create(name="Friends")
    client.groups.create(name="Foes")
    assert [g["name"] for g in client.groups.find(prefix="fri")] == ["Friends"]
    assert client.groups.find_one(prefix="foe")["name"] == "Foes"
    assert client.groups.count() == 2
    assert friends.members.count() == 0
    friends.members.add(vic)
    friends.members.add(user_guid=pat["guid"])
    assert sorted(u["username"] for u in friends.members.find()) == ["pat", "vic"]
    assert [g["name"] for g in vic.groups.find()] == ["Friends"]
    friends.members.delete(vic)
    assert [u["username"] for u in friends.members.find()] == ["pat"]
    assert vic.groups.find() == []
    vic.groups.add(friends["guid"])
    assert [g["guid"] for g in vic.groups.find()] == [friends["guid"]]
    vic.groups.delete(friends)
    friends.delete()
    assert [g["name"] for g in client.groups.find()] == ["Foes"]


def test_content_and_permissions(client, sim):
    ids = sim.seed_cast(groups=[{"name": "sales", "members": ["vic"]}])
    item = client.content.create(name="sdk-dash", title="SDK Dash")
    assert (item["owner_guid"], item["app_role"]) == (ids["admin"], "owner")
    found = client.content.find(owner_guid=ids["admin"], include="owner")
    assert [(c["name"], c["owner"]["username"]) for c in found] == [("sdk-dash", "admin")]
    assert client.content.get(item["guid"])["title"] == "SDK Dash"
    viewer = item.permissions.create(principal_guid=ids["group:sales"], principal_type="group", role="viewer")
    collaborator = item.permissions.create(principal_guid=ids["pub"], principal_type="user", role="owner")
    assert item.permissions.count() == 2
    assert item.permissions.get(viewer["id"])["principal_guid"] == ids["group:sales"]
    collaborator.update(role="viewer")
    assert sorted(p["role"] for p in item.permissions.find()) == ["viewer", "viewer"]
    item.permissions.destroy(collaborator)
    assert [p["principal_guid"] for p in item.permissions.find()] == [ids["group:sales"]]
    item.update(owner_guid=ids["pub"])
    assert client.content.get(item["guid"])["owner_guid"] == ids["pub"]
    with pytest.raises(ClientError) as refused:
        client.content.create(name="sdk-dash", owner_guid=ids["vic"])
    assert refused.value.error_code == 66
    client.content.get(item["guid"]).delete()
    assert client.content.count() == 0
