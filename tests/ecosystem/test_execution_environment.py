"""An execution environment with the collection: ansible-builder writes a build
context (no container engine needed) from docs/awx/execution-environment.yml,
and the steps of its Containerfile that matter here are replayed without one:
the collection is installed from the context, and ansible-builder's own
introspection finds the collection's Python requirement (requests)."""
import os
import subprocess
import sys

import yaml

from conftest import ROOT, tool

AWX = os.path.join(ROOT, "docs", "awx")


def test_collection_declares_requests():
    with open(os.path.join(ROOT, "meta", "execution-environment.yml"), encoding="utf-8") as handle:
        meta = yaml.safe_load(handle)
    python = meta["dependencies"]["python"]
    with open(os.path.join(ROOT, python), encoding="utf-8") as handle:
        assert any(line.startswith("requests") for line in handle)


def test_ansible_builder_context(collection_tarball, tmp_path):
    with open(os.path.join(AWX, "execution-environment.yml"), encoding="utf-8") as handle:
        definition = yaml.safe_load(handle)
    assert definition["version"] == 3 and definition["dependencies"]["galaxy"] == "requirements.yml"
    # Galaxy is out of reach here: the EE takes the collection from the tarball we built.
    definition["additional_build_files"] = [{"src": str(collection_tarball), "dest": "collections"}]
    (tmp_path / "execution-environment.yml").write_text(yaml.safe_dump(definition))
    (tmp_path / "requirements.yml").write_text(yaml.safe_dump({"collections": [
        {"name": "collections/" + collection_tarball.name, "type": "file"}]}))

    subprocess.run([tool("ansible-builder"), "create", "-f", "execution-environment.yml", "-c", "context",
                    "--output-filename", "Containerfile"], cwd=tmp_path, check=True, capture_output=True)

    build = tmp_path / "context" / "_build"
    assert (build / "collections" / collection_tarball.name).is_file()
    containerfile = (tmp_path / "context" / "Containerfile").read_text()
    assert "ansible-galaxy collection install" in containerfile and "-r requirements.yml" in containerfile

    # The galaxy stage (WORKDIR /build): install the collection from the context.
    installed = tmp_path / "usr-share-ansible"
    subprocess.run([tool("ansible-galaxy"), "collection", "install", "-r", "requirements.yml",
                    "--collections-path", str(installed / "collections")],
                   cwd=build, check=True, capture_output=True)
    assert (installed / "collections" / "ansible_collections" / "posit" / "connect" / "meta"
            / "execution-environment.yml").is_file()

    # The builder stage: ansible-builder's introspection collects the Python requirements.
    out = tmp_path / "requirements.txt"
    subprocess.run([sys.executable, str(build / "scripts" / "introspect.py"), "introspect",
                    "--write-pip", str(out), str(installed / "collections")], check=True, capture_output=True)
    lines = out.read_text().splitlines()
    assert any(line.startswith("requests") and "posit.connect" in line for line in lines), lines
