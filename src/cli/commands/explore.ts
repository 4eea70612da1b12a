/** `sigprop explore`: serve the built web explorer (web-dist/) on loopback; all computation is in the browser. */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { action, int } from "../common.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".wasm": "application/wasm",
};

/** The web-dist folder: next to the package root (dist/cli/commands → ../../../web-dist, or src/...). */
export function webDistDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.resolve(here, "../../../web-dist");
}

/** Start a static file server for `root` on 127.0.0.1:port (0 = any free); resolves with server and URL. */
export function serveStatic(root: string, port = 0): Promise<{ server: Server; url: string }> {
  const base = path.resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const u = new URL(req.url ?? "/", "http://127.0.0.1");
      let p = path.resolve(base, "." + decodeURIComponent(u.pathname));
      if (p !== base && !p.startsWith(base + path.sep)) {
        res.writeHead(403).end("forbidden");
        return;
      }
      if ((await stat(p).catch(() => null))?.isDirectory()) p = path.join(p, "index.html");
      const body = await readFile(p);
      res.writeHead(200, {
        "content-type": TYPES[path.extname(p)] ?? "application/octet-stream",
        "cache-control": "no-cache",
      });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const a = server.address();
      const actual = typeof a === "object" && a ? a.port : port;
      resolve({ server, url: `http://127.0.0.1:${actual}/` });
    });
  });
}

export function register(program: Command) {
  program
    .command("explore")
    .description("serve the interactive explorer on 127.0.0.1 (computation runs in the browser)")
    .option("--port <n>", "port (0 = any free port)", "0")
    .option("--no-open", "do not try to open a browser")
    .option("--dir <path>", "folder with the built site (default: the package's web-dist/)")
    .action(
      action(async (opts) => {
        const port = int("--port", opts.port, 0, 65535);
        const dir = opts.dir ? path.resolve(String(opts.dir)) : webDistDir();
        if (!existsSync(path.join(dir, "index.html"))) {
          process.stderr.write(`sigprop: no built explorer at ${dir}; run \`npm run build:web\` first\n`);
          process.exitCode = 1;
          return;
        }
        const { url } = await serveStatic(dir, port);
        process.stdout.write(`sigprop explorer at ${url} (Ctrl-C to stop)\n`);
        if (opts.open !== false) {
          try {
            const child = spawn("xdg-open", [url], { stdio: "ignore", detached: true });
            child.on("error", () => {});
            child.unref();
          } catch {
            /* no opener: the URL is printed */
          }
        }
        await new Promise<void>(() => {});
      }),
    );
}
