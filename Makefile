GO ?= go
BENCHOUT ?= results/gobench.txt

.PHONY: build bench quick test gobench fmt compare

## build: with Go 1.26's goroutine-leak profile (GOEXPERIMENT=goroutineleakprofile)
## when the toolchain accepts it, so reports name the goroutines that can never
## wake; otherwise (or if that build fails) a plain build. The first build with
## the experiment recompiles the standard library once.
LEAKEXP := $(shell GOEXPERIMENT=$${GOEXPERIMENT:+$$GOEXPERIMENT,}goroutineleakprofile $(GO) env GOEXPERIMENT 2>/dev/null)
build:
	@if [ -n "$(LEAKEXP)" ] && GOEXPERIMENT=$(LEAKEXP) $(GO) build -buildvcs=auto -o bin/memprism ./cmd/memprism; then \
		echo "bin/memprism: built with GOEXPERIMENT=$(LEAKEXP)"; \
	else \
		echo "bin/memprism: built without the goroutineleak profile"; \
		$(GO) build -buildvcs=auto -o bin/memprism ./cmd/memprism; \
	fi

## bench: the gate: the default suite, each variant many times in fresh
## processes. make succeeds when every claim holds and fails otherwise; make
## itself exits 2 for any failed recipe, so the line below names memprism's
## own code (1 a claim failed or was inconclusive, 2 invalid input, 3 a run
## crashed), which `bin/memprism run` returns directly.
GATE = { rc=$$?; echo "make $@: memprism run exited $$rc (1: a claim failed or was inconclusive, a leak expectation unmet; 2: invalid scenario; 3: a run crashed)" >&2; exit $$rc; }
bench: build
	./bin/memprism run $(ARGS) || $(GATE)

## quick: the gate at the quick size (each scenario's quick: block), for CI smoke tests
quick: build
	./bin/memprism run -quick $(ARGS) || $(GATE)

## compare: run the suite at BASE (a git ref, in a temporary worktree) and here, then compare
compare:
	@test -n "$(BASE)" || { echo "usage: make compare BASE=<git ref> [ARGS='-quick']"; exit 2; }
	./scripts/compare.sh $(BASE) $(ARGS)

## test: vet, then every test with the race detector
test:
	$(GO) vet ./...
	$(GO) test -race -timeout 15m ./...

## gobench: the in-process Go benchmarks, 10 samples each, saved for benchstat
## (benchstat old.txt results/gobench.txt). 100ms a sample keeps the whole set
## under 3 minutes; each root sample is still at least one whole workload
## execution (20k messages), and a pools sample millions of operations.
GOBENCHTIME ?= 100ms
gobench:
	@mkdir -p $(dir $(BENCHOUT))
	$(GO) test -run '^$$' -bench . -benchmem -count 10 -benchtime $(GOBENCHTIME) . ./pools/... ./profiler/... | tee $(BENCHOUT)

fmt:
	gofmt -l -w .
