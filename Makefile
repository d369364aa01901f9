# Two commands: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/lock.txt pyproject.toml | sha256sum | cut -c1-16)
PG_URL ?= postgres://postgres@127.0.0.1:5432/sanxiang

.PHONY: demo test setup lint typecheck migrations-check test-sqlite test-postgres browser-deps serve-demo

$(STAMP): requirements/lock.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	DEBUG=1 $(BIN)/sanxiang migrate --no-input
	DEBUG=1 $(BIN)/sanxiang demo
	DEBUG=1 $(BIN)/sanxiang runserver 127.0.0.1:8000

# Browser tests drive Debian's Chromium; install it when it is missing (CI runs as root).
browser-deps:
	@{ command -v chromium >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; } || { \
	  echo "安装浏览器测试所需的 chromium ..."; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
	  || { echo "无法安装 chromium 与中文字体：浏览器测试需要 /usr/bin/chromium"; exit 1; }; }

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: setup
	$(BIN)/mypy src

migrations-check: setup
	env -u DATABASE_URL $(BIN)/sanxiang makemigrations --check --dry-run

test-sqlite: setup browser-deps
	env -u DATABASE_URL $(BIN)/pytest -q

# Runs only when DATABASE_URL names a PostgreSQL database; .ci/run always sets it.
test-postgres: setup browser-deps
	@case "$$DATABASE_URL" in \
	  postgres*) echo "== PostgreSQL: $$DATABASE_URL"; $(BIN)/pytest -q ;; \
	  *) echo "DATABASE_URL 未指向 PostgreSQL：仅在 SQLite 上运行测试。" ;; \
	esac

test: lint typecheck migrations-check test-sqlite test-postgres
