/**
 * sigprop/analysis: SVCCA similarity (Raghu et al. 2017; docs/THEORY.md §6) of a representation with an
 * invertible linear image of itself (1) and with an unrelated one. Run: `npx tsx examples/analysis.ts`.
 */
import { svcca } from "sigprop/analysis";

let s = 42;
const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
const n = 200;
const a = Array.from({ length: n }, () => [rand(), rand(), rand()]);
const mixed = a.map(([x, y, z]) => [x + 2 * y, y - z, 3 * z + x]);
const other = Array.from({ length: n }, () => [rand(), rand(), rand()]);
console.log(`similarity with a linear image ${svcca(a, mixed).similarity.toFixed(6)}`);
console.log(`similarity with unrelated data ${svcca(a, other).similarity.toFixed(3)}`);
