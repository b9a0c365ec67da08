import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ChargecheckError } from '../errors.js';

/**
 * Writes one report file into the output directory (created if missing) and returns its path.
 * A failure to write is REPORT_WRITE_FAILED with the path, never a bare fs error.
 */
export async function writeReportFile(outDir: string, fileName: string, content: string): Promise<string> {
  const path = resolve(join(outDir, fileName));
  try {
    await mkdir(resolve(outDir), { recursive: true });
    await writeFile(path, content, 'utf8');
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ChargecheckError('REPORT_WRITE_FAILED', `could not write ${path}: ${reason}`, { path }, { cause });
  }
  return path;
}
