import { open } from 'node:fs/promises';

/** The largest scenario file chargecheck reads (1 MiB; the shipped ones are under 10 KiB). */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

/**
 * Reads at most `limit` bytes of a file as UTF-8; `undefined` when it holds more. Reads in chunks
 * without trusting the size `stat` reports, so a FIFO or /dev/zero cannot make it read forever.
 */
export async function readLimited(path: string, limit: number): Promise<string | undefined> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(Math.min(limit + 1, 64 * 1024));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) return undefined;
      chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await handle.close();
  }
}
