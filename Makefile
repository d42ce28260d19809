# Build and test entry points of the posit.connect collection.
#   make check  before a commit: sanity, units and one integration target (TARGET=...)
#   make test   everything CI runs (.ci/run), before a push
#   make docs   the HTML documentation in build/docs/html/
#   make demo   run examples/demo.yml twice against a simulator
#   make release-notes VERSION=X.Y.Z   cut a release's changelog
# Only python3.11 and the package index are needed; `make venv` installs the rest.

SHELL := /bin/bash
.DEFAULT_GOAL := test

PYTHON ?= python3.11
ANSIBLE_PYTHON ?= 3.11
# CORE=X.Y (make test-matrix) gives .venv-X.Y with ansible-core X.Y instead of
# requirements-dev.txt's pin; the default is .venv.
CORE ?=
VENV := $(CURDIR)/.venv$(if $(CORE),-$(CORE))
PY := $(VENV)/bin/python
# Tools installed in the venv (ansible-test, ansible-playbook, connect-sim) come first.
export PATH := $(VENV)/bin:$(PATH)

# The venv is rebuilt when any requirement file changes (the stamp name is their hash).
SIM_PROJECT := $(wildcard tests/simulator/pyproject.toml tests/simulator/setup.py tests/simulator/setup.cfg)
REQ_FILES := requirements.txt tests/utils/requirements-dev.txt $(SIM_PROJECT) \
	$(wildcard tests/unit/requirements.txt tests/integration/requirements.txt)
VENV_STAMP := $(VENV)/.stamp-$(shell cat $(REQ_FILES) | sha256sum | cut -c1-12)

# ansible-test needs the collection at ansible_collections/posit/connect/: we test a copy.
COLLECTION := $(CURDIR)/build/ansible_collections/posit/connect
SYNC := $(PY) tests/utils/sync-collection.py $(COLLECTION)
SIMS := $(PY) tests/utils/sims.py
# The copy lies inside this git work tree, in the ignored build/; left alone,
# ansible-test would find our .git above it and see no files. Pinning the
# content root makes it list the copy's files directly.
ANSIBLE_TEST := cd $(COLLECTION) && ANSIBLE_TEST_CONTENT_ROOT=$(COLLECTION) ansible-test
# --venv: ansible-test makes its own venvs (needs the get-pip stand-in, see
# tests/utils/install-get-pip-standin) so results don't depend on .venv's extras.
ANSIBLE_TEST_OPTS := --venv --python $(ANSIBLE_PYTHON) --color no

.PHONY: venv collection sim-test sanity units integration test demo bench bench-smoke build changelog-lint clean \
	ecosystem-venv ecosystem lint galaxy test-matrix reliability reliability-quick test-live live-sim \
	run-side-by-side docs-venv docs-collection docs-lint docs release-notes check check-sanity integration-target \
	integration-first integration-second

DEV_REQUIREMENTS := $(if $(CORE),-r requirements.txt 'ansible-core==$(CORE).*' \
	-r <(sed -e '/^ansible-core/d' -e '/^-r /d' tests/utils/requirements-dev.txt),-r tests/utils/requirements-dev.txt)

venv: $(VENV_STAMP)

$(VENV_STAMP): $(REQ_FILES)
	@echo "== make venv: installing into $(VENV)"
	rm -f $(VENV)/.stamp-*
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $(DEV_REQUIREMENTS) \
		$(if $(wildcard tests/unit/requirements.txt),-r tests/unit/requirements.txt) \
		$(if $(wildcard tests/integration/requirements.txt),-r tests/integration/requirements.txt) \
		$(if $(SIM_PROJECT),-e tests/simulator)
	touch $@

# Refresh the copy ansible-test works on, and the offline pip bootstrap it needs. Steps run
# side by side get COLLECTION_READY=1: the copy was refreshed just before, and a second
# refresh while a step runs would remove the files that step's tools leave in it.
collection: venv
	@if [ -z "$(COLLECTION_READY)" ]; then $(SYNC) && $(PY) tests/utils/install-get-pip-standin $(PY); fi

