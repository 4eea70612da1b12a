/**
 * Device selection (src/engine/device.ts) and worker threads for independent networks
 * (src/engine/parallel.ts), through the real CLI entry where the contract is the CLI's.
 *
 * What is checked, and against what:
 *   - `--device webgpu` on a host without WebGPU exits 2 and the message names the device, what was tried
 *     and why it failed. Which step fails depends on the host: here (and on CI runners without a Vulkan
 *     loader) it is the loader; the test looks the loader up itself (ldconfig) and asserts that step only
 *     when it is absent. Every other failure step is checked with an injected host (no adapter with
 *     lavapipe installed, Dawn failing to load), since no GPU is at hand.
 *   - `--device auto` records the fallback to wasm with the same reason.
 *   - `--device wasm` gives the same numbers as no flag (wasm is the default).
 *   - threads 1 vs 2 give bit-identical numbers (network k depends only on seed and k; results are kept in
 *     network order), through the CLI and through the library.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DeviceUnavailableError, initDevice, parseDevice, type WebGpuHost } from "../../src/engine/device.js";
import { simulateDynamics, simulateVarianceMap, type SimConfig } from "../../src/sim/index.js";
import { model } from "../sim/helpers.js";
import { sigprop } from "../support/cli.js";

/** Is the Vulkan loader installed? (Looked up independently of the code under test.) */
function hasVulkanLoader(): boolean {
  if (process.platform !== "linux") return true;
  for (const exe of ["/sbin/ldconfig", "/usr/sbin/ldconfig"]) {
    const r = spawnSync(exe, ["-p"], { encoding: "utf8" });
    if (r.status === 0) return /libvulkan\.so\.1/.test(r.stdout);
  }
  return ["/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"].some((d) =>
    existsSync(`${d}/libvulkan.so.1`),
  );
}
const noLoader = !hasVulkanLoader();

const SIM = ["simulate", "--width", "64", "--depth", "3", "--networks", "4", "--c0", "0.2,0.9"];
const SIM_MODEL = ["--activation", "tanh", "--noise", "dropout:keep=0.8", "--sigma-w2", "1.5"];

/** The JSON of a simulate run without the fields that legitimately differ (time, thread count). */
function numbers(out: string) {
  const j = JSON.parse(out);
  delete j.elapsed_s;
  delete j.threads;
  return j;
}

describe("--device through the CLI", () => {
  it.skipIf(!noLoader)(
    "--device webgpu exits 2 naming the device, what was tried and why (text and --json)",
    async () => {
      for (const json of [false, true]) {
        const r = await sigprop(...SIM, ...SIM_MODEL, "--device", "webgpu", ...(json ? ["--json"] : []));
        expect(r.code).toBe(2);
        if (json) {
          // --json: stdout is exactly one error object naming the flag (the CLI's error contract)
          const e = JSON.parse(r.out).error;
          expect(e.kind).toBe("bad_input");
          expect(e.flag).toBe("--device");
          expect(e.message).toMatch(/--device 'webgpu' is not available/);
        } else expect(r.out).toBe(""); // no partial result on stdout
        expect(r.err).toMatch(/--device 'webgpu' is not available/);
        expect(r.err).toMatch(
          /Tried, in order: .*navigator\.gpu: absent.*Vulkan loader libvulkan\.so\.1: not found/,
        );
        expect(r.err).toMatch(/Dawn needs the Vulkan loader libvulkan\.so\.1/);
        expect(r.err).toMatch(/--device wasm/);
      }
      // the other commands share the helper: one spot check each
      const t = await sigprop(
        "train",
        "--limit",
        "50",
        "--epochs",
        "1",
        "--depth",
        "1",
        "--width",
        "8",
        "--batch",
        "16",
        "--device",
        "webgpu",
      );
      expect(t.code).toBe(2);
      expect(t.err).toMatch(/--device 'webgpu' is not available: Dawn needs the Vulkan loader/);
    },
  );

  it.skipIf(!noLoader)("--device auto falls back to wasm and says so in the result record", async () => {
    const r = await sigprop(...SIM, ...SIM_MODEL, "--device", "auto", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.device.requested).toBe("auto");
    expect(j.device.used).toBe("wasm");
    expect(j.device.fallback_reason).toMatch(
      /^webgpu unavailable: Dawn needs the Vulkan loader libvulkan\.so\.1/,
    );
    expect(j.device.fallback_reason).toMatch(/tried: .*libvulkan\.so\.1: not found/);
  });

  it("--device wasm gives the same numbers as no flag; threads 1 and 2 give identical numbers", async () => {
    const [plain, wasm, two] = await Promise.all([
      sigprop(...SIM, ...SIM_MODEL, "--json", "--threads", "1"),
      sigprop(...SIM, ...SIM_MODEL, "--json", "--device", "wasm", "--threads", "1"),
      sigprop(...SIM, ...SIM_MODEL, "--json", "--device", "wasm", "--threads", "2"),
    ]);
    for (const r of [plain, wasm, two]) expect(r.code, r.err).toBe(0);
    expect(JSON.parse(plain.out).device).toEqual({
      requested: "wasm",
      used: "wasm",
      fallback_reason: null,
      adapter: null,
    });
    expect(JSON.parse(plain.out).threads).toBe(1);
    expect(JSON.parse(two.out).threads).toBe(2);
    expect(numbers(wasm.out)).toEqual(numbers(plain.out));
    expect(numbers(two.out)).toEqual(numbers(plain.out));
    // the statistic is not degenerate (the comparison above could not pass vacuously)
    expect(new Set(JSON.parse(two.out).variance_mean).size).toBeGreaterThan(2);
  });

  it("an unknown device or thread count is exit 2 naming the flag and the valid values", async () => {
    const r = await sigprop(...SIM, ...SIM_MODEL, "--device", "cuda");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--device 'cuda'.*auto \| wasm \| webgpu/);
    const t = await sigprop(...SIM, ...SIM_MODEL, "--threads", "0");
    expect(t.code).toBe(2);
    expect(t.err).toMatch(/--threads '0'/);
  });
});

