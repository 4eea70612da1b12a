/**
 * `sigprop explore`: serve the built web explorer (web-dist/) on loopback; all computation is in the browser.
 *
 * Files are served by sirv (a maintained static handler: MIME types, ETags, ranges, path normalisation)
 * behind two checks of our own: only GET and HEAD (405 otherwise), and only loopback Host headers
 * (127.0.0.1, localhost, [::1]), so a page on another site cannot reach the server by DNS rebinding.
 * A busy port or a missing --dir is bad input (exit 2). The server stops on SIGINT/SIGTERM/SIGHUP and
 * when its parent goes away (e.g. `npx sigprop explore` killed by PID), so no orphan keeps serving.
 */
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import sirv from "sirv";
import { InputError } from "../../theory/errors.js";
import { action, int } from "../common.js";

/** The web-dist folder: next to the package root (dist/cli/commands → ../../../web-dist, or src/...). */
export function webDistDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.resolve(here, "../../../web-dist");
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Whether a Host header names this loopback server (any port: the listening one is the only one reachable). */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return true; // HTTP/1.0 clients; browsers always send Host
  const m = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(host.trim().toLowerCase());
  return !!m && LOOPBACK_HOSTS.has(m[1]);
}

/** The request handler: method and Host checks, then sirv. */
export function staticHandler(root: string) {
  const files = sirv(path.resolve(root), {
    dev: false,
    etag: true,
    dotfiles: false,
    setHeaders: (res) => res.setHeader("cache-control", "no-cache"),
  });
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" }).end("method not allowed");
      return;
    }
    if (!isLoopbackHost(req.headers.host)) {
      res.writeHead(403, { "content-type": "text/plain" }).end("forbidden host (loopback only)");
      return;
    }
    files(req, res, () => {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    });
  };
}

/**
 * Start a static file server for `root` on 127.0.0.1:port (0 = any free); resolves with server and URL.
 * A port in use or not permitted rejects with an InputError naming --port.
 */
export function serveStatic(root: string, port = 0): Promise<{ server: Server; url: string }> {
  const server = createServer(staticHandler(root));
  return new Promise((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EADDRINUSE" || e.code === "EACCES")
        reject(
          new InputError(
            "--port",
            String(port),
            "a free port you may open (0 picks any free one)",
            e.code === "EADDRINUSE"
              ? `port ${port} on 127.0.0.1 is in use`
              : `no permission to open port ${port}`,
          ),
        );
      else reject(e);
    });
    server.listen(port, "127.0.0.1", () => {
      const a = server.address();
      const actual = typeof a === "object" && a ? a.port : port;
      resolve({ server, url: `http://127.0.0.1:${actual}/` });
    });
  });
}

/** Stop with the server on a signal or when the parent process is gone (ppid changes to a reaper). */
function stopTogether(server: Server) {
  const stop = () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(sig, stop);
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 500).unref();
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
        if (opts.dir !== undefined) {
          const st = statSync(dir, { throwIfNoEntry: false });
          if (!st?.isDirectory())
            throw new InputError(
              "--dir",
              String(opts.dir),
              "a folder holding a built site (index.html)",
              st ? "not a folder" : "no such folder",
            );
          if (!existsSync(path.join(dir, "index.html")))
            throw new InputError(
              "--dir",
              String(opts.dir),
              "a folder holding a built site (index.html)",
              "it has no index.html",
            );
        } else if (!existsSync(path.join(dir, "index.html"))) {
          process.stderr.write(`sigprop: no built explorer at ${dir}; run \`npm run build:web\` first\n`);
          process.exitCode = 1;
          return;
        }
        const { server, url } = await serveStatic(dir, port);
        stopTogether(server);
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
