/**
 * A typed listener registry: `on(event, fn)` returns an unsubscribe function. Listener errors are
 * not caught here; subscribers (reporters, checkers) must not throw into the transport.
 */
export type EventMap = Record<string, (...args: never[]) => void>;

export class Listeners<E extends EventMap> {
  private readonly sets = new Map<keyof E, Set<E[keyof E]>>();

  on<K extends keyof E>(event: K, fn: E[K]): () => void {
    let set = this.sets.get(event);
    if (!set) {
      set = new Set();
      this.sets.set(event, set);
    }
    set.add(fn);
    return () => {
      set.delete(fn);
    };
  }

  emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void {
    const set = this.sets.get(event);
    if (!set) return;
    for (const fn of [...set]) (fn as (...a: Parameters<E[K]>) => void)(...args);
  }

  count<K extends keyof E>(event: K): number {
    return this.sets.get(event)?.size ?? 0;
  }
}
