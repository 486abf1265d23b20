# The two commands of the README: `make demo` and `make test`. Everything else here serves them.
SHELL := /bin/bash
CLI := node bin/metal3-provider.js
REPORTS := test-results
TIERS := unit integration e2e security chaos

.PHONY: demo test deps tools test-tools system-packages lint typecheck $(addprefix test-,$(TIERS))

demo: deps tools
	$(CLI) demo

# `make test` must leave the tree as it found it. What `git status` lists is taken when make reads this
# file, before any step (npm install included) runs, kept inside .git (outside the tree) and compared at
# the end of the run. Outside a git checkout there is nothing to compare.
ifneq ($(filter test,$(MAKECMDGOALS)),)
TREE_BEFORE := $(shell f=$$(git rev-parse --git-path make-test-status 2>/dev/null) && git status --porcelain --untracked-files=all >"$$f" && echo "$$f")
endif

test: deps system-packages tools test-tools lint typecheck
	@rm -rf $(REPORTS); mkdir -p $(REPORTS); status=0; \
	for tier in $(TIERS); do \
	  npx vitest run --project $$tier --reporter=default --reporter=json --outputFile=$(REPORTS)/$$tier.json || status=1; \
	done; \
	node scripts/summarize-tests.mjs $(addprefix $(REPORTS)/,$(addsuffix .json,$(TIERS))) || status=1; \
	if [ -n "$(TREE_BEFORE)" ] && \
	  ! git status --porcelain --untracked-files=all | diff -u --label before --label after "$(TREE_BEFORE)" -; then \
	  echo "make test changed the tree (above: git status before and after; commit, ignore or stop writing these files)"; \
	  status=1; \
	fi; \
	exit $$status

$(addprefix test-,$(TIERS)): test-%: deps tools test-tools
	npx vitest run --project $*

deps: node_modules/.package-lock.json

# The lock file pins every version. `npm ci` would refuse it where the registry serves only some
# platforms' optional binaries (it wants an entry for each); `npm install` honours the same lock.
node_modules/.package-lock.json: package-lock.json
	npm install --no-audit --no-fund

system-packages:
	bash scripts/install-system-packages.sh

tools: deps
	$(CLI) devstack tools

# The Temporal server and its schema tool, for the tests of `devstack up --temporal=postgres`.
test-tools: deps
	$(CLI) devstack tools temporal-server temporal-sql-tool

lint: deps
	npx eslint .
	npx prettier --check .

typecheck: deps
	npx tsc -p tsconfig.json --noEmit