sim-test: venv
	$(PY) -m pytest tests/simulator/tests -q

sanity: collection
	$(ANSIBLE_TEST) sanity $(ANSIBLE_TEST_OPTS)

units: collection
	@if [ -z "$$(find tests/unit -name 'test_*.py' 2>/dev/null)" ]; then \
		echo "== make units: no tests/unit/**/test_*.py yet, nothing to run"; exit 0; fi; \
	$(ANSIBLE_TEST) units $(ANSIBLE_TEST_OPTS) --requirements

# The targets start the simulators they need themselves (setup_connect_sim), and these
# stop when each target's playbook ends, so this is plain ansible-test.
# The matrix legs (CORE=X.Y) run the targets whose modules lean most on ansible-core itself:
# the action plugin (src, found as copy finds it), module_defaults groups, check mode and diff,
# no_log masking and argument validation of single, bulk and info modules. The others test
# Connect's behaviour through the same code and run once, in make test, to keep CI within its time.
MATRIX_TARGETS := connect_user connect_users connect_group_info
integration: collection
	$(ANSIBLE_TEST) integration $(ANSIBLE_TEST_OPTS) --requirements $(if $(CORE),$(MATRIX_TARGETS))

# make test runs the targets in two halves side by side, each ansible-test on its own copy of the
# collection (it keeps its state in tests/output/ of the copy): INTEGRATION_SECOND on build/second/,
# the others on build/'s. The halves take about as long as each other.
INTEGRATION_SECOND := connect_content_access connect_content_info connect_offboarding connect_collisions \
	connect_configured connect_test_gaps
SECOND_COLLECTION := $(CURDIR)/build/second/ansible_collections/posit/connect
integration-first: collection
	$(ANSIBLE_TEST) integration $(ANSIBLE_TEST_OPTS) --requirements $(addprefix --exclude ,$(INTEGRATION_SECOND))
integration-second: venv
	@$(PY) tests/utils/sync-collection.py $(SECOND_COLLECTION) >/dev/null
	$(MAKE) --no-print-directory COLLECTION=$(SECOND_COLLECTION) COLLECTION_READY=1 integration-target \
		TARGET="$(INTEGRATION_SECOND)"

# Reliability and security suites (tests/reliability, docs/reliability.md) against private
# simulators, with the build/ copy of the collection: reduced size in `make test`, full size here.
RELIABILITY := ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/build $(PY) -m pytest tests/reliability -q -p no:cacheprovider
reliability-quick: collection
	RELIABILITY_SCALE=quick $(RELIABILITY)
reliability: collection
	RELIABILITY_SCALE=full $(RELIABILITY)

# The contract suite (tests/live, docs/testing-against-connect.md) against a real Connect:
#   CONNECT_SERVER=https://... CONNECT_API_KEY=... CONNECT_LIVE_CONFIRM=yes-this-is-a-test-server make test-live
# It refuses to run without that confirmation. live-sim runs it against the newest simulator,
# through the API alone, as if that were a real server.
LIVE_CONFIRM := yes-this-is-a-test-server
test-live: collection
	@if [ "$$CONNECT_LIVE_CONFIRM" != "$(LIVE_CONFIRM)" ]; then \
		echo "== make test-live: refusing: it changes users and groups on CONNECT_SERVER; set CONNECT_LIVE_CONFIRM=$(LIVE_CONFIRM) for a test server"; \
		exit 2; fi
	ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/build ansible-playbook tests/live/contract.yml

live-sim: collection
	@state=$$(mktemp -d); trap '$(SIMS) stop --state-dir "$$state"; rm -rf "$$state"' EXIT; trap 'exit 130' INT TERM; \
	$(SIMS) start --state-dir "$$state" --print-vars v2026 >/dev/null && \
	eval "$$($(SIMS) env --state-dir "$$state" v2026)" && \
	CONNECT_LIVE_CONFIRM=$(LIVE_CONFIRM) $(MAKE) --no-print-directory test-live

