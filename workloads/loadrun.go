package workloads

import (
	"errors"
	"time"

	"github.com/memprism/memprism/load"
)

// Arrival processes of rate-driven workloads (the arrivals param).
const (
	ArrivalsConstant = "constant"
	ArrivalsPoisson  = "poisson"
)

// LoadParams returns the params every rate-driven (open-model) workload
// takes, for a Kind's Params: messages (defaulting to defaultMessages),
// duration, rate and arrivals. PlanOf turns them into a load.Plan and
// CheckPlan, as the Kind's Check, validates them together. A kind using them
// must also declare an Int param "seed" (the Poisson arrivals' seed).
func LoadParams(defaultMessages int64) []ParamSpec {
	return []ParamSpec{
		{Name: "messages", Type: Int, Default: defaultMessages, Doc: "messages to send (0: no count limit, duration must be set); the run stops at messages or duration, whichever comes first", Min: 0, Max: 100_000_000, Scales: true},
		{Name: "duration", Type: Duration, Default: time.Duration(0), Doc: "send window (0: no time limit, messages must be set); messages due in it but not sent 100ms after it are counted unsent", Min: 0, Max: 3600, Scales: true},
		{Name: "rate", Type: Int, Default: int64(0), Doc: "offered messages per second, message i due at start + i/rate whatever the handlers do; latency is measured from that intended time (0: closed loop, each message sent when the previous was accepted)", Min: 0, Max: 100_000_000},
		{Name: "arrivals", Type: String, Default: ArrivalsConstant, Doc: "constant: evenly spaced; poisson: exponential gaps of mean 1/rate from the seed", Enum: []string{ArrivalsConstant, ArrivalsPoisson}},
	}
}

// PlanOf is the load.Plan of resolved LoadParams (and "seed").
func PlanOf(p Params) load.Plan {
	plan := load.Plan{Rate: float64(p.Int("rate")), Messages: p.Int("messages"), Duration: p.Duration("duration")}
	if p.String("arrivals") == ArrivalsPoisson && plan.Rate > 0 {
		plan.Pacer = load.NewPoissonPacer(plan.Rate, uint64(p.Int("seed")))
	}
	return plan
}

// CheckPlan is the Kind.Check of rate-driven workloads: messages and
// duration both 0 cannot run; messages that end the run before its duration
// at the rate are a warning.
func CheckPlan(p Params) (warnings []error, err error) {
	return PlanOf(p).Check()
}

// errLoadOpened is returned by a second Run.Load.
var errLoadOpened = errors.New("workloads: Run.Load called twice; a run has one load generator")

// Load opens the run's open-model load generator for plan: the workload
// sends with its Send, records finished messages on its recorders
// (NewRecorder per goroutine, or NewSyncRecorder), and returns; the host
// then reads the figures with LoadStats (offered and achieved rate, late
// and unsent messages, latency from intended times, service time, send lag,
// the 100 ms series, overloaded) and reports them as the run's latency. One
// per run; the workload still counts its ops with AddOps.
//
// A custom workload at an offered rate:
//
//	func run(ctx context.Context, r *workloads.Run) error {
//		lr, err := r.Load(workloads.PlanOf(r.Params)) // with workloads.LoadParams in the Kind
//		if err != nil {
//			return err
//		}
//		rec := lr.NewRecorder()
//		err = lr.Send(ctx, func(m load.Msg) error {
//			start := rec.Start()
//			handle(m.Seq)
//			rec.Done(m, start)
//			r.AddOps(1)
//			return nil
//		})
//		return err
//	}
func (r *Run) Load(plan load.Plan) (*load.Run, error) {
	lr, err := load.New(plan)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.load != nil {
		return nil, errLoadOpened
	}
	r.load = lr
	return lr, nil
}

// LoadStats returns the figures of the load generator opened with Load, or
// nil when none was. Call it once the RunFunc has returned (every handler
// finished); it merges the recorders each time it is called.
func (r *Run) LoadStats() *load.Stats {
	r.mu.Lock()
	lr := r.load
	r.mu.Unlock()
	if lr == nil {
		return nil
	}
	st := lr.Stats()
	return &st
}
