// Links the package's own `sigprop` bin into node_modules/.bin so that `npx sigprop …` works in a
// fresh clone right after `npm install` (npm links dependencies' bins, never the root package's).
import { chmodSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";

const bin = join("node_modules", ".bin");
mkdirSync(bin, { recursive: true });
const link = join(bin, "sigprop");
rmSync(link, { force: true });
symlinkSync(join("..", "..", "dist", "cli", "main.js"), link);
chmodSync(join("dist", "cli", "main.js"), 0o755);
