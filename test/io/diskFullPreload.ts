/** Child-process side of test/io/diskFull.ts: inject the full disk named by the environment. */
import { injectDiskFull } from "./diskFull.js";

const dir = process.env.SIGPROP_TEST_FULL_DIR;
if (dir) injectDiskFull(dir, Number(process.env.SIGPROP_TEST_FREE_BYTES ?? 4096));
