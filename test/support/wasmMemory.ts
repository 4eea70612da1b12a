/**
 * Capture every WebAssembly.Memory created from now on (jax-js keeps its arrays in one, with a bump
 * allocator and size-class free lists, so a leak shows as growth of its size). Call before jax-js loads:
 * the leak tests import jax-js code dynamically, and each vitest file runs in its own process.
 */
export function captureWasmMemory(): () => number {
  const memories: WebAssembly.Memory[] = [];
  const Original = WebAssembly.Memory;
  (WebAssembly as { Memory: unknown }).Memory = new Proxy(Original, {
    construct(target, args: [WebAssembly.MemoryDescriptor]) {
      const m = new target(...args);
      memories.push(m);
      return m;
    },
  });
  return () => memories.reduce((s, m) => s + m.buffer.byteLength, 0);
}
