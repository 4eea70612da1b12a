/**
 * A memo of a deterministic function of (activation, q): one map per activation object (held weakly, so
 * a parsed activation's entries go with it), cleared when it reaches `max` entries. A hit returns exactly
 * what a recomputation would, so memoising never changes a result.
 */
import type { Activation } from "./activations.js";

export function activationMemo<T>(max: number): (act: Activation, q: number, compute: () => T) => T {
  const memo = new WeakMap<Activation, Map<number, T>>();
  return (act, q, compute) => {
    let byQ = memo.get(act);
    if (!byQ) {
      byQ = new Map();
      memo.set(act, byQ);
    }
    if (byQ.has(q)) return byQ.get(q) as T;
    const v = compute();
    if (byQ.size >= max) byQ.clear();
    byQ.set(q, v);
    return v;
  };
}
