# Two commands: `make lab` (set up + open the course) and `make test` (set up + whole suite).
# 两个命令：`make lab`（安装并打开课程）与 `make test`（安装并运行全部测试）。
#
# Environment: the active conda env when $CONDA_PREFIX is set (USE_CONDA=no to ignore it),
# else .venv made with pip. 环境：若设置了 $CONDA_PREFIX 则用当前 conda 环境，否则用 pip 建 .venv。
#   make lab [PORT=8888] [NO_BROWSER=1] [LANG_UI=zh|en]   (LANG_UI defaults to zh when LANG=zh_CN*)
#   make test | make test-fast | make bench [BENCH_ARGS=--quick] [BENCH_N=20] | make release | make student-course
#   | make doctor | make clean
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
USE_CONDA ?= $(if $(CONDA_PREFIX),yes,no)
ifeq ($(USE_CONDA),yes)
ENV := $(CONDA_PREFIX)
STAMP := $(ENV)/.course-lib-installed
else
ENV := $(VENV)
STAMP := $(VENV)/.installed
endif
BIN := $(ENV)/bin
JUPYTER_STAMP := $(ENV)/.course-lib-jupyter

PORT ?= 8888
NO_BROWSER ?=
LANG_UI ?= $(if $(filter zh_CN% zh_SG% zh%,$(LANG)),zh,en)
BENCH_ARGS ?=
BENCH_SCRIPT ?= $(firstword $(wildcard benchmarks/run.py) benchmarks/bench.py)

.PHONY: setup lab student-course test test-fast bench release doctor clean

$(STAMP): pyproject.toml
ifeq ($(USE_CONDA),yes)
	@test -x $(BIN)/python || { echo "conda env $(ENV) has no python: conda install python=3.11"; exit 1; }
else
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
endif
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

# nbgrader's server + JupyterLab extensions (pip enables them; this makes sure). 确保 nbgrader 扩展已启用。
$(JUPYTER_STAMP): $(STAMP)
	@for ext in validate_assignment assignment_list course_list formgrader; do \
	  $(BIN)/jupyter server extension enable --sys-prefix nbgrader.server_extensions.$$ext >/dev/null 2>&1 || exit 1; done
	$(BIN)/jupyter labextension enable --level=sys_prefix @jupyter/nbgrader >/dev/null
	@touch $(JUPYTER_STAMP)

# The student course (what students get), rebuilt when a source is newer. 学生课程：源文件更新时重建。
STUDENT_COURSE := $(abspath build/student-course)
COURSE_STAMP := build/.student-course.stamp
COURSE_SOURCES := $(shell find course_lib course_student solutions autograder/student_course autograder/jupyter \
	-type f ! -path '*/__pycache__/*' ! -path '*/.ipynb_checkpoints/*' ! -name '*.pyc' 2>/dev/null) \
	$(wildcard autograder/release.py pyproject.toml environment.yml)
# A failed leak check still opens the preview (its problems are printed; rebuilt next time).
$(COURSE_STAMP): $(COURSE_SOURCES) | $(STAMP)
	@mkdir -p $(dir $(COURSE_STAMP))
	if PATH="$(abspath $(BIN)):$$PATH" $(BIN)/course release --no-lessons --out $(STUDENT_COURSE); \
	then touch $(COURSE_STAMP); else echo "⚠ course release: 见上方问题 / see the problems above"; fi

student-course: $(COURSE_STAMP)

# JupyterLab on the student course (localhost), its student build first on PYTHONPATH: what a student
# sees. A known token and no other port if this one is taken, so the link printed is the one served.
# JupyterLab 打开学生课程（与学生看到的一致）；打印的链接（token、端口）就是实际提供的地址。
lab: $(JUPYTER_STAMP) $(COURSE_STAMP)
	@token=$${JUPYTER_TOKEN:-$$($(BIN)/python -c 'import secrets; print(secrets.token_hex(24))')}; \
	echo "JupyterLab: http://127.0.0.1:$(PORT)/lab?token=$$token  (UI $(LANG_UI); Ctrl-C 停止 / to stop)"; \
	PATH="$(abspath $(BIN)):$$PATH" PYTHONPATH="$(STUDENT_COURSE)$${PYTHONPATH:+:$$PYTHONPATH}" \
	COURSE_LESSONS_DIR="$(STUDENT_COURSE)" COURSE_UI_LANG=$(LANG_UI) JUPYTER_TOKEN=$$token \
	$(BIN)/jupyter lab --config=autograder/jupyter/jupyter_lab_config.py --ServerApp.port_retries=0 \
	   --port=$(PORT) $(if $(NO_BROWSER),--no-browser) $(if $(filter 0,$(shell id -u)),--allow-root)

# PyTorch is the test oracle (CPU build), not a course dependency: `make test` installs it into the
# environment once. PyTorch 是测试用的对照（CPU 版），不是课程依赖：make test 会安装它。
# TORCH_PIP_ARGS: extra pip arguments, e.g. the index of the CPU-only wheels where pip's default
# index serves the CUDA build. 例如指定 CPU 版 wheel 的索引。
TORCH_VERSION ?= 2.13.0
TORCH_PIP_ARGS ?=
TEST_STAMP := $(ENV)/.course-test-torch-$(TORCH_VERSION)
$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q "torch==$(TORCH_VERSION)" $(TORCH_PIP_ARGS)
	@touch $(TEST_STAMP)

# One BLAS thread per pytest worker (2 workers on 2 cores; more threads only contend). 每个测试进程一个 BLAS 线程。
PYTEST := PATH="$(abspath $(BIN)):$$PATH" OPENBLAS_NUM_THREADS=$${OPENBLAS_NUM_THREADS:-1} \
	OMP_NUM_THREADS=$${OMP_NUM_THREADS:-1} $(BIN)/python -m pytest -n 2
test: $(TEST_STAMP)
	$(PYTEST) --durations=25 tests

# Quick loop: everything not marked slow. 快速回路：跳过标记为 slow 的测试。
test-fast: $(TEST_STAMP)
	$(PYTEST) -m "not slow" tests

# Library speed (RESULTS.md), then lesson run times and grading throughput (GRADING.md).
# 先测库的速度，再测每课运行时间与评分吞吐量（--jobs 1 对 2，BENCH_N 份提交）。
BENCH_N ?= 20
bench: $(STAMP)
	$(BIN)/python $(BENCH_SCRIPT) $(BENCH_ARGS)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python benchmarks/grading_bench.py all --n $(BENCH_N)

release: $(STAMP)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/course release

doctor: $(STAMP)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/course doctor

clean:
	rm -rf $(VENV) build *.egg-info
