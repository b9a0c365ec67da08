/**
 * The one line a live terminal redraws ("waiting for MeterValues — 42 s left"). Any ordinary output
 * first clears it, so progress lines never end up glued to a stale "waiting" text.
 */
export class LiveLine {
  private shown = false;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  /** Replaces the live line with `text` (no newline). */
  draw(text: string): void {
    this.stream.write(`\r\x1b[2K${text}`);
    this.shown = true;
  }

  /** Removes the live line if one is shown. */
  clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
