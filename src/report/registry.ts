import { ChargecheckError } from '../errors.js';
import { closest } from '../did-you-mean.js';
import { createHtmlReporter } from './html/html-reporter.js';
import { createJsonReporter } from './json/json-reporter.js';
import { createJunitReporter } from './junit/junit-reporter.js';
import type { Reporter } from '../results/model.js';
import { createTerminalReporter } from './terminal/terminal-reporter.js';

/** What `createReporters` needs; the CLI fills it from `--reporter`, `--out`, the TTY and `CI`. */
export interface ReporterOptions {
  /** Directory for report.json, junit.xml and report.html; required by those reporters. */
  readonly outDir?: string;
  /** Terminal output; default process.stdout. */
  readonly stream?: NodeJS.WritableStream;
  /** Default: the stream is a TTY and NO_COLOR is not set. */
  readonly color?: boolean;
  /** Redraw a waiting line. Default: the stream is a TTY and CI is not set. */
  readonly live?: boolean;
}

interface ResolvedOptions {
  readonly outDir: string | undefined;
  readonly stream: NodeJS.WritableStream;
  readonly color: boolean;
  readonly live: boolean;
}

type Factory = (o: ResolvedOptions, name: string) => Reporter;

function requireOutDir(o: ResolvedOptions, name: string): string {
  if (o.outDir === undefined || o.outDir === '') {
    throw new ChargecheckError('REPORT_OUT_DIR_REQUIRED', `the ${name} reporter writes a file: give an output directory (--out DIR)`, { reporter: name });
  }
  return o.outDir;
}

/** The name → reporter registry (`--reporter terminal,json,junit,html`). */
const REGISTRY: Readonly<Record<string, Factory>> = {
  terminal: (o) => createTerminalReporter({ stream: o.stream, color: o.color, live: o.live }),
  json: (o, name) => createJsonReporter({ outDir: requireOutDir(o, name) }),
  junit: (o, name) => createJunitReporter({ outDir: requireOutDir(o, name) }),
  html: (o, name) => createHtmlReporter({ outDir: requireOutDir(o, name) }),
};

export const REPORTER_NAMES: readonly string[] = Object.keys(REGISTRY);

function resolve(options: ReporterOptions): ResolvedOptions {
  const stream = options.stream ?? process.stdout;
  const tty = (stream as { isTTY?: boolean }).isTTY === true;
  const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  return { outDir: options.outDir, stream, color: options.color ?? (tty && !noColor), live: options.live ?? (tty && !ci) };
}

/**
 * Reporters by name, in the order given. Names may also come comma-separated in one string
 * (`['terminal,json']`); duplicates are created once. An unknown name is REPORT_UNKNOWN_REPORTER
 * (details: name, known, suggestion).
 */
export function createReporters(names: readonly string[], options: ReporterOptions = {}): Reporter[] {
  const wanted = [...new Set(names.flatMap((n) => n.split(',')).map((n) => n.trim()).filter((n) => n !== ''))];
  for (const name of wanted) {
    if (!Object.hasOwn(REGISTRY, name)) {
      const suggestion = closest(name, REPORTER_NAMES);
      const hint = suggestion !== undefined ? ` — did you mean "${suggestion}"?` : '';
      throw new ChargecheckError(
        'REPORT_UNKNOWN_REPORTER',
        `unknown reporter "${name}"${hint} (known: ${REPORTER_NAMES.join(', ')})`,
        { name, known: REPORTER_NAMES, ...(suggestion !== undefined ? { suggestion } : {}) },
      );
    }
  }
  const resolved = resolve(options);
  return wanted.map((name) => REGISTRY[name](resolved, name));
}
