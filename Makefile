# Two commands: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/lock.txt pyproject.toml | sha256sum | cut -c1-16)
PG_URL ?= postgres://postgres@127.0.0.1:5432/sanxiang

.PHONY: demo test setup lint typecheck migrations-check test-sqlite test-postgres test-deps

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

# Browser tests drive Debian's Chromium (with CJK fonts for screenshots); document tests
# rasterise PDFs with poppler. Installed when missing (CI runs as root).
test-deps:
	@{ command -v chromium && command -v pdftoppm && fc-list :lang=zh | grep -q .; } >/dev/null 2>&1 || { \
	  echo "安装测试所需的 chromium、中文字体与 poppler-utils ..."; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	     chromium fonts-noto-cjk poppler-utils >/dev/null) \
	  || { echo "无法安装测试依赖：需要 /usr/bin/chromium 与 pdftoppm"; exit 1; }; }

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: setup
	$(BIN)/mypy src

migrations-check: setup
	env -u DATABASE_URL $(BIN)/sanxiang makemigrations --check --dry-run

test-sqlite: setup test-deps
	env -u DATABASE_URL $(BIN)/pytest -q

# Runs only when DATABASE_URL names a PostgreSQL database; .ci/run always sets it.
test-postgres: setup test-deps
	@case "$$DATABASE_URL" in \
	  postgres*) echo "== PostgreSQL: $$DATABASE_URL"; $(BIN)/pytest -q ;; \
	  *) echo "DATABASE_URL 未指向 PostgreSQL：仅在 SQLite 上运行测试。" ;; \
	esac

test: lint typecheck migrations-check test-sqlite test-postgres