describe("WebGPU failure steps (injected host: no GPU here)", () => {
  const base: WebGpuHost = {
    platform: "linux",
    findVulkanLoader: () => ({ path: "/usr/lib/x86_64-linux-gnu/libvulkan.so.1", looked: "ldconfig -p" }),
    vulkanDrivers: () => ({
      files: ["/usr/share/vulkan/icd.d/lvp_icd.x86_64.json"],
      looked: "/usr/share/vulkan/icd.d",
    }),
    loadDawn: async () => ({ gpu: { requestAdapter: async () => null }, globals: {}, version: "0.6.2" }),
  };

  it("no adapter: names the Vulkan drivers found and why lavapipe is rejected", async () => {
    const e = await initDevice("webgpu", { host: base }).catch((x) => x);
    expect(e).toBeInstanceOf(DeviceUnavailableError);
    expect(e.message).toMatch(/device 'webgpu' is not available: Dawn found no GPU adapter/);
    expect(e.message).toMatch(/lavapipe/);
    expect(e.message).toMatch(
      /Vulkan loader: \/usr\/lib\/x86_64-linux-gnu\/libvulkan\.so\.1; Dawn: webgpu@0\.6\.2 loaded; requestAdapter\(\): null \(Vulkan drivers found: lvp_icd\.x86_64\.json\)/,
    );
  });

  it("no Vulkan driver at all, and Dawn failing to load, are named as such", async () => {
    const none = await initDevice("webgpu", {
      host: { ...base, vulkanDrivers: () => ({ files: [], looked: "/usr/share/vulkan/icd.d" }) },
    }).catch((x) => x);
    expect(none.message).toMatch(/no Vulkan driver is installed/);
    expect(none.message).toMatch(/no Vulkan driver manifest in \/usr\/share\/vulkan\/icd\.d/);
    const dawn = await initDevice("webgpu", {
      host: {
        ...base,
        loadDawn: async () => {
          throw new Error("Cannot find module dawn.node");
        },
      },
    }).catch((x) => x);
    expect(dawn.message).toMatch(
      /'webgpu' package \(Dawn\) could not be loaded.*Cannot find module dawn\.node/,
    );
  });

  it("a hanging driver is a timeout, not a hang; auto falls back with that reason", async () => {
    const hang: WebGpuHost = {
      ...base,
      loadDawn: async () => ({
        gpu: { requestAdapter: () => new Promise(() => {}) },
        globals: {},
        version: "0.6.2",
      }),
    };
    const c = await initDevice("auto", { host: hang, timeoutMs: 50 });
    expect(c.used).toBe("wasm");
    expect(c.fallbackReason).toMatch(
      /Dawn could not enumerate GPU adapters.*requestAdapter\(\) did not answer within 0\.05 s/,
    );
  });

  it("parseDevice names the parameter", () => {
    expect(parseDevice(" WebGPU ")).toBe("webgpu");
    expect(() => parseDevice("gpu", "--device")).toThrow(/--device 'gpu'.*auto \| wasm \| webgpu/);
  });
});

describe("worker threads in the library", () => {
  const cfg: SimConfig = {
    model: model("relu", "gauss_mult:std=0.3", 1.7, 0.1),
    width: 48,
    depth: 3,
    networks: 5,
    seed: 11,
    weights: "gaussian",
  };

  it("simulateDynamics and simulateVarianceMap: threads 2 = threads 1, bit for bit (with progress)", async () => {
    const seen: number[] = [];
    const one = await simulateDynamics({ ...cfg, threads: 1 }, 1.3, [0.4]);
    const two = await simulateDynamics({ ...cfg, threads: 2 }, 1.3, [0.4], (done) => seen.push(done));
    expect(two).toEqual(one);
    expect(Math.max(...seen)).toBe(cfg.networks * cfg.depth);
    expect(await simulateVarianceMap({ ...cfg, threads: 3 }, [0.5, 2])).toEqual(
      await simulateVarianceMap({ ...cfg, threads: 1 }, [0.5, 2]),
    );
  });
});
