GO ?= go
BENCHOUT ?= results/gobench.txt

.PHONY: build bench quick test gobench vet fmt compare

build:
	$(GO) build -o bin/memprism ./cmd/memprism

## bench: run the default suite (each variant many times, in fresh processes)
bench: build
	./bin/memprism run

## quick: the default suite scaled down (smoke test)
quick: build
	./bin/memprism run -quick

## test: vet, then every test with the race detector
test:
	$(GO) vet ./...
	$(GO) test -race -timeout 15m ./...

## gobench: the in-process Go benchmarks, saved for benchstat
gobench:
	@mkdir -p $(dir $(BENCHOUT))
	$(GO) test -run '^$$' -bench . -benchmem -count 10 . ./pools/... ./profiler/... | tee $(BENCHOUT)

fmt:
	gofmt -l -w .
