# Developer entry points. Both commands bootstrap uv if needed, then sync the locked env.
SHELL := /bin/bash

# pip --user puts uv in the user base (~/.local/bin on Linux); make it visible to every recipe.
USER_BIN := $(shell python3 -m site --user-base 2>/dev/null)/bin
export PATH := $(USER_BIN):$(HOME)/.local/bin:$(PATH)

.PHONY: dev test sync uv

dev: sync
	uv run --no-sync mentorship dev

test: sync
	uv run --no-sync pytest

sync: uv
	uv sync --all-packages --frozen

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --user --quiet uv 2>/dev/null \
		|| python3 -m pip install --user --quiet --break-system-packages uv 2>/dev/null \
		|| python3 -m pip install --quiet uv
	@command -v uv >/dev/null 2>&1 || { echo "uv is not on PATH after installing it" >&2; exit 1; }
