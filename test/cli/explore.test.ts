/**
 * The explorer's server (issue 14 item 6): only GET/HEAD (405 otherwise), only loopback Host headers
 * (403 otherwise, against DNS rebinding), a busy port and a missing --dir are exit 2 with one line,
 * and the server stops on SIGTERM and when its parent shell is killed.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveStatic } from "../../src/cli/commands/explore.js";
import { InputError } from "../../src/theory/errors.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const site = mkdtempSync(join(tmpdir(), "sigprop-site-"));
mkdirSync(join(site, "assets"));
writeFileSync(join(site, "index.html"), "<!doctype html><title>explorer</title>\n");
writeFileSync(join(site, "assets", "app.js"), "console.log(1)\n");
let server: Server;
let port = 0;

beforeAll(async () => {
  const s = await serveStatic(site, 0);
  server = s.server;
  port = Number(new URL(s.url).port);
});
afterAll(() => {
  server?.close();
  rmSync(site, { recursive: true, force: true });
});

/** One raw request (node:http allows any method and Host header). */
function hit(
  method: string,
  path = "/",
  host?: string,
): Promise<{ status: number; body: string; allow?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers: host ? { host } : {} }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, allow: res.headers.allow }));
    });
    req.on("error", reject);
    req.end();
  });
}

function sigprop(args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
  });
}

describe("explore server", () => {
  it("serves GET and HEAD, answers 405 to other methods", async () => {
    const get = await hit("GET");
    expect(get.status).toBe(200);
    expect(get.body).toContain("<title>explorer</title>");
    expect((await hit("GET", "/assets/app.js")).status).toBe(200);
    expect((await hit("HEAD")).status).toBe(200);
    for (const m of ["POST", "PUT", "DELETE", "PATCH", "TRACE", "OPTIONS"]) {
      const r = await hit(m);
      expect(r.status, m).toBe(405);
      expect(r.allow).toBe("GET, HEAD");
      expect(r.body).not.toContain("explorer");
    }
  });

  it("refuses non-loopback Host headers (DNS rebinding) and serves loopback ones", async () => {
    for (const h of [
      "evil.example",
      `evil.example:${port}`,
      "127.0.0.1.evil.example",
      "10.0.0.1",
      "localhost.evil",
    ]) {
      const r = await hit("GET", "/", h);
      expect(r.status, h).toBe(403);
      expect(r.body).not.toContain("explorer");
    }
    for (const h of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, "LOCALHOST"]) {
      expect((await hit("GET", "/", h)).status, h).toBe(200);
    }
  });

  it("does not leave the folder", async () => {
    expect((await hit("GET", "/../../../../etc/passwd")).status).toBe(404);
    expect((await hit("GET", "/%2e%2e/%2e%2e/etc/passwd")).status).toBe(404);
  });

  it("a busy port is an InputError naming --port (library) and exit 2 with one line (CLI)", async () => {
    await expect(serveStatic(site, port)).rejects.toBeInstanceOf(InputError);
    await expect(serveStatic(site, port)).rejects.toThrow(/--port/);
    const r = sigprop(["explore", "--no-open", "--dir", site, "--port", String(port)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--port .*in use/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 150_000);

  it("a --dir that does not exist is exit 2 naming --dir", () => {
    const r = sigprop(["explore", "--no-open", "--dir", join(site, "nope")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--dir .*no such folder/);
  }, 150_000);

  it("stops with its parent: killing the shell that started it stops the server", async () => {
    // sh starts the server in the background and waits: killing sh orphans the node process, as when
    // `npx sigprop explore` is stopped by its PID
    const sh = spawn(
      "sh",
      [
        "-c",
        `"${process.execPath}" --import tsx src/cli/main.ts explore --no-open --dir "${site}" --port 0 & echo $!; wait`,
      ],
      { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    sh.stdout.on("data", (d) => (out += d));
    const deadline = Date.now() + 120_000;
    while (!/explorer at http/.test(out) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(out).toMatch(/explorer at http/);
    const pid = Number(out.split("\n")[0]);
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive()).toBe(true);
    sh.kill("SIGTERM");
    const until = Date.now() + 10_000;
    while (alive() && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    const stillAlive = alive();
    if (stillAlive) process.kill(pid, "SIGKILL");
    expect(stillAlive).toBe(false);
  }, 150_000);

  it("SIGTERM stops the server with exit 0", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "explore", "--no-open", "--dir", site],
      {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const deadline = Date.now() + 120_000;
    while (!/explorer at http/.test(out) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    const closed = new Promise<number | null>((res) => child.on("close", (code) => res(code)));
    child.kill("SIGTERM");
    expect(await closed).toBe(0);
  }, 150_000);
});
