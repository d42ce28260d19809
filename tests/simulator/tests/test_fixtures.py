"""The simulator's answers against the shape fixtures (tests/simulator/fixtures, see its README)."""

from __future__ import annotations

import json
import pathlib

import pytest

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def shape_differences(real, simulated, where="answer") -> list[str]:
    """Where two JSON documents differ in shape: keys, and the type of each value (null matches anything)."""
    if real is None or simulated is None:
        return []
    if isinstance(real, dict) and isinstance(simulated, dict):
        if set(real) != set(simulated):
            return [f"{where}: keys {sorted(set(real) ^ set(simulated))} are in only one of them"]
        return [d for key in real for d in shape_differences(real[key], simulated[key], f"{where}.{key}")]
    if isinstance(real, list) and isinstance(simulated, list):
        return [d for sample in real[:1] for item in simulated for d in shape_differences(sample, item, f"{where}[]")]
    if type(real) is not type(simulated):
        return [f"{where}: {type(real).__name__} in the fixture, {type(simulated).__name__} in the simulator"]
    return []


def assert_same_shape(real, simulated):
    assert shape_differences(real, simulated) == []


def seeded(sim, name):
    """Seed what the fixture needs; the seed's guids by name (and its content items, in order)."""
    seed = fixture(name).get("seed", {})
    return sim.seed(users=seed.get("users", ()), groups=seed.get("groups", ()), content=seed.get("content", ()))


def test_users_page_2(sim):
    seeded(sim, "users-page-2.json")
    answer = sim.users(page_number=2, page_size=2)
    expected = fixture("users-page-2.json")["answer"]
    assert_same_shape(expected, answer)
    assert (answer["current_page"], answer["total"], len(answer["results"])) == (2, 3, 1)


def test_group(sim):
    group = sim.create_group("Data Science")
    assert_same_shape(fixture("group.json")["answer"], sim.get(f"/v1/groups/{group['guid']}"))


@pytest.mark.parametrize("name,members", [("group-members.json", ["mira", "tomas"]), ("group-members-empty.json", [])])
def test_group_members(sim, name, members):
    ids = sim.seed(users=[{"username": m} for m in members], groups=[{"name": "ds", "members": members}])
    answer = sim.get(f"/v1/groups/{ids['groups']['ds']}/members")
    expected = fixture(name)["answer"]
    assert_same_shape(expected, answer)
    assert answer["total"] == expected["total"] == len(answer["results"])


def test_groups_order_ignores_punctuation(sims):
    sim = sims("v2024")
    expected = fixture("groups-order-2024.08.json")["answer"]
    names = [group["name"] for group in expected["results"]]
    sim.seed(groups=[{"name": name} for name in reversed(names)])
    answer = sim.get("/v1/groups", params={"page_size": 10})
    assert_same_shape(expected, answer)
    assert [group["name"] for group in answer["results"]] == names


def test_groups_prefix_page_2(sim):
    seeded(sim, "groups-prefix-page-2-2025.04.json")
    answer = sim.get("/v1/groups", params={"prefix": "ops", "page_size": 1, "page_number": 2})
    expected = fixture("groups-prefix-page-2-2025.04.json")["answer"]
    assert_same_shape(expected, answer)
    assert [g["name"] for g in answer["results"]] == [g["name"] for g in expected["results"]]
    assert (answer["current_page"], answer["total"]) == (expected["current_page"], expected["total"])


def test_users_prefix_page_2_before_2025_04(sims):
    sim = sims("v2024")
    seeded(sim, "users-prefix-page-2-2024.08.json")
    answer = sim.users(prefix="ops", page_size=1, page_number=2)
    assert answer == fixture("users-prefix-page-2-2024.08.json")["answer"]


