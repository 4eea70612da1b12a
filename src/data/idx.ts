/**
 * IDX files (LeCun's MNIST format), optionally gzipped: a 4-byte magic `0x00 0x00 <type> <ndim>`, then
 * ndim big-endian uint32 sizes, then the data in row-major order. Only unsigned bytes (type 0x08) are
 * accepted, as in MNIST. Every check failure is a `DataError` naming the file and what is wrong.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** A corrupt, truncated or missing data file (the CLI turns it into exit 2). */
export class DataError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = "DataError";
  }
}

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Read a file, gunzipping it when it starts with the gzip magic 1f 8b. */
export function readMaybeGzip(path: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    throw new DataError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return new Uint8Array(gunzipSync(raw));
    } catch (e) {
      throw new DataError(path, `corrupt or truncated gzip stream (${(e as Error).message})`);
    }
  }
  return new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
}

/** Parse IDX bytes; `expectNdim` checks the number of dimensions (3 for images, 1 for labels). */
export function parseIdx(bytes: Uint8Array, file: string, expectNdim?: number): IdxArray {
  if (bytes.length < 4) throw new DataError(file, `too short for an IDX header (${bytes.length} bytes)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataError(file, `bad IDX magic number 0x${hex(bytes, 0, 4)} (must start 0x0000)`);
  }
  const type = bytes[2];
  const ndim = bytes[3];
  if (type !== 0x08)
    throw new DataError(file, `IDX data type 0x${type.toString(16)} is not unsigned byte (0x08)`);
  if (expectNdim !== undefined && ndim !== expectNdim) {
    throw new DataError(file, `IDX file has ${ndim} dimensions, expected ${expectNdim}`);
  }
  const head = 4 + 4 * ndim;
  if (bytes.length < head)
    throw new DataError(file, `truncated IDX header (${bytes.length} of ${head} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const n = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - head < n) {
    throw new DataError(
      file,
      `truncated: header promises ${dims.join("×")} = ${n} bytes of data, file has ${bytes.length - head}`,
    );
  }
  if (bytes.length - head > n) {
    throw new DataError(
      file,
      `${bytes.length - head - n} unexpected trailing bytes after ${dims.join("×")} values`,
    );
  }
  return { dims, data: bytes.subarray(head, head + n) };
}

/** Read and parse one IDX file (gzipped or not). */
export function readIdx(path: string, expectNdim?: number): IdxArray {
  return parseIdx(readMaybeGzip(path), path, expectNdim);
}

/** Encode an IDX file of unsigned bytes (used by tests and to write subsets). */
export function encodeIdx(dims: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out[2] = 0x08;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

function hex(b: Uint8Array, from: number, to: number): string {
  return Array.from(b.subarray(from, to), (x) => x.toString(16).padStart(2, "0")).join("");
}
