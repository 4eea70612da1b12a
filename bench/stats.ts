/** Timing helpers for benchmarks: medians over repeats, never assertions. */
export interface Timing {
  median_ms: number;
  min_ms: number;
  max_ms: number;
  repeats: number;
}

/** Run fn `repeats` times (after `warmup` untimed runs) and summarise wall times. */
export async function time(fn: () => unknown, repeats: number, warmup = 1): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const t: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  const mid = Math.floor(t.length / 2);
  const median = t.length % 2 ? t[mid] : 0.5 * (t[mid - 1] + t[mid]);
  return { median_ms: median, min_ms: t[0], max_ms: t[t.length - 1], repeats };
}