# The keys of a real server's settings (the full 2023.11 capture) that the simulator leaves out, each
# with the reason. A key the simulator starts sending must leave this list; a key of a newer capture
# that is missing here shows up as a difference.
_UI = "a dashboard or UI setting; nothing in the users, groups or content API depends on it"
_CONTENT = "about deploying and running content, which the simulator does not simulate"
SETTINGS_NOT_SIMULATED = {
    "license": "licensing is not simulated (licence limits, code 64, are out of scope: docs/simulator.md)",
    "license_expiration_ui_warning": "licensing is not simulated",
    "deprecated_settings": "about the server's configuration file, which the simulator has none of",
    "deprecated_settings_ui_warning": "about the server's configuration file, which the simulator has none of",
    "google_analytics_tracking_id": _UI,
    "viewer_kiosk": _UI,
    "mail_all": "mail is not simulated",
    "mail_configured": "mail is not simulated",
    "public_warning": _UI,
    "logged_in_warning": _UI,
    "logout_url": _UI,
    "metrics_rrd_enabled": "metrics are not simulated",
    "metrics_instrumentation": "metrics are not simulated",
    "customized_landing": _UI,
    "http_warning": _UI,
    "queue_ui": _UI,
    "default_content_list_view": _UI,
    "maximum_app_image_size": _CONTENT,
    "server_settings_toggler": _UI,
    "git_enabled": _CONTENT,
    "git_available": _CONTENT,
    "dashboard_path": _UI,
    "system_display_name": _UI,
    "hide_viewer_documentation": _UI,
    "jump_start_enabled": _UI,
    "permission_request": "access requests are not simulated",
    "tableau_integration_enabled": _CONTENT,
    "self_test_enabled": "the server self-test is not simulated",
    "execution_type": _CONTENT,
    "enable_runtime_constraints": _CONTENT,
    "enable_image_management": _CONTENT,
    "enable_runtime_cache_management": _CONTENT,
    "default_image_selection_enabled": _CONTENT,
    "default_environment_management_selection": _CONTENT,
    "default_r_environment_management": _CONTENT,
    "default_py_environment_management": _CONTENT,
    "new_parameterization_enabled": _CONTENT,
    "use_window_location": _UI,
}


def test_server_settings_of_a_password_server(sim):
    expected = fixture("server-settings-password-2023.11.json")["answer"]
    answer = sim.get("/server_settings")
    # Every key of the real answer is sent, or listed above with its reason; the simulator adds none.
    assert sorted(set(expected) - set(answer)) == sorted(SETTINGS_NOT_SIMULATED)
    assert sorted(set(answer) - set(expected)) == []
    # What is sent has the real answer's shape, the authentication block key for key.
    simulated = dict((key, value) for key, value in expected.items() if key not in SETTINGS_NOT_SIMULATED)
    assert_same_shape(simulated, answer)
    assert answer["authentication"] == expected["authentication"]
    assert answer["prohibited_usernames"] == expected["prohibited_usernames"]


def test_new_fields(sims):
    sim = sims("v2026")
    ids = sim.seed(users=[{"username": "mira"}], groups=[{"name": "Data Science"}])
    expected = fixture("new-fields-2026.01.json")["answer"]
    assert_same_shape(expected["user"], sim.get(f"/v1/users/{ids['users']['mira']}"))
    assert_same_shape(expected["group"], sim.get(f"/v1/groups/{ids['groups']['Data Science']}"))


def test_content_item(sim):
    guid = seeded(sim, "content-item.json")["content"][0]["guid"]
    expected = fixture("content-item.json")["answer"]
    answer = sim.get(f"/v1/content/{guid}")
    assert_same_shape(expected, answer)
    assert list(answer) == list(expected)  # the same keys in the same order
    assert answer["app_role"] == "viewer"  # logged_in: an administrator without a relation may view


def test_content_permissions(sim):
    guid = seeded(sim, "content-permissions.json")["content"][0]["guid"]
    expected = fixture("content-permissions.json")["answer"]
    answer = sim.permissions(guid)
    assert_same_shape(expected, answer)
    assert [(p["principal_type"], p["role"]) for p in answer] == [(p["principal_type"], p["role"]) for p in expected]


def test_shape_differences_finds_differences():
    assert shape_differences({"a": 1, "b": None}, {"a": 2, "b": "x"}) == []
    assert shape_differences({"a": 1}, {"a": 1, "c": 2}) == ["answer: keys ['c'] are in only one of them"]
    assert shape_differences({"r": [{"a": "x"}]}, {"r": [{"a": 1}]}) == ["answer.r[].a: str in the fixture, int in the simulator"]
