/**
 * A file could not be written (disk full, quota, I/O error, permission lost after the early check).
 * The CLI prints its one-line message and exits 1 without a stack trace (src/cli/common.ts `action`):
 * it is not bad input, but nothing the user can learn from a stack either. The writer guarantees that
 * nothing was left under the final name, and the message says so.
 */
export class FileWriteError extends Error {
  constructor(
    /** the final path that was not written */
    readonly path: string,
    /** the errno code (ENOSPC, EDQUOT, EIO, …) */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "FileWriteError";
  }
}
