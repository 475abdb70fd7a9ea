# Entry points of the course repository. Every target creates the local virtual
# environment (.venv) from the pinned requirements when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
# nbgrader runs `alembic` as a program: the environment's bin/ must be on PATH.
export PATH := $(BIN):$(PATH)
JOBS ?= auto
GRADE_JOBS ?= $(shell nproc)

.PHONY: help venv sandbox demo grade test test-fast validity release normalize bench bench-grading bench-noisy bench-gpu clean

help:
	@echo "make demo       build the release, grade a demo class, print the grade table"
	@echo "make grade TP=<id> [MOODLE=zip] [GRADE_JOBS=n]  grade submitted/<student>/<id>/ here"
	@echo "make test       run every test (notebooks, validity banks, grading end to end)"
	@echo "make test-fast  run the fast unit tests only"
	@echo "make validity [TP=<id>]  per test cell: wrong answers caught, correct answers kept (the banks)"
	@echo "make release    regenerate release/ from source/ (normalises and stamps first)"
	@echo "make bench      time each solution notebook"

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

demo: venv sandbox
	$(BIN)/python -m coursekit demo

# The demo grades in the sandbox, as a real class is graded: bubblewrap comes from the system
# packages where this can install them (as root, with apt-get, as .ci/run does); otherwise the
# command that would is printed, and grading runs with resource limits only.
sandbox:
	@if ! command -v bwrap >/dev/null 2>&1; then \
	  if [ "$$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing bubblewrap, the grading sandbox (apt-get install bubblewrap)"; \
	    { apt-get install -y -qq bubblewrap >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq bubblewrap >/dev/null 2>&1; }; } \
	      || echo "NOTE: apt-get could not install bubblewrap: grading runs with resource limits only"; \
	  else echo "NOTE: no grading sandbox here; install it with 'sudo apt-get install bubblewrap' and grade as root"; fi; \
	elif [ "$$(id -u)" -ne 0 ]; then echo "NOTE: the grading sandbox (bubblewrap) needs root: run 'sudo make demo' to use it"; fi

# Sandboxed, parallel, resumable grading of a class (see README, "Grading a class").
grade: venv
	@test -n "$(TP)" || (echo "usage: make grade TP=<assignment id> [MOODLE=submissions.zip [WORKSHEET=grading_worksheet.csv]] [GRADE_JOBS=n] [DASK=tcp://host:8786]"; exit 2)
	$(BIN)/python -m coursekit grade $(TP) --jobs $(GRADE_JOBS) $(if $(MOODLE),--moodle $(MOODLE)) $(if $(WORKSHEET),--moodle-worksheet $(WORKSHEET)) $(if $(DASK),--dask $(DASK))

# One torch thread per kernel: pytest-xdist already runs one kernel per core, and torch's
# default of one thread per core oversubscribes the CPU (tiny ops then slow down 10-200x).
test: venv
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest -n $(JOBS) --dist loadgroup

test-fast: venv
	$(BIN)/python -m pytest -m "not slow"

# Grading validity in numbers: each bank variant graded as a submission is (see tests/validity_report.py).
validity: venv
	OMP_NUM_THREADS=1 $(BIN)/python -m tests.validity_report $(TP)

release: venv
	$(BIN)/python -m coursekit release

normalize: venv
	$(BIN)/python -m coursekit normalize

bench: venv
	$(BIN)/python benchmarks/notebook_times.py

bench-grading: venv
	$(BIN)/python benchmarks/grading_throughput.py

bench-noisy: venv sandbox
	$(BIN)/python benchmarks/noisy_neighbour.py

bench-gpu: venv
	$(BIN)/python benchmarks/gpu_speedup.py

clean:
	rm -rf demo_class .pytest_cache
