import { createWriteStream, type WriteStream } from 'node:fs';
import type { FrameEvent, FrameListener } from './frames.js';

export interface TraceWriter {
  readonly listener: FrameListener;
  close(): Promise<void>;
}

/**
 * Writes every frame event as one JSON line (`--trace FILE`):
 * {"connection","direction","wallTime","clockTime","raw","problem"?}. The parsed frame is left
 * out: `raw` is the exact text, and a reader can parse it again.
 */
export function createTraceWriter(path: string): TraceWriter {
  const out: WriteStream = createWriteStream(path, { flags: 'a' });
  const listener = (e: FrameEvent) => {
    const line: Record<string, unknown> = {
      connection: e.connection,
      direction: e.direction,
      wallTime: new Date(e.wallTime).toISOString(),
      clockTime: new Date(e.clockTime).toISOString(),
      raw: e.raw,
    };
    if (e.problem) line.problem = e.problem;
    out.write(JSON.stringify(line) + '\n');
  };
  return {
    listener,
    close: () => new Promise<void>((resolve) => out.end(resolve)),
  };
}
