import type { FrameEvent } from '../rpc/frames.js';
import type { FrameLog, ObservedFrame, Side } from '../scenario/context.js';

/**
 * The scenario's frames, append-only, recorded at one end of the link. `local` is the side whose
 * endpoint publishes the events: its `out` frames were sent by it, its `in` frames by the peer.
 */
export class RecordingFrameLog implements FrameLog {
  private readonly frames: ObservedFrame[] = [];
  private readonly listeners = new Set<(f: ObservedFrame) => void>();

  constructor(private readonly local: Side) {}

  readonly record = (event: FrameEvent): void => {
    const sender: Side = event.direction === 'out' ? this.local : this.local === 'chargepoint' ? 'csms' : 'chargepoint';
    const frame: ObservedFrame = { ...event, sender };
    this.frames.push(frame);
    for (const l of this.listeners) l(frame);
  };

  list(): readonly ObservedFrame[] {
    return this.frames;
  }

  subscribe(listener: (frame: ObservedFrame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
