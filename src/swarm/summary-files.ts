import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ChargecheckError } from '../errors.js';
import { assertSummary, mergeSummaries, type SwarmSummary } from './summary.js';
import { renderSummaryHtml } from './summary-html.js';

export const SUMMARY_FILE = 'summary.json';
export const SUMMARY_HTML = 'summary.html';

/** Writes DIR/summary.json and DIR/summary.html (creating DIR); returns their paths. */
export async function writeSummaryFiles(outDir: string, summary: SwarmSummary): Promise<{ json: string; html: string }> {
  await mkdir(outDir, { recursive: true });
  const json = join(outDir, SUMMARY_FILE);
  const html = join(outDir, SUMMARY_HTML);
  await writeFile(json, `${JSON.stringify(summary, null, 2)}\n`);
  await writeFile(html, renderSummaryHtml(summary));
  return { json, html };
}

/**
 * The summary files a path stands for: a summary.json file itself, DIR/summary.json, or, for a
 * directory without one (a shared volume of shard folders), every DIR/<sub>/summary.json.
 */
export async function findSummaryFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new ChargecheckError('SWARM_NO_SUMMARY', `${path} does not exist`, { path });
  if (info.isFile()) return [path];
  const direct = join(path, SUMMARY_FILE);
  if (await isFile(direct)) return [direct];
  const found: string[] = [];
  for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    const candidate = join(path, entry.name, SUMMARY_FILE);
    if (await isFile(candidate)) found.push(candidate);
  }
  if (found.length === 0) throw new ChargecheckError('SWARM_NO_SUMMARY', `no ${SUMMARY_FILE} in ${path} or its subdirectories`, { path });
  return found;
}

export async function readSummaryFile(file: string): Promise<SwarmSummary> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ChargecheckError('SWARM_BAD_SUMMARY', `${file}: ${err instanceof Error ? err.message : String(err)}`, { source: file }, { cause: err });
  }
  assertSummary(parsed, file);
  return parsed;
}

/**
 * `chargecheck report merge DIR… --out OUT`: reads every shard summary under the given paths,
 * merges them exactly, writes OUT/summary.json and OUT/summary.html, and returns the merge.
 */
export async function mergeSummaryDirs(paths: readonly string[], outDir: string): Promise<SwarmSummary> {
  const files: string[] = [];
  for (const p of paths) files.push(...(await findSummaryFiles(p)));
  const summaries: SwarmSummary[] = [];
  for (const f of [...new Set(files)]) summaries.push(await readSummaryFile(f));
  const merged = mergeSummaries(summaries);
  await writeSummaryFiles(outDir, merged);
  return merged;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
