/** A min-heap of timers ordered by due time, then by insertion order (stable). */
export interface QueuedTimer {
  due: number;
  seq: number;
  fn: () => void;
  period: number; // 0 for one-shot
  cancelled: boolean;
}

export class TimerQueue {
  private heap: QueuedTimer[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(t: QueuedTimer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  /** The earliest live timer, dropping cancelled ones on the way. */
  peek(): QueuedTimer | undefined {
    while (this.heap.length && this.heap[0].cancelled) this.pop();
    return this.heap[0];
  }

  pop(): QueuedTimer | undefined {
    const h = this.heap;
    if (!h.length) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

function before(a: QueuedTimer, b: QueuedTimer): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}
