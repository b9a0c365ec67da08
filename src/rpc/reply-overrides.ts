import type { ActionName } from '../ocpp/catalogue.js';
import type { ReplyOverride } from './port.js';

/**
 * Scripted answers waiting for the next incoming CALLs, per action, first in first out. The one
 * implementation behind RpcEndpoint.overrideNext and CsmsSession.overrideNext.
 */
export class ReplyOverrides {
  private readonly byAction = new Map<string, ReplyOverride[]>();

  /** Queues `reply` for the next CALL of `action`; the returned function withdraws it if unused. */
  add(action: ActionName, reply: ReplyOverride): () => void {
    const list = this.byAction.get(action) ?? [];
    // a copy, so the same object queued twice is withdrawn once per cancel
    const entry = { ...reply };
    list.push(entry);
    this.byAction.set(action, list);
    return () => {
      const i = list.indexOf(entry);
      if (i >= 0) list.splice(i, 1);
    };
  }

  /** Takes the next override for `action`, if any. */
  take(action: ActionName): ReplyOverride | undefined {
    return this.byAction.get(action)?.shift();
  }

}
