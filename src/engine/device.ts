/**
 * Device selection for the tensor layers (simulation, training, spectra): `wasm` (jax-js' WebAssembly
 * backend, every host), `webgpu` (jax-js' WebGPU backend) and `auto` (WebGPU when an adapter works, else
 * wasm, with the reason recorded). One place initialises jax-js; `initJax()` is the default (wasm) path
 * that library code calls, `initDevice(request)` the explicit one the CLI calls first.
 *
 * WebGPU in Node: jax-js reads `navigator.gpu` (browsers, Deno). Node has none, so for `webgpu`/`auto` we
 * take it from the `webgpu` npm package (Dawn's Node binding; its binary ships inside the package), install
 * `navigator.gpu` and the `GPU*` globals (`GPUBufferUsage`, …) that jax-js' backend reads, and only then
 * call `jax.init("webgpu")`. Each step that can fail becomes one line of the error, so that
 * `--device webgpu` on a host without a GPU says what was tried and where it stopped:
 *   1. Vulkan loader (Linux only; Dawn uses Metal on macOS, D3D12 on Windows): `libvulkan.so.1` via
 *      `ldconfig -p`, `LD_LIBRARY_PATH` and the usual library folders. Without it Dawn has no backend.
 *   2. the `webgpu` package and its binary for this platform;
 *   3. `requestAdapter()`: null when no Vulkan driver offers what WebGPU needs. The Vulkan driver manifests
 *      (ICDs) found are listed; Debian 12's lavapipe (`lvp_icd`, package mesa-vulkan-drivers) is one Dawn
 *      rejects (it lacks `shaderUniform*ArrayDynamicIndexing`; measured, STACK.md);
 *   4. `jax.init("webgpu")`: jax-js asks the adapter for a device with the adapter's own limits;
 *   5. a smoke test: `[1, 2, 3] + 1` on the device, read back.
 * `webgpu` failing is bad input for the command (exit 2, `DeviceUnavailableError`); `auto` falls back
 * to wasm and records `fallbackReason`.
 *
 * The default device is `wasm`: its float32 numbers are the same on every host, so a seed reproduces bit
 * for bit; WebGPU results agree with wasm only to float32 rounding (different summation order).
 *
 * No Node-only module is imported at top level, so this file also loads in a browser bundle.
 */
import * as jax from "@jax-js/jax";
import { InputError } from "../theory/errors.js";

/** What a caller may ask for. */
export type DeviceRequest = "auto" | "wasm" | "webgpu";
const DEVICE_REQUESTS: readonly DeviceRequest[] = ["auto", "wasm", "webgpu"];
/** What jax-js computes on. */
export type DeviceUsed = "wasm" | "webgpu";

/** The outcome of device selection (recorded in results). */
export interface DeviceChoice {
  requested: DeviceRequest;
  used: DeviceUsed;
  /** why `auto` did not use WebGPU (null when it did, or when wasm/webgpu were asked for) */
  fallbackReason: string | null;
  /** the WebGPU adapter (vendor, architecture, description) when `used` is webgpu */
  adapter: string | null;
  /** the steps tried, one line each (e.g. "Vulkan loader: libvulkan.so.1 not found in …") */
  tried: string[];
}

/** WebGPU was asked for explicitly and is not available: bad input for the command (exit 2). */
export class DeviceUnavailableError extends InputError {
  constructor(
    readonly requested: DeviceRequest,
    readonly tried: string[],
    readonly reason: string,
  ) {
    super("device", requested, "auto | wasm | webgpu", reason);
    this.name = "DeviceUnavailableError";
    this.message =
      `device '${requested}' is not available: ${reason}. Tried, in order: ${tried.join("; ")}. ` +
      `Use --device wasm (every host) or --device auto (WebGPU when it works, else wasm).`;
  }
}

/** Parse a device request; the error names `parameter` (the CLI passes its flag). */
export function parseDevice(raw: unknown, parameter = "device"): DeviceRequest {
  const s = String(raw ?? "")
    .trim()
    .toLowerCase();
  if ((DEVICE_REQUESTS as readonly string[]).includes(s)) return s as DeviceRequest;
  throw new InputError(parameter, String(raw), DEVICE_REQUESTS.join(" | "));
}

