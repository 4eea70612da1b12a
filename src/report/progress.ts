/**
 * Progress of a reproduction: one bar for the whole run (all figures) with an ETA on stderr when it is a
 * terminal (cli-progress), one line per finished job with the overall count and ETA otherwise, or nothing.
 *
 * The ETA is the sum of the estimated seconds of the jobs still to run (`EtaModel`). Job costs (Job.cost)
 * are relative within a figure only (a training run and a simulation use different units), so each
 * figure's seconds per cost unit is learned from its own finished jobs (and from cached jobs' recorded
 * seconds when resuming); a figure none of whose jobs has finished yet counts the median seconds of the
 * jobs finished so far per job.
 */
import cliProgress from "cli-progress";

/** A job of the plan as the ETA sees it. */
export interface EtaJob {
  figure: string;
  cost: number;
}

/** Seconds-per-cost estimates per figure, updated as jobs finish. */
export class EtaModel {
  private readonly rates = new Map<string, { seconds: number; cost: number }>();
  private readonly perJob: number[] = [];

  /** `history`: jobs with known durations (e.g. cached results of an earlier, interrupted run) */
  constructor(
    private readonly jobs: EtaJob[],
    history: (EtaJob & { seconds: number })[] = [],
  ) {
    for (const h of history) this.record(h, h.seconds);
  }

  /** Record that a job took `seconds`. */
  record(job: EtaJob, seconds: number): void {
    if (!(seconds >= 0) || !Number.isFinite(seconds)) return;
    const r = this.rates.get(job.figure) ?? { seconds: 0, cost: 0 };
    r.seconds += seconds;
    r.cost += job.cost;
    this.rates.set(job.figure, r);
    this.perJob.push(seconds);
  }

  /** Estimated seconds of one job, or null when nothing has finished yet. */
  estimate(job: EtaJob): number | null {
    const r = this.rates.get(job.figure);
    if (r && r.cost > 0 && job.cost > 0) return (job.cost * r.seconds) / r.cost;
    if (!this.perJob.length) return null;
    const sorted = [...this.perJob].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  }

  /**
   * Seconds left: the running job `current` (index into the plan) is `fraction` done and has run
   * `elapsed` seconds; every later job is estimated whole. Null when no estimate exists yet.
   */
  remaining(current: number, fraction: number, elapsed: number): number | null {
    let total = 0;
    for (let i = current; i < this.jobs.length; i++) {
      const e = this.estimate(this.jobs[i]);
      if (e === null) return null;
      if (i === current) {
        // the running job: its own pace once it has reported progress, else the estimate
        const f = Math.min(Math.max(fraction, 0), 1);
        total += f > 0.05 && elapsed > 0 ? (elapsed * (1 - f)) / f : Math.max(e - elapsed, 0);
      } else total += e;
    }
    return total;
  }
}

/** "1h02m", "3m05s", "42s" */
export function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return "…";
  const t = Math.max(0, Math.round(s));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  if (h) return `${h}h${String(m).padStart(2, "0")}m`;
  if (m) return `${m}m${String(sec).padStart(2, "0")}s`;
  return `${sec}s`;
}

/** What the reproduction reports while it runs. */
export interface ProgressState {
  /** overall fraction done in [0, 1], by estimated time when known, else by jobs */
  fraction: number;
  /** jobs finished (this run) and to run */
  jobsDone: number;
  jobs: number;
  /** estimated seconds left, null while unknown */
  eta: number | null;
  /** seconds since the start */
  elapsed: number;
  /** the running job, e.g. "fig3 b/dropout, critical" */
  label: string;
}

export interface ProgressReporter {
  start(totalCost: number, jobs: number): void;
  /** the state of the whole run; `label` names the running job */
  update(state: ProgressState): void;
  /** a job finished (or was taken from the cache) */
  log(line: string): void;
  stop(): void;
}

export const silentProgress: ProgressReporter = { start() {}, update() {}, log() {}, stop() {} };

/** One bar for the whole run, with overall percentage, job count and ETA on a TTY; log lines elsewhere. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (!stream.isTTY) {
    return {
      start: (_t, n) => stream.write(`sigprop reproduce: ${n} simulation job(s) to run\n`),
      update() {},
      log: (line) => stream.write(line + "\n"),
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: "{bar} {percentage}% | job {jobsDone}/{jobs} | elapsed {elapsedText} | ETA {etaText} | {label}",
      fps: 5,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const SCALE = 1000;
  // Ctrl-C: restore the cursor before exiting (finished jobs are already cached; files are atomic).
  const onSigint = () => {
    bar.stop();
    stream.write("interrupted: finished jobs are cached; rerun the same command to resume\n");
    process.exit(130);
  };
  const payload = (s: ProgressState) => ({
    jobsDone: s.jobsDone,
    jobs: s.jobs,
    elapsedText: formatSeconds(s.elapsed),
    etaText: formatSeconds(s.eta),
    label: s.label,
  });
  return {
    start(_t, jobs) {
      process.once("SIGINT", onSigint);
      bar.start(
        SCALE,
        0,
        payload({ fraction: 0, jobsDone: 0, jobs, eta: null, elapsed: 0, label: "starting" }),
      );
    },
    update(state) {
      bar.update(Math.round(Math.min(Math.max(state.fraction, 0), 1) * SCALE), payload(state));
    },
    log(line) {
      // Print above the bar without breaking it.
      stream.write("\r\x1b[2K" + line + "\n");
      bar.render();
    },
    stop() {
      process.removeListener("SIGINT", onSigint);
      bar.stop();
    },
  };
}
