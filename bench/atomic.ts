/**
 * The atomic writer (src/io/atomic.ts) against `write-file-atomic` (npm's, v6, sync API) on the same
 * payloads in the same process: median milliseconds per write. Ours does one more fsync (the folder), and
 * loops over short writes; the package was not adopted because it leaves a truncated file under the final
 * name on a full disk (see the module comment of src/io/atomic.ts and test/io/atomic.test.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import writeFileAtomicPkg from "write-file-atomic";
import { writeFileAtomic } from "../src/io/atomic.js";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "sigprop-bench-atomic-"));
  const rows: Record<string, unknown>[] = [];
  try {
    for (const bytes of [1024, 100 * 1024, 4 * 1024 * 1024]) {
      const data = Buffer.from(Uint8Array.from({ length: bytes }, (_, i) => i % 251));
      const reps = bytes > 1e6 ? 15 : 60;
      const ours: number[] = [];
      const pkg: number[] = [];
      // interleaved, so that load changes hit both alike
      for (let r = 0; r < reps; r++) {
        let t = performance.now();
        writeFileAtomic(join(dir, "ours.bin"), data);
        ours.push(performance.now() - t);
        t = performance.now();
        writeFileAtomicPkg.sync(join(dir, "pkg.bin"), data);
        pkg.push(performance.now() - t);
      }
      rows.push({
        bytes,
        reps,
        sigprop_ms: median(ours),
        write_file_atomic_ms: median(pkg),
        ratio_sigprop_over_package: median(ours) / median(pkg),
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { writes: rows, note: "median ms per atomic write to os.tmpdir(); shared machine, compare ratios" };
}
