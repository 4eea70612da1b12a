/**
 * Input errors carry the parameter, the value and what is valid, so that the CLI can exit 2 with a
 * message naming all three. Anything else thrown is an internal failure (exit 1).
 */
export class InputError extends Error {
  constructor(
    readonly parameter: string,
    readonly value: string,
    readonly valid: string,
    detail?: string,
  ) {
    super(`invalid ${parameter} '${value}': ${detail ? detail + "; " : ""}valid: ${valid}`);
    this.name = "InputError";
  }
}

/** Throw an InputError unless x is finite and in [lo, hi] (open ends by flags). */
export function checkRange(
  parameter: string,
  x: number,
  lo: number,
  hi: number,
  { loOpen = false, hiOpen = false }: { loOpen?: boolean; hiOpen?: boolean } = {},
): number {
  const okLo = loOpen ? x > lo : x >= lo;
  const okHi = hiOpen ? x < hi : x <= hi;
  if (!Number.isFinite(x) || !okLo || !okHi) {
    const range = `${loOpen ? "(" : "["}${lo}, ${hi}${hiOpen ? ")" : "]"}`;
    throw new InputError(parameter, String(x), `a number in ${range}`);
  }
  return x;
}