# Each step stops the run when it fails; the last line says how it went. A step written
# LANE+LANE runs its lanes side by side, and a lane's steps (joined by ",") one after the
# other: the integration targets, in two halves, keep the CPUs busy for most of the run, while
# the third lane (the reliability suites, which mostly wait on misbehaving servers, then the
# checks that do not touch the collection copy) fills the gaps. No two lanes share a simulator, a port, a
# venv or a file; each step's output is kept apart and shown, in order, when all have ended.
TEST_STEPS := sim-test sanity units collection \
	integration-first+integration-second+reliability-quick,live-sim,galaxy,lint,ecosystem,bench-smoke,docs-lint,changelog-lint,docs
test: venv
	@start=$$(date +%s); done_steps=""; \
	for step in $(TEST_STEPS); do \
		t0=$$(date +%s); echo "== make $$step"; \
		if ! $(MAKE) --no-print-directory run-side-by-side LANES="$${step//+/ }"; then \
			echo "== make test: FAILED in '$$step' after $$(( $$(date +%s) - t0 ))s (passed:$${done_steps:- none})"; \
			exit 1; \
		fi; \
		done_steps="$$done_steps $$step $$(( $$(date +%s) - t0 ))s"; \
	done; \
	echo "== make test: PASSED -$$done_steps (total $$(( $$(date +%s) - start ))s)"

# The inner loop, before a commit (about 2 minutes on 2 cores): the whole sanity suite side by
# side with the unit tests and then one integration target, TARGET (make check TARGET=connect_user;
# several may be given, space-separated). Sanity works on a second copy of the collection,
# build/check/, so that the two ansible-test runs share no tests/output/. `make test` (CI) runs
# everything, before a push.
TARGET ?= connect_user_info
CHECK_COLLECTION := $(CURDIR)/build/check/ansible_collections/posit/connect
check: venv
	@for target in $(TARGET); do [ -d tests/integration/targets/$$target ] || { \
		echo "== make check: no integration target '$$target'; TARGET= one of: $$(ls tests/integration/targets | grep -v '^setup_' | tr '\n' ' ')"; exit 2; }; done; \
	start=$$(date +%s); \
	$(MAKE) --no-print-directory collection && $(SYNC_CHECK) >/dev/null && \
	$(MAKE) --no-print-directory run-side-by-side LANES="check-sanity units,integration-target" \
		&& echo "== make check: PASSED in $$(( $$(date +%s) - start ))s (integration target: $(TARGET))" \
		|| { echo "== make check: FAILED after $$(( $$(date +%s) - start ))s"; exit 1; }

SYNC_CHECK = $(PY) tests/utils/sync-collection.py $(CHECK_COLLECTION)
check-sanity: venv
	$(MAKE) --no-print-directory COLLECTION=$(CHECK_COLLECTION) COLLECTION_READY=1 sanity

# The integration target(s) of make check.
integration-target: collection
	$(ANSIBLE_TEST) integration $(ANSIBLE_TEST_OPTS) --requirements $(TARGET)

