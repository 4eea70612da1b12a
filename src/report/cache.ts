/**
 * The job cache of `sigprop reproduce`: one JSON file per finished job under DIR/.cache/<figure>/, named by
 * a hash of everything that determines its result (figure, job id, config, seed, package version). Written
 * atomically, so a run killed at any point leaves either a complete entry or none; a rerun reuses entries
 * and, because names are content hashes, never duplicates them.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic.js";
import type { Json } from "./figure.js";

export interface CacheKey {
  figure: string;
  job: string;
  config: Json;
  seed: number;
  version: string;
}

export interface CacheEntry {
  key: CacheKey;
  /** the simulation engine that produced the result */
  engine: string;
  /** seconds the job took when it ran */
  seconds: number;
  result: Json;
}

/** JSON with object keys sorted, so equal values always hash equally. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : x,
  );
}

/** SHA-256 of the canonical JSON of the key (hex, first 24 characters). */
export function hashKey(key: CacheKey): string {
  return createHash("sha256").update(canonicalJson(key)).digest("hex").slice(0, 24);
}

/** A 31-bit seed for one job, derived from the run seed and the job's identity. */
export function jobSeed(seed: number, figure: string, job: string): number {
  const h = createHash("sha256").update(`${seed}\u0000${figure}\u0000${job}`).digest();
  return h.readUInt32BE(0) & 0x7fffffff;
}

export class JobCache {
  constructor(readonly dir: string) {}

  path(key: CacheKey): string {
    return join(this.dir, key.figure, `${hashKey(key)}.json`);
  }

  /** The entry for this key, or undefined when missing or unreadable (then it is recomputed). */
  get(key: CacheKey): CacheEntry | undefined {
    const p = this.path(key);
    if (!existsSync(p)) return undefined;
    try {
      const e = JSON.parse(readFileSync(p, "utf8")) as CacheEntry;
      return canonicalJson(e.key) === canonicalJson(key) ? e : undefined;
    } catch {
      return undefined;
    }
  }

  put(entry: CacheEntry): void {
    writeFileAtomic(this.path(entry.key), JSON.stringify(entry) + "\n", { what: "a cache entry" });
  }
}

/**
 * Remove temporary files left by writeFileAtomic in processes that no longer exist (a run killed with
 * kill -9 between writing and renaming). Names are `.<name>.<pid>.<time>.tmp`.
 */
export function removeStaleTemps(dir: string, depth = 3): number {
  if (!existsSync(dir) || depth < 0) return 0;
  let removed = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      continue;
    }
    if (isDir) {
      removed += removeStaleTemps(p, depth - 1);
      continue;
    }
    const m = /^\..+\.(\d+)\.\d+\.tmp$/.exec(name);
    if (m && !processAlive(Number(m[1]))) {
      rmSync(p, { force: true });
      removed++;
    }
  }
  return removed;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
