/**
 * Teacher–student: the generic "optimal solution" of the after-initialisation experiment is a planted
 * random network of the student's own architecture (Gardner & Derrida 1989; Saad & Solla 1995 for the
 * two-layer case). The teacher is drawn at the critical initialisation of its activation (so its signal
 * neither dies nor explodes with depth) from seed streams disjoint from the student's, and the task is
 * to regress its outputs on Gaussian inputs x ~ N(0, I) — fresh inputs every step (infinite data).
 */
import { sampleHostNet, type HostInit, type HostNet } from "./hostNet.js";

/** Seed offset that keeps the teacher's streams apart from every student's (students use the run seed). */
export const TEACHER_SEED_OFFSET = 0x7eac4e5;

/** The planted network of layer sizes `sizes` for run seed `seed`. */
export function teacherNet(sizes: number[], init: HostInit, seed: number): HostNet {
  return sampleHostNet(sizes, init, (seed + TEACHER_SEED_OFFSET) >>> 0);
}