# Runs LANES (space-separated; each a comma-separated list of make targets run in turn, stopping
# at the first that fails): one lane of one step in the foreground, more side by side with COLLECTION_READY=1
# (the copy is not refreshed under a running step), each step's output printed afterwards with its time.
run-side-by-side:
	@set -- $(LANES); \
	if [ $$# -eq 1 ] && [ "$${1//,/}" = "$$1" ]; then exec $(MAKE) --no-print-directory $$1; fi; \
	logs=$$(mktemp -d); trap 'rm -rf "$$logs"' EXIT; pids=""; \
	for lane in "$$@"; do \
		( for step in $${lane//,/ }; do \
			t0=$$(date +%s); $(MAKE) --no-print-directory COLLECTION_READY=1 $$step > "$$logs/$$step" 2>&1; rc=$$?; \
			echo "$$rc $$(( $$(date +%s) - t0 ))" > "$$logs/$$step.rc"; [ "$$rc" = 0 ] || break; \
		  done ) & pids="$$pids $$!"; \
	done; \
	wait $$pids; failed=""; \
	for step in $${*//,/ }; do \
		if [ ! -f "$$logs/$$step.rc" ]; then echo "== make $$step: not run (an earlier step of its lane failed)"; continue; fi; \
		read -r rc seconds < "$$logs/$$step.rc"; \
		echo "== make $$step (side by side): exit $$rc after $${seconds}s"; cat "$$logs/$$step"; \
		[ "$$rc" = 0 ] || failed="$$failed $$step"; \
	done; \
	if [ -n "$$failed" ]; then echo "== failed side by side:$$failed"; exit 1; fi

# Runs the example playbook twice (the second run should report no changes)
# against one simulator, with the collection taken from the build/ copy.
demo: collection
	@trap '$(SIMS) stop' EXIT; trap 'exit 130' INT TERM; \
	$(SIMS) start password && \
	eval "$$($(SIMS) env password)" && \
	export ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/build && \
	ansible-playbook examples/demo-seed.yml && \
	echo "== make demo: first run: create and update users, offboard a leaver (his content and group go to ana, then he is locked), add users to a group, audit an exclusive membership, reconcile two groups as code" && \
	ansible-playbook examples/demo.yml && \
	echo "== make demo: second run: nothing is out of date any more, so nothing changes (changed=0)" && \
	ansible-playbook examples/demo.yml

# The benchmark (docs/performance.md; ~15 minutes) and its smoke run (tiny sizes,
# checks only that it runs and makes the right number of API calls).
bench: venv
	$(PY) -m pip install --quiet -r tests/bench/requirements.txt
	$(PY) tests/bench/run.py

bench-smoke: venv
	$(PY) tests/bench/run.py --quick

# The collection tarball, from the copy so that untracked junk stays out. Needs only
# $(PYTHON), git and ansible-galaxy (the venv's when there is one, else any on PATH),
# not the development venv.
build:
	@command -v ansible-galaxy >/dev/null || { echo "== make build: needs ansible-galaxy (pip install ansible-core)"; exit 1; }
	@[ -n "$(COLLECTION_READY)" ] || $(PYTHON) tests/utils/sync-collection.py $(COLLECTION)
	cd $(COLLECTION) && ansible-galaxy collection build --force --output-path $(CURDIR)/build

# The fragments (changelogs/fragments/*.yml) and changelogs/changelog.yaml, with antsibull-changelog
# of .venv-docs (pinned): what `make release-notes` and Galaxy's importer will read.
changelog-lint: docs-venv
	$(DOCS_VENV)/bin/antsibull-changelog lint
	$(DOCS_VENV)/bin/antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml

# Cuts a release: the fragments become VERSION's entry in changelogs/changelog.yaml and
# CHANGELOG.rst, and are removed. VERSION must be galaxy.yml's version; every version_added
# must already name a release (make docs-lint). Commit the result; nothing is pushed or tagged.
#   make release-notes VERSION=1.0.0
release-notes:
	@if [ -z "$(VERSION)" ]; then echo "== make release-notes: usage: make release-notes VERSION=X.Y.Z"; exit 2; fi
	@if [ "$(VERSION)" != "$(COLLECTION_VERSION)" ]; then \
		echo "== make release-notes: VERSION=$(VERSION) but galaxy.yml says $(COLLECTION_VERSION): set galaxy.yml's version first"; exit 2; fi
	@if grep -q "^  '\?$(VERSION)'\?:" changelogs/changelog.yaml; then \
		echo "== make release-notes: $(VERSION) is already released in changelogs/changelog.yaml"; exit 2; fi
	@$(MAKE) --no-print-directory docs-lint changelog-lint
	$(DOCS_VENV)/bin/antsibull-changelog release --version $(VERSION)
	@echo "== make release-notes: $(VERSION) written to changelogs/changelog.yaml and CHANGELOG.rst; review and commit them (git add -A changelogs CHANGELOG.rst)"

clean:
	-$(SIMS) stop
	rm -rf build .sim tests/integration/integration_config.yml

# --- Ecosystem: AWX (ansible-runner), execution environments, Galaxy, ansible-lint ---
# Their tools live in .venv-ecosystem: galaxy-importer pins its own ansible-lint & co.
ECO_VENV := $(CURDIR)/.venv-ecosystem
ECO_PY := $(ECO_VENV)/bin/python
ECO_REQ := tests/utils/requirements-ecosystem.txt requirements.txt $(SIM_PROJECT)
ECO_STAMP := $(ECO_VENV)/.stamp-$(shell cat $(ECO_REQ) | sha256sum | cut -c1-12)
ECO_ENV := PATH=$(ECO_VENV)/bin:$$PATH
COLLECTION_VERSION := $(shell sed -n 's/^version: *//p' galaxy.yml)

ecosystem-venv: $(ECO_STAMP)

$(ECO_STAMP): $(ECO_REQ)
	@echo "== make ecosystem-venv: installing into $(ECO_VENV)"
	rm -f $(ECO_VENV)/.stamp-*
	test -x $(ECO_PY) || $(PYTHON) -m venv $(ECO_VENV)
	$(ECO_PY) -m pip install --quiet --upgrade pip
	$(ECO_PY) -m pip install --quiet -r tests/utils/requirements-ecosystem.txt $(if $(SIM_PROJECT),-e tests/simulator)
	touch $@

# The AWX recipe (docs/awx.md) through ansible-runner against a TLS simulator,
# and an execution environment's build context made by ansible-builder.
ecosystem: ecosystem-venv
	$(ECO_ENV) $(ECO_PY) -m pytest tests/ecosystem -q -p no:cacheprovider

# ansible-lint, production profile (.ansible-lint), with the collection from build/.
lint: ecosystem-venv collection
	$(ECO_ENV) ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/build ansible-lint --nocolor

# Galaxy's import checks of the built tarball (tests/utils/galaxy-importer.cfg: no
# container); any warning it would show on Galaxy fails the step too. Then
# tests/utils/check_tarball.py lists the tarball, fails on a file that should not ship (tests,
# build output, caches, venvs, Makefile...) or a size over 400 KiB, installs it into an empty
# path and runs modules from there against a simulator.
galaxy: build ecosystem-venv
	@log=$$(mktemp); trap 'rm -f "$$log"' EXIT; \
	(cd build && $(ECO_ENV) GALAXY_IMPORTER_CONFIG=$(CURDIR)/tests/utils/galaxy-importer.cfg \
		$(ECO_PY) -m galaxy_importer.main posit-connect-$(COLLECTION_VERSION).tar.gz) 2>&1 | tee "$$log" | grep -v '^Loading '; \
	status=$${PIPESTATUS[0]}; \
	if [ "$$status" != 0 ] || grep -qE '^(WARNING|ERROR)' "$$log"; then echo "== make galaxy: galaxy-importer reported problems"; exit 1; fi; \
	$(ECO_ENV) $(ECO_PY) tests/utils/check_tarball.py --install build/posit-connect-$(COLLECTION_VERSION).tar.gz

# --- Version matrix: the oldest and newest supported ansible-core, each in its
# own venv (.venv-X.Y) with a Python it supports (ansible-core 2.20+ need 3.12+).
# A leg whose Python is missing is skipped and named; it does not fail the run.
#   CORE:pythons to try:steps
MATRIX := 2.21:3.13,3.12:sanity,units,integration 2.16:3.11,3.12,3.10:sanity,units,integration
test-matrix:
	@start=$$(date +%s); ran=""; skipped=""; failed=""; \
	for leg in $(MATRIX); do \
		core=$${leg%%:*}; rest=$${leg#*:}; pythons=$${rest%%:*}; steps=$${rest#*:}; \
		if ! python=$$(tests/utils/find-python $${pythons//,/ }); then \
			echo "== make test-matrix: SKIPPING ansible-core $$core: no Python $${pythons//,/ or } found"; \
			skipped="$$skipped $$core"; continue; fi; \
		pyver=$$($$python -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
		for step in venv $${steps//,/ }; do \
			t0=$$(date +%s); echo "== make test-matrix: ansible-core $$core, Python $$pyver: $$step"; \
			if $(MAKE) --no-print-directory CORE=$$core PYTHON=$$python ANSIBLE_PYTHON=$$pyver $$step; then \
				ran="$$ran $$core/$$step $$(( $$(date +%s) - t0 ))s"; \
			else \
				failed="$$failed $$core/$$step"; ran="$$ran $$core/$$step FAILED $$(( $$(date +%s) - t0 ))s"; \
				[ "$$step" = venv ] && break; \
			fi; \
		done; \
	done; \
	echo "== make test-matrix: ran:$${ran:- nothing}; skipped cores:$${skipped:- none} (total $$(( $$(date +%s) - start ))s)"; \
	if [ -n "$$failed" ]; then echo "== make test-matrix: FAILED:$$failed"; exit 1; fi

# --- Documentation: antsibull-docs' lint, the HTML site (Sphinx), the changelog ---
# Their tools live in .venv-docs (tests/utils/requirements-docs.txt, exact pins: the site is
# built with -W). They work on their own copy of the collection, build/docs-collections/,
# not on ansible-test's, which steps running side by side write into.
DOCS_VENV := $(CURDIR)/.venv-docs
DOCS_PY := $(DOCS_VENV)/bin/python
DOCS_REQ := tests/utils/requirements-docs.txt
DOCS_STAMP := $(DOCS_VENV)/.stamp-$(shell cat $(DOCS_REQ) | sha256sum | cut -c1-12)
DOCS_COLLECTIONS := $(CURDIR)/build/docs-collections
DOCS_COLLECTION := $(DOCS_COLLECTIONS)/ansible_collections/posit/connect
# antsibull-docs and antsibull-changelog copy or list a collection inside a git work tree with
# git; the copy sits in our ignored build/, so git's search must stop at its door. No other
# collections than ours (and ansible.builtin) are seen.
DOCS_ENV := PATH=$(DOCS_VENV)/bin:$$PATH GIT_CEILING_DIRECTORIES=$(DOCS_COLLECTIONS) \
	ANSIBLE_COLLECTIONS_PATH=$(DOCS_COLLECTIONS) ANSIBLE_NOCOLOR=1

docs-venv: $(DOCS_STAMP)

$(DOCS_STAMP): $(DOCS_REQ)
	@echo "== make docs-venv: installing into $(DOCS_VENV)"
	rm -f $(DOCS_VENV)/.stamp-*
	test -x $(DOCS_PY) || $(PYTHON) -m venv $(DOCS_VENV)
	$(DOCS_PY) -m pip install --quiet --upgrade pip
	$(DOCS_PY) -m pip install --quiet -r $(DOCS_REQ)
	touch $@

docs-collection: docs-venv
	@$(DOCS_PY) tests/utils/sync-collection.py $(DOCS_COLLECTION)

# The modules' documentation as the Ansible docs pipeline reads it: schema, markup (O(), M(),
# RV()...), references to options, return values and plugins of this and other collections.
# Findings name the file in the checkout (antsibull-docs reports its own temporary copy).
# Then every version_added must be a release of changelogs/changelog.yaml or galaxy.yml's coming one.
docs-lint: docs-collection
	@cd $(DOCS_COLLECTION) && $(DOCS_ENV) antsibull-docs lint-collection-docs --plugin-docs \
		--validate-collection-refs all --disallow-unknown-collection-refs . 2>&1 \
		| sed -E 's#^.*/antsibull-docs-[^/]*/ansible_collections/posit/connect/##'; \
	status=$${PIPESTATUS[0]}; [ "$$status" = 0 ] || { echo "== make docs-lint: antsibull-docs found problems (exit $$status)"; exit 1; }; \
	echo "== make docs-lint: antsibull-docs lint-collection-docs: no findings"
	@$(DOCS_ENV) $(DOCS_PY) tests/utils/check_version_added.py

# The HTML documentation in build/docs/html/ (open build/docs/html/index.html): every module's
# page (antsibull-docs), README and the guides of docs/ (myst-parser), and the changelog (a
# preview of the coming release until it is cut); Sphinx with -W: a warning fails the build.
docs: docs-collection
	@$(DOCS_ENV) $(DOCS_PY) tests/utils/build_docs.py $(DOCS_COLLECTION) $(CURDIR)/build/docs
