# Build and test entry points of the posit.connect collection.
#   make test   everything CI runs (.ci/run): sim-test, sanity, units, integration
#   make demo   run examples/demo.yml twice against a simulator
# Only python3.11 and the package index are needed; `make venv` installs the rest.

SHELL := /bin/bash
.DEFAULT_GOAL := test

PYTHON ?= python3.11
ANSIBLE_PYTHON ?= 3.11
VENV := $(CURDIR)/.venv
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

.PHONY: venv collection sim-test sanity units integration test demo bench build changelog-lint clean

venv: $(VENV_STAMP)

$(VENV_STAMP): $(REQ_FILES)
	@echo "== make venv: installing into $(VENV)"
	rm -f $(VENV)/.stamp-*
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r tests/utils/requirements-dev.txt \
		$(if $(wildcard tests/unit/requirements.txt),-r tests/unit/requirements.txt) \
		$(if $(wildcard tests/integration/requirements.txt),-r tests/integration/requirements.txt) \
		$(if $(SIM_PROJECT),-e tests/simulator)
	touch $@

# Refresh the copy ansible-test works on, and the offline pip bootstrap it needs.
collection: venv
	@$(SYNC)
	@$(PY) tests/utils/install-get-pip-standin $(PY)

sim-test: venv
	$(PY) -m pytest tests/simulator/tests -q

sanity: collection
	$(ANSIBLE_TEST) sanity $(ANSIBLE_TEST_OPTS)

units: collection
	@if [ -z "$$(find tests/unit -name 'test_*.py' 2>/dev/null)" ]; then \
		echo "== make units: no tests/unit/**/test_*.py yet, nothing to run"; exit 0; fi; \
	$(ANSIBLE_TEST) units $(ANSIBLE_TEST_OPTS) --requirements

# The simulators are always stopped, also when the tests fail or are interrupted.
integration: collection
	@trap '$(SIMS) stop' EXIT; trap 'exit 130' INT TERM; \
	$(SIMS) start && \
	$(SYNC) tests/integration/integration_config.yml && \
	($(ANSIBLE_TEST) integration $(ANSIBLE_TEST_OPTS) --requirements)

# Each step stops the run when it fails; the last line says how it went.
TEST_STEPS := sim-test sanity units integration
test: venv
	@start=$$(date +%s); done_steps=""; \
	for step in $(TEST_STEPS); do \
		t0=$$(date +%s); echo "== make $$step"; \
		if ! $(MAKE) --no-print-directory $$step; then \
			echo "== make test: FAILED in '$$step' after $$(( $$(date +%s) - t0 ))s (passed:$${done_steps:- none})"; \
			exit 1; \
		fi; \
		done_steps="$$done_steps $$step $$(( $$(date +%s) - t0 ))s"; \
	done; \
	echo "== make test: PASSED -$$done_steps (total $$(( $$(date +%s) - start ))s)"

# Runs the example playbook twice (the second run should report no changes)
# against one simulator, with the collection taken from the build/ copy.
demo: collection
	@trap '$(SIMS) stop' EXIT; trap 'exit 130' INT TERM; \
	$(SIMS) start password && \
	eval "$$($(SIMS) env password)" && \
	export ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/build && \
	ansible-playbook examples/demo.yml && \
	ansible-playbook examples/demo.yml

bench: venv
	@if [ -f tests/bench/run.py ]; then $(PY) tests/bench/run.py; \
	else echo "== make bench: tests/bench/run.py does not exist yet"; fi

# The collection tarball, from the copy so that untracked junk stays out.
build: collection
	cd $(COLLECTION) && ansible-galaxy collection build --force --output-path $(CURDIR)/build

changelog-lint: venv
	$(VENV)/bin/antsibull-changelog lint

clean:
	-$(SIMS) stop
	rm -rf build .sim tests/integration/integration_config.yml
