/**
 * A full disk for tests. `fullDisk()` mounts a 64 KiB tmpfs and fills it until 4 KiB are free (the
 * hostile tester's setting); where mounting is not allowed (not root, no CAP_SYS_ADMIN) it returns an
 * ordinary temporary folder plus an injected fault with the same behaviour, so the writer path is always
 * exercised and the test never passes vacuously:
 *
 * - `injectDiskFull(dir, free)` patches node:fs (and, through `syncBuiltinESMExports`, the named imports
 *   of src/io/atomic.ts) so that files opened under `dir` share a budget of `free` bytes: a write that
 *   crosses it is cut short (write(2)'s behaviour on a full disk) and the next one fails with ENOSPC.
 *   Space is counted in 4 KiB pages per file, as tmpfs does; unlinking a file returns its pages.
 *   Nothing outside `dir` is affected.
 * - `test/io/diskFullPreload.ts` applies the same fault in a child process (`--import`) from the
 *   environment variables that `fullDisk().env` sets.
 */
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const FREE_BYTES = 4096;
const PAGE = 4096;
export const PRELOAD = fileURLToPath(new URL("./diskFullPreload.ts", import.meta.url));

export function injectDiskFull(dir: string, free: number): () => void {
  const root = resolve(dir);
  const orig = {
    openSync: fs.openSync,
    writeSync: fs.writeSync,
    unlinkSync: fs.unlinkSync,
    renameSync: fs.renameSync,
  };
  const under = (p: unknown) => typeof p === "string" && resolve(p).startsWith(root + "/");
  const fds = new Map<number, string>();
  const sizes = new Map<string, number>();
  let budget = free;
  const pages = (n: number) => Math.ceil(n / PAGE) * PAGE;
  const enospc = () => {
    const e = new Error("ENOSPC: no space left on device, write") as NodeJS.ErrnoException;
    e.code = "ENOSPC";
    e.syscall = "write";
    return e;
  };
  const p = fs as unknown as Record<string, unknown>;
  p.openSync = (path: fs.PathLike, ...rest: unknown[]) => {
    const fd = (orig.openSync as (...a: unknown[]) => number)(path, ...rest);
    if (under(path)) fds.set(fd, resolve(String(path)));
    return fd;
  };
  p.writeSync = (fd: number, buf: unknown, ...rest: unknown[]) => {
    const path = fds.get(fd);
    if (path === undefined || typeof buf === "string")
      return (orig.writeSync as (...a: unknown[]) => number)(fd, buf, ...rest);
    const u8 = buf as Uint8Array;
    const offset = (rest[0] as number | undefined) ?? 0;
    const length = (rest[1] as number | undefined) ?? u8.length - offset;
    // tmpfs accounting: whole pages; the rest of the file's last page is free to fill
    const size = sizes.get(path) ?? 0;
    const room = pages(size) - size + budget;
    if (length > 0 && room <= 0) throw enospc();
    const got = orig.writeSync(fd, u8, offset, Math.min(length, room));
    budget -= pages(size + got) - pages(size);
    sizes.set(path, size + got);
    return got;
  };
  p.unlinkSync = (path: fs.PathLike) => {
    orig.unlinkSync(path);
    const r = resolve(String(path));
    budget += pages(sizes.get(r) ?? 0);
    sizes.delete(r);
  };
  p.renameSync = (a: fs.PathLike, b: fs.PathLike) => {
    orig.renameSync(a, b);
    const ra = resolve(String(a));
    if (sizes.has(ra)) {
      sizes.set(resolve(String(b)), sizes.get(ra) ?? 0);
      sizes.delete(ra);
    }
  };
  syncBuiltinESMExports();
  return () => {
    Object.assign(p, orig);
    syncBuiltinESMExports();
  };
}

export interface FullDisk {
  /** a folder on the (real or simulated) full disk */
  dir: string;
  /** true: a real tmpfs; false: the injected fault */
  mounted: boolean;
  /** environment for a child process (adds the preload when the fault is injected) */
  env: NodeJS.ProcessEnv;
  /** extra node arguments for a child process */
  nodeArgs: string[];
  /** apply the fault in this process (a no-op on a real tmpfs); returns the undo */
  inject(): () => void;
  cleanup(): void;
}

let counter = 0;

export function fullDisk(): FullDisk {
  const dir = fs.mkdtempSync(join(tmpdir(), `sigprop-full-${counter++}-`));
  const m = spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir], { encoding: "utf8" });
  const mounted = m.status === 0;
  if (mounted) {
    // fill to 4 KiB free: tmpfs allocates whole pages
    const s = fs.statfsSync(dir);
    const avail = Number(s.bavail) * Number(s.bsize);
    fs.writeFileSync(join(dir, ".filler"), Buffer.alloc(avail - FREE_BYTES, 1));
    const left = Number(fs.statfsSync(dir).bavail) * Number(fs.statfsSync(dir).bsize);
    if (left !== FREE_BYTES) throw new Error(`tmpfs fill left ${left} bytes free, wanted ${FREE_BYTES}`);
  }
  const env: NodeJS.ProcessEnv = mounted
    ? { ...process.env }
    : { ...process.env, SIGPROP_TEST_FULL_DIR: dir, SIGPROP_TEST_FREE_BYTES: String(FREE_BYTES) };
  return {
    dir,
    mounted,
    env,
    nodeArgs: mounted ? [] : ["--import", PRELOAD],
    inject: () => (mounted ? () => {} : injectDiskFull(dir, FREE_BYTES)),
    cleanup: () => {
      if (mounted) spawnSync("umount", [dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every file under `dir` (relative paths, recursive), except the filler. */
export function listFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f !== ".filler" && fs.statSync(join(dir, f)).isFile())
    .sort();
}

/** Force the injected fault even where mounting works (to test the fallback itself). */
export function injectedDisk(): FullDisk {
  const dir = fs.mkdtempSync(join(tmpdir(), `sigprop-inj-${counter++}-`));
  return {
    dir,
    mounted: false,
    env: { ...process.env, SIGPROP_TEST_FULL_DIR: dir, SIGPROP_TEST_FREE_BYTES: String(FREE_BYTES) },
    nodeArgs: ["--import", PRELOAD],
    inject: () => injectDiskFull(dir, FREE_BYTES),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
