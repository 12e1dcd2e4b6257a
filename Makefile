# Two commands a newcomer needs: `make book` and `make test`.
# Both create .venv with python3 when it is missing and install what they need into it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: browser book test unit doctest notebooks reproducible lint book-strict site-check lab \
	lab-check benchmark clean student classroom

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever the package's declared dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[book,test]"
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "The site is at $(CURDIR)/_build/html/index.html"

test: $(STAMP) browser
	$(MAKE) --no-print-directory unit doctest notebooks lint book-strict site-check lab-check \
	  classroom reproducible

# The browser tests drive Debian's Chromium. Install it when missing (CI runs as root);
# without root the tests that need it fail and say why.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "chromium is missing: run 'sudo apt-get install chromium' (the browser tests need it)"; \
	  fi; }

unit: $(STAMP)
	$(BIN)/python -m pytest tests --ignore=tests/notebooks --ignore=tests/classroom -m "not reproducibility"

# The classroom kit: student edition, otter-grader assign/check/run, the Broockman assignment,
# and otter assign on every chapter with a checks file (book/checks/), two chapters at a time.
classroom: $(STAMP)
	$(BIN)/python -m pytest tests/classroom -p no:cacheprovider

# The student edition: notebooks without solutions, a zip for a learning-management system,
# and the student website.
student: $(STAMP)
	$(BIN)/consentlib student _build/student --html _build/student-html

doctest: $(STAMP)
	$(BIN)/python -m pytest --doctest-modules consentlib -p no:cacheprovider

notebooks: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax book -p no:cacheprovider

# Every notebook executed twice: identical results, and no cell slower than 20 s (each
# notebook's times in benchmarks/results/notebook-timings.json).
reproducible: $(STAMP)
	$(BIN)/python -m pytest tests/repository/test_notebooks_reproducible.py -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check consentlib tests benchmarks book
	$(BIN)/ruff format --check consentlib tests benchmarks book

book-strict: $(STAMP)
	rm -rf _build
	$(BIN)/jupyter-book build . -W -n --keep-going

# Checks on the site just built by book-strict, as a reader meets it.
site-check: $(STAMP)
	CONSENTLIB_SITE_DIR=$(CURDIR)/_build/html $(BIN)/python -m pytest tests/site -p no:cacheprovider

# JupyterLab with jupyterlab-myst (a dependency of the book extras), which renders the notebooks'
# MyST: admonitions, exercises with collapsed solutions, figures, math and computed numbers.
lab: $(STAMP)
	$(BIN)/jupyter lab book

# Every notebook opened in JupyterLab in Chromium, run, and read as a student reads it;
# screenshots in _build/notebook-shots/.
lab-check: $(STAMP) browser
	$(BIN)/python -m pytest tests/notebooks -p no:cacheprovider

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_randomization_inference.py

clean:
	rm -rf _build .pytest_cache .ruff_cache
