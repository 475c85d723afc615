# Developer entry points. Both commands bootstrap uv if needed, then sync the locked env.
SHELL := /bin/bash

# pip --user puts uv in the user base (~/.local/bin on Linux); make it visible to every recipe.
USER_BIN := $(shell python3 -m site --user-base 2>/dev/null)/bin
SHELL_PATH := $(PATH)
export PATH := $(USER_BIN):$(HOME)/.local/bin:$(PATH)

.PHONY: dev test unit lint sync sync-all uv

dev: sync
	uv run --no-sync mentorship dev

# Everything CI runs (.ci/run): the lint, then the whole suite; fails if either fails.
test: sync-all
	@status=0; \
	$(MAKE) --no-print-directory lint || status=$$?; \
	uv run --no-sync pytest || status=$$?; \
	exit $$status

# The fast tier: every service's tests/unit and the kernel tests that need no server (no NATS,
# no PostgreSQL; shared.testing.unit_only drops the tests whose fixtures reach them). Two
# kernel tests stay for `make test`: test_embedded starts the servers itself, test_imports
# imports every module first in a fresh interpreter (15 s).
unit: sync-all
	uv run --no-sync pytest -p shared.testing.unit_only -q shared/tests services/*/tests/unit \
		--ignore=shared/tests/test_embedded.py --ignore=shared/tests/test_imports.py

# The scale-out fault tests alone (decision 0034; `make test` runs them too): two processes of
# every service on a three-node NATS cluster, the journey walked while a node, then one replica
# of each service, is SIGKILLed and a node paused; then every effect once (~2 min).
.PHONY: test-cluster
test-cluster: sync-all
	uv run --no-sync pytest -q -s \
		shared/tests/test_nats_cluster.py tests/test_scale_out.py

# The shape, mechanically: lint, format, strict types, layer contracts (docs/architecture.md),
# and the shape checks a tool cannot do alone: the kernel skeleton in every main.py, route and
# fake module names, the decision template, the architecture doc against the event catalog.
lint: sync-all
	uv run --no-sync ruff check .
	uv run --no-sync ruff format --check .
	uv run --no-sync mypy
	uv run --no-sync lint-imports
	uv run --no-sync pytest -q -p shared.testing.unit_only -p no:cacheprovider \
		shared/tests/test_service_skeleton.py tests/test_decision_notes.py \
		shared/tests/test_architecture_doc.py

# Every benchmark under bench/, one after the other under one lock (others' benchmarks wait),
# at sizes that fit ~10 minutes, then bench/REPORT.md and bench/charts/ (decision 0028).
# make bench BENCH_LABEL="trial run"; outputs in /tmp/bench-run.
.PHONY: bench
BENCH_LABEL ?= run
bench: sync-all
	flock /tmp/bench.lock uv run --no-sync python bench/run_all.py --label "$(BENCH_LABEL)"

# `make dev` installs the `dev` group only (no test tools to fetch; any already there stay);
# `make test` and `make lint` install every group (pyproject.toml, decision 0018).
sync: uv
	uv sync --all-packages --frozen --inexact
	@PATH="$(SHELL_PATH)" command -v uv >/dev/null 2>&1 || echo "note: uv is in $$(dirname $$(command -v uv)), \
	not on your shell's PATH: use the make targets (make token, make health, ...) or run once: \
	eval \"\$$(make -s path)\" (or export PATH=\"$$(dirname $$(command -v uv)):\$$PATH\")" >&2

sync-all: uv
	uv sync --all-packages --frozen --all-groups

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --user --quiet uv 2>/dev/null \
		|| python3 -m pip install --user --quiet --break-system-packages uv 2>/dev/null \
		|| python3 -m pip install --quiet uv
	@command -v uv >/dev/null 2>&1 || { echo "uv is not on PATH after installing it" >&2; exit 1; }

# Follow-up commands, for a second shell while `make dev` runs (they find uv like the above).
.PHONY: token health dlq publish path demo
ROLE ?= student
ID ?= $(ROLE)-1

token: uv  ## a dev JWT: make token ROLE=mentor ID=m1
	@uv run --no-sync mentorship token --user $(ID) --role $(ROLE)

health: uv  ## /readyz of every service
	@uv run --no-sync mentorship health

dlq: uv  ## dead letters of every service
	@uv run --no-sync mentorship dlq list

publish: uv  ## make publish SUBJECT=payment.succeeded DATA='{...}'
	@uv run --no-sync mentorship publish "$$SUBJECT" "$$DATA"  # from the environment: DATA may span lines

demo: uv  ## walk the whole product through the gateway of a running `make dev`
	@uv run --no-sync mentorship demo

path:  ## the line that puts uv on this shell's PATH
	@echo 'export PATH="$(USER_BIN):$$HOME/.local/bin:$$PATH"'