// ---------------------------------------------------------------------------------------------------
// jax-js initialisation (the one place)

let ready: Promise<jax.Device[]> | null = null;

async function ensureNavigator(): Promise<void> {
  const g = globalThis as { navigator?: unknown; process?: { versions?: { node?: string } } };
  if (g.navigator !== undefined) return;
  let cores = 1;
  try {
    const os = await import("node:os");
    cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  } catch {
    // not Node: leave 1
  }
  // Node 20 has no navigator (jax-js' init() reads it; STACK.md); writable so that navigator.gpu can be added.
  Object.defineProperty(globalThis, "navigator", {
    value: { hardwareConcurrency: cores, userAgent: `Node.js/${g.process?.versions?.node ?? "?"}` },
    configurable: true,
    writable: true,
  });
}

/** Initialise jax-js once (safe to call from many modules); resolves to the available devices. */
export function initJax(): Promise<jax.Device[]> {
  if (!ready) ready = ensureNavigator().then(() => jax.init());
  return ready;
}

// ---------------------------------------------------------------------------------------------------
// WebGPU probing

/** Minimal shapes of the WebGPU objects we touch (the full types come with the `webgpu` package). */
interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
}
export interface GpuLike {
  requestAdapter(opts?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

/** Host facts the probe needs; injectable so that every failure path is testable without a GPU. */
export interface WebGpuHost {
  /** OS platform (`process.platform`), or "browser" */
  platform: string;
  /** path of the Vulkan loader, or null, and the places looked at */
  findVulkanLoader(): { path: string | null; looked: string };
  /** Vulkan driver manifests (ICD JSON files) found, and the places looked at */
  vulkanDrivers(): { files: string[]; looked: string };
  /** load Dawn: its `navigator.gpu` object and the `GPU*` globals; throws when it cannot */
  loadDawn(): Promise<{ gpu: GpuLike; globals: Record<string, unknown>; version: string }>;
}

const LIB_DIRS = [
  "/usr/lib/x86_64-linux-gnu",
  "/usr/lib/aarch64-linux-gnu",
  "/lib/x86_64-linux-gnu",
  "/usr/lib64",
  "/usr/lib",
  "/usr/local/lib",
];
const ICD_DIRS = ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d", "/usr/local/share/vulkan/icd.d"];

/** The real host (Node). */
async function nodeWebGpuHost(): Promise<WebGpuHost> {
  const fs = await import("node:fs");
  const path = await import("node:path");
  const { execFileSync } = await import("node:child_process");
  const { createRequire } = await import("node:module");
  return {
    platform: process.platform,
    findVulkanLoader() {
      for (const exe of ["/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig"]) {
        try {
          const out = execFileSync(exe, ["-p"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
          const m = /libvulkan\.so\.1\b.*=>\s*(\S+)/.exec(out);
          if (m) return { path: m[1], looked: "ldconfig -p" };
          break;
        } catch {
          // try the next ldconfig
        }
      }
      const dirs = [...(process.env.LD_LIBRARY_PATH ?? "").split(":").filter(Boolean), ...LIB_DIRS];
      for (const d of dirs) {
        const f = path.join(d, "libvulkan.so.1");
        if (fs.existsSync(f)) return { path: f, looked: `${d}` };
      }
      return { path: null, looked: `ldconfig -p, LD_LIBRARY_PATH and ${LIB_DIRS.join(", ")}` };
    },
    vulkanDrivers() {
      const envFiles = (process.env.VK_DRIVER_FILES ?? process.env.VK_ICD_FILENAMES ?? "")
        .split(":")
        .filter(Boolean);
      const files = [...envFiles.filter((f) => fs.existsSync(f))];
      for (const d of ICD_DIRS) {
        try {
          for (const f of fs.readdirSync(d)) if (f.endsWith(".json")) files.push(path.join(d, f));
        } catch {
          // folder absent
        }
      }
      return {
        files,
        looked: [...(envFiles.length ? ["VK_DRIVER_FILES/VK_ICD_FILENAMES"] : []), ...ICD_DIRS].join(", "),
      };
    },
    async loadDawn() {
      const req = createRequire(import.meta.url);
      let version = "?";
      try {
        version = String(
          JSON.parse(fs.readFileSync(req.resolve("webgpu/package.json"), "utf8")).version ?? "?",
        );
      } catch {
        // version unknown; the import below says whether the package is there
      }
      const name = "webgpu"; // not a literal import: keeps bundlers from pulling Dawn into the web build
      const mod = (await import(/* @vite-ignore */ name)) as {
        create(flags: string[]): GpuLike;
        globals: Record<string, unknown>;
      };
      return { gpu: mod.create([]), globals: mod.globals, version };
    },
  };
}

function adapterName(a: GpuAdapterLike): string {
  const i = a.info ?? {};
  return (
    [i.vendor, i.architecture, i.device, i.description].filter((s) => s && String(s).trim()).join(" / ") ||
    "(adapter without info)"
  );
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) => {
      const t = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
      (t as { unref?: () => void }).unref?.();
    }),
  ]);

/** Failure of one probe step: the reason, with the steps tried so far (including this one). */
class ProbeFailure extends Error {
  constructor(
    readonly reason: string,
    readonly tried: string[],
  ) {
    super(reason);
  }
}

/**
 * Make WebGPU usable by jax-js, or throw a ProbeFailure naming the step that failed. Returns the adapter
 * description and the steps tried.
 */
async function probeWebGpu(host: WebGpuHost | undefined, timeoutMs: number) {
  const tried: string[] = [];
  const fail = (reason: string): never => {
    throw new ProbeFailure(reason, tried);
  };
  const nav = globalThis as { navigator?: { gpu?: GpuLike } };
  let gpu: GpuLike | undefined = nav.navigator?.gpu;
  if (gpu) {
    tried.push("navigator.gpu: present (browser or Deno)");
  } else {
    const h = host ?? (await nodeWebGpuHost());
    tried.push("navigator.gpu: absent (Node), so Dawn from the npm package 'webgpu'");
    if (h.platform === "linux") {
      const loader = h.findVulkanLoader();
      if (!loader.path) {
        tried.push(`Vulkan loader libvulkan.so.1: not found (looked in ${loader.looked})`);
        fail(
          "Dawn needs the Vulkan loader libvulkan.so.1 on Linux and it is not installed " +
            "(Debian/Ubuntu: apt-get install libvulkan1, plus the Vulkan driver of your GPU)",
        );
      }
      tried.push(`Vulkan loader: ${loader.path}`);
    }
    let dawn: Awaited<ReturnType<WebGpuHost["loadDawn"]>> | undefined;
    try {
      dawn = await h.loadDawn();
      tried.push(`Dawn: webgpu@${dawn.version} loaded`);
    } catch (e) {
      tried.push(`Dawn: loading the 'webgpu' package failed (${e instanceof Error ? e.message : String(e)})`);
      fail("the 'webgpu' package (Dawn) could not be loaded on this platform");
    }
    gpu = dawn!.gpu;
    let adapter: GpuAdapterLike | null;
    try {
      adapter = await withTimeout(
        gpu.requestAdapter({ powerPreference: "high-performance" }),
        timeoutMs,
        "requestAdapter()",
      );
    } catch (e) {
      tried.push(`requestAdapter(): failed (${e instanceof Error ? e.message : String(e)})`);
      return fail("Dawn could not enumerate GPU adapters");
    }
    if (!adapter) {
      const drivers = h.platform === "linux" ? h.vulkanDrivers() : null;
      const names = drivers?.files.map((f) => f.split("/").pop()) ?? [];
      tried.push(
        "requestAdapter(): null" +
          (drivers
            ? names.length
              ? ` (Vulkan drivers found: ${names.join(", ")})`
              : ` (no Vulkan driver manifest in ${drivers.looked})`
            : ""),
      );
      const lavapipe = names.some((n) => n && /lvp/.test(n));
      fail(
        "Dawn found no GPU adapter: no driver here offers what WebGPU requires" +
          (lavapipe
            ? " (lavapipe, the CPU Vulkan driver of Debian 12's mesa-vulkan-drivers, is rejected by Dawn: it lacks shaderUniform*ArrayDynamicIndexing)"
            : drivers && !names.length
              ? " (no Vulkan driver is installed: install the one for your GPU)"
              : ""),
      );
    }
    tried.push(`adapter: ${adapterName(adapter!)}`);
    // jax-js' WebGPU backend reads navigator.gpu and the GPU* constants as globals.
    for (const [k, v] of Object.entries(dawn!.globals)) {
      if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
    }
    (nav.navigator as { gpu?: GpuLike }).gpu = gpu;
  }
  let devices: jax.Device[];
  try {
    devices = await withTimeout(jax.init("webgpu"), timeoutMs, 'jax.init("webgpu")');
  } catch (e) {
    tried.push(`jax.init("webgpu"): threw (${e instanceof Error ? e.message : String(e)})`);
    return fail("jax-js could not start its WebGPU backend");
  }
  if (!devices.includes("webgpu")) {
    tried.push('jax.init("webgpu"): no webgpu backend (requestDevice failed; jax-js logs the error above)');
    fail("jax-js could not open a WebGPU device on the adapter");
  }
  tried.push('jax.init("webgpu"): ok');
  try {
    const x = jax.numpy.array([1, 2, 3], { device: "webgpu" });
    const y = (await withTimeout(jax.numpy.add(x, 1).data(), timeoutMs, "smoke test")) as Float32Array;
    if (!(y[0] === 2 && y[1] === 3 && y[2] === 4)) throw new Error(`got [${Array.from(y).join(", ")}]`);
  } catch (e) {
    tried.push(`smoke test [1,2,3]+1 on webgpu: failed (${e instanceof Error ? e.message : String(e)})`);
    fail("jax-js' WebGPU backend gives wrong results or does not answer on this adapter");
  }
  tried.push("smoke test [1,2,3]+1 on webgpu: ok");
  const adapter = tried.find((t) => t.startsWith("adapter: "))?.slice(9) ?? "navigator.gpu";
  return { tried, adapter };
}

export interface InitDeviceOptions {
  /** host facts (tests inject fakes); default: the real Node host */
  host?: WebGpuHost;
  /** time limit for each WebGPU step that waits on the driver, ms (default 20000) */
  timeoutMs?: number;
}

const choices = new Map<DeviceRequest, Promise<DeviceChoice>>();

/**
 * Initialise jax-js on the requested device and make it jax-js' default device. `webgpu` throws
 * DeviceUnavailableError (bad input, exit 2) when WebGPU cannot be used; `auto` falls back to wasm and
 * says why in `fallbackReason`. Memoised per request (one process, one device).
 */
export function initDevice(request: DeviceRequest, opts: InitDeviceOptions = {}): Promise<DeviceChoice> {
  const cached = opts.host ? undefined : choices.get(request);
  if (cached) return cached;
  const p = selectDevice(request, opts);
  if (!opts.host) choices.set(request, p);
  return p;
}

async function selectDevice(request: DeviceRequest, opts: InitDeviceOptions): Promise<DeviceChoice> {
  await initJax();
  if (request === "wasm") {
    jax.defaultDevice("wasm");
    return { requested: request, used: "wasm", fallbackReason: null, adapter: null, tried: ["wasm"] };
  }
  try {
    const { tried, adapter } = await probeWebGpu(opts.host, opts.timeoutMs ?? 20000);
    jax.defaultDevice("webgpu");
    return { requested: request, used: "webgpu", fallbackReason: null, adapter, tried };
  } catch (e) {
    if (!(e instanceof ProbeFailure)) throw e;
    if (request === "webgpu") throw new DeviceUnavailableError(request, e.tried, e.reason);
    jax.defaultDevice("wasm");
    return {
      requested: request,
      used: "wasm",
      fallbackReason: `webgpu unavailable: ${e.reason} [tried: ${e.tried.join("; ")}]`,
      adapter: null,
      tried: [...e.tried, "wasm (fallback)"],
    };
  }
}

/** The device record written into results (snake_case, as the CLI's JSON). */
export function deviceRecord(c: DeviceChoice) {
  return { requested: c.requested, used: c.used, fallback_reason: c.fallbackReason, adapter: c.adapter };
}
