# Entry points of the course repository. Every target creates the local virtual
# environment (.venv) from the pinned requirements when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
# nbgrader runs `alembic` as a program: the environment's bin/ must be on PATH.
export PATH := $(BIN):$(PATH)
JOBS ?= auto
GRADE_JOBS ?= $(shell nproc)

.PHONY: help venv demo grade test test-fast validity release normalize bench bench-grading bench-gpu clean

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

demo: venv
	$(BIN)/python -m coursekit demo

# Sandboxed, parallel, resumable grading of a class (see README, "Grading a class").
grade: venv
	@test -n "$(TP)" || (echo "usage: make grade TP=<assignment id> [MOODLE=submissions.zip] [GRADE_JOBS=n] [DASK=tcp://host:8786]"; exit 2)
	$(BIN)/python -m coursekit grade $(TP) --jobs $(GRADE_JOBS) $(if $(MOODLE),--moodle $(MOODLE)) $(if $(DASK),--dask $(DASK))

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

bench-gpu: venv
	$(BIN)/python benchmarks/gpu_speedup.py

clean:
	rm -rf demo_class .pytest_cache
