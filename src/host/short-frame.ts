import type { FrameEvent } from '../rpc/frames.js';

/** One line per frame for a console: `→ BootNotification {…}` / `← result {…}` / `← error Code`. */
export function shortFrame(e: FrameEvent, max = 120): string {
  const arrow = e.direction === 'out' ? '→' : '←';
  const f = e.frame;
  let body: string;
  if (!f) body = `(bad frame: ${e.problem ?? 'unreadable'}) ${e.raw}`;
  else if (f[0] === 2) body = `${f[2]} ${JSON.stringify(f[3])}`;
  else if (f[0] === 3) body = `result ${JSON.stringify(f[2])}`;
  else body = `error ${f[2]} ${f[3]}`;
  return `${arrow} ${body.length > max ? body.slice(0, max - 1) + '…' : body}`;
}
