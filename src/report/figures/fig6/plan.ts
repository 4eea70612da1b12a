/**
 * The paper-scale Fig 6 as a plan instead of a run: its heat maps are 100 trainings per data set of width-1000
 * networks for 200 epochs (days on one machine), so `sigprop reproduce fig6 --scale paper` prints how to
 * run them as a sharded `sigprop sweep` (a Slurm job array and a Kubernetes indexed Job; shard i of N runs
 * the grid's runs i, i + N, …, see src/train/sweep.ts), how to merge the shards, and the command that
 * renders the merged sweep as the paper's figure (`--from-sweep`), which also runs the variance-depth
 * panels (a)/(d) on that machine (forwarding only; cached and resumable).
 */
import { resolve } from "node:path";
import { FIG6_SETTINGS, type TrainingSettings } from "./settings.js";

export interface Fig6PlanDataset {
  tag: "mnist" | "cifar10";
  /** the `--dataset` of the sweep */
  dataset: string;
  /** the sweep folder the shards write (shared storage) */
  sweepDir: string;
  runs: number;
  /** `sigprop sweep run` for one shard; `{SHARD}` stands for `i/N` */
  sweepRun: string;
  slurm: string;
  kubernetes: string;
}

export interface Fig6Plan {
  figure: "fig6";
  scale: "paper";
  shards: number;
  /** the training protocol of the heat maps */
  training: TrainingSettings;
  datasets: Fig6PlanDataset[];
  /** render the merged sweeps (and run the variance-depth panels) as the paper's figure */
  render: string;
  /** variance-depth jobs the render step runs locally */
  varianceJobs: number;
  notes: string[];
}

/** Shell-quote one argument when it needs it. */
function q(s: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The `sigprop sweep run` flags of the paper's training protocol on one data set. */
export function sweepArgs(t: TrainingSettings, dataset: string): string[] {
  return [
    "--dataset",
    dataset,
    "--task",
    t.task,
    "--activation",
    "relu",
    "--init",
    "critical",
    "--optimizer",
    t.optimizer,
    "--lr",
    String(t.lr),
    "--batch",
    String(t.batch),
    "--epochs",
    String(t.epochs),
    "--width",
    String(t.width),
    "--val-fraction",
    String(t.valFraction),
    "--eval-limit",
    String(t.evalLimit),
    "--threshold",
    String(t.threshold),
    ...(t.limit === null ? [] : ["--limit", String(t.limit)]),
    "--keep",
    t.keeps.join(","),
    "--depths",
    t.depths.join(","),
    "--seeds",
    "1",
  ];
}

export interface Fig6PlanOptions {
  /** the CIFAR-10 folder (adds the CIFAR-10 sweep) */
  cifar10?: string;
  /** shared folder for the sweeps (default $SCRATCH/sigprop-fig6) */
  root?: string;
  /** shards per data set (default 16) */
  shards?: number;
  /** where the rendered figure goes */
  out?: string;
  /** the training protocol (default: the paper's) */
  training?: TrainingSettings;
}

/** The plan of the paper-scale Fig 6 (nothing runs). */
export function fig6PaperPlan(opts: Fig6PlanOptions = {}): Fig6Plan {
  const t = opts.training ?? FIG6_SETTINGS.paper.training;
  const shards = opts.shards ?? 16;
  const root = opts.root ?? "$SCRATCH/sigprop-fig6";
  const out = opts.out ?? "fig6-paper";
  const runs = t.keeps.length * t.depths.length;
  const sets: { tag: "mnist" | "cifar10"; dataset: string }[] = [{ tag: "mnist", dataset: "mnist" }];
  if (opts.cifar10 !== undefined) sets.push({ tag: "cifar10", dataset: `cifar10:${resolve(opts.cifar10)}` });
  const datasets = sets.map(({ tag, dataset }): Fig6PlanDataset => {
    const dir = `${root}/${tag}`;
    const args = sweepArgs(t, dataset).map(q).join(" ");
    const sweepRun = `npx sigprop sweep run --out ${dir} --shard {SHARD} ${args}`;
    const slurm = [
      "#!/bin/bash",
      `#SBATCH --job-name=sigprop-fig6-${tag}`,
      `#SBATCH --array=0-${shards - 1}`,
      "#SBATCH --cpus-per-task=2",
      "#SBATCH --time=48:00:00",
      "#SBATCH --requeue",
      `npx sigprop sweep run --out "${dir}" --shard "\${SLURM_ARRAY_TASK_ID}/\${SLURM_ARRAY_TASK_COUNT}" \\`,
      `  ${args}`,
    ].join("\n");
    const k8sDir = `/results/sigprop-fig6/${tag}`;
    const kubernetes = [
      "apiVersion: batch/v1",
      "kind: Job",
      `metadata: { name: sigprop-fig6-${tag} }`,
      "spec:",
      `  completions: ${shards}`,
      `  parallelism: ${shards}`,
      "  completionMode: Indexed",
      `  backoffLimit: ${2 * shards}`,
      "  template:",
      "    spec:",
      "      restartPolicy: OnFailure",
      "      containers:",
      "        - name: sweep",
      "          image: node:20",
      "          workingDir: /app",
      '          command: ["sh", "-c"]',
      "          args:",
      "            - >-",
      `              npx sigprop sweep run --out ${k8sDir} --shard $JOB_COMPLETION_INDEX/${shards}`,
      `              ${args}`,
      "          volumeMounts: [{ name: results, mountPath: /results }]",
      "      volumes:",
      "        - name: results",
      "          persistentVolumeClaim: { claimName: sigprop-results }",
    ].join("\n");
    return { tag, dataset, sweepDir: dir, runs, sweepRun, slurm, kubernetes };
  });
  const render = [
    "npx sigprop reproduce fig6 --scale paper",
    ...datasets.map((d) => `--from-sweep ${d.sweepDir}`),
    ...(opts.cifar10 !== undefined ? [`--cifar10 ${q(resolve(opts.cifar10))}`] : []),
    `--out ${q(out)}`,
  ].join(" ");
  const variance = FIG6_SETTINGS.paper.variance;
  return {
    figure: "fig6",
    scale: "paper",
    shards,
    training: t,
    datasets,
    render,
    varianceJobs: variance.sigmaW2s.length * datasets.length,
    notes: [
      `each sweep is ${runs} runs (keep p ∈ {${t.keeps.join(", ")}} × depth ∈ {${t.depths.join(", ")}}), width ${t.width}, ${t.epochs} epochs; shard i of ${shards} runs runs i, i + ${shards}, …; a rerun (or a requeued task) resumes from the last finished epoch`,
      "shards may write to one shared folder or to separate ones (pass every folder with --from-sweep)",
      "the Kubernetes Job writes to /results/sigprop-fig6/<data set> on the sigprop-results volume: render from there (or copy it to the sweep folder above)",
      `the render step also runs the ${variance.sigmaW2s.length * datasets.length} variance-depth jobs of (a)${opts.cifar10 !== undefined ? "/(d)" : ""} (width ${variance.width}, ${variance.networks} networks, depth ≤ ${variance.maxDepth}, forwarding only) on its machine; they are cached in --out and resume after a kill`,
      ...(opts.cifar10 === undefined
        ? ["CIFAR-10 (d–f) is left out: pass --cifar10 DIR to add its sweep"]
        : []),
    ],
  };
}
