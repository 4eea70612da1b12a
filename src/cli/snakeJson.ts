/**
 * The CLI owns the snake_case JSON: library results are camelCase and typed; each command prints
 * `snakeKeys(result)`. One conversion for every command, so a field renamed in the library cannot
 * drift from its JSON name.
 */

/** `sigmaW2` → `sigma_w2`, `qStar` → `q_star`, `chi1` → `chi1`; a leading capital is kept (`N` → `N`). */
export function snakeKey(k: string): string {
  return k.replace(/(?<=[a-z0-9])([A-Z]+)/g, (c) => "_" + c.toLowerCase());
}

/**
 * camelCase → snake_case keys, recursively (the library result → the command's JSON). Typed arrays
 * become plain arrays; `undefined` fields are dropped as JSON.stringify would.
 */
export function snakeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snakeKeys);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype)
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [snakeKey(k), snakeKeys(x)]),
    );
  return v;
}
