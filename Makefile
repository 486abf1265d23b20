# The two commands of the README: `make demo` and `make test`. Everything else here serves them.
SHELL := /bin/bash
CLI := node bin/metal3-provider.js
REPORTS := test-results
TIERS := unit integration e2e security chaos

.PHONY: demo test deps tools test-tools system-packages lint typecheck $(addprefix test-,$(TIERS))

demo: deps tools
	$(CLI) demo

test: deps system-packages tools test-tools lint typecheck
	@rm -rf $(REPORTS); mkdir -p $(REPORTS); status=0; \
	for tier in $(TIERS); do \
	  npx vitest run --project $$tier --reporter=default --reporter=json --outputFile=$(REPORTS)/$$tier.json || status=1; \
	done; \
	node scripts/summarize-tests.mjs $(addprefix $(REPORTS)/,$(addsuffix .json,$(TIERS))) || status=1; \
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
