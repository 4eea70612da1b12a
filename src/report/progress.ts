/**
 * Progress of a reproduction: a bar with ETA on stderr when it is a terminal (cli-progress), one line per
 * finished job otherwise, or nothing. Progress is measured in job cost units (see Job.cost).
 */
import cliProgress from "cli-progress";

export interface ProgressReporter {
  start(totalCost: number, jobs: number): void;
  /** `done` cost units finished so far; `label` names the running job */
  update(done: number, label: string): void;
  /** a job finished (or was taken from the cache) */
  log(line: string): void;
  stop(): void;
}

export const silentProgress: ProgressReporter = { start() {}, update() {}, log() {}, stop() {} };

/** A bar with percentage and ETA on a TTY; plain log lines elsewhere. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (!stream.isTTY) {
    return {
      start: (_t, jobs) => stream.write(`sigprop reproduce: ${jobs} simulation job(s) to run\n`),
      update() {},
      log: (line) => stream.write(line + "\n"),
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: "{bar} {percentage}% | ETA {eta_formatted} | {label}",
      etaBuffer: 50,
      fps: 5,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let total = 1;
  // Ctrl-C: restore the cursor before exiting (finished jobs are already cached; files are atomic).
  const onSigint = () => {
    bar.stop();
    stream.write("interrupted: finished jobs are cached; rerun the same command to resume\n");
    process.exit(130);
  };
  return {
    start(t) {
      total = Math.max(t, 1);
      process.once("SIGINT", onSigint);
      bar.start(total, 0, { label: "starting" });
    },
    update(done, label) {
      bar.update(Math.min(done, total), { label });
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
