import type { Clock, Timer } from '../clock/clock.js';
import type { CsmsSession } from './session.js';
import { setChargePointMax, setTransactionLimit, triggerMessage } from './platform.js';

/** When the platform acts during a session (ms after StartTransaction), and with what. */
export const PLATFORM_SESSION_ACTS = { offAfterMs: 60_000, onAfterMs: 240_000, onLimitW: 7_000, capAfterMs: 270_000, capW: 3_680 } as const;

/**
 * The platform's own acts besides configuring after boot (`csms --platform-acts`): after a
 * charger's first accepted boot it triggers StatusNotification and BootNotification; a minute into
 * each transaction it switches charging off (TxProfile limit 0), three minutes later on again at
 * 7 kW, and 30 s after that caps the charger with a ChargePointMaxProfile of 3680 W. With it the
 * built-in CSMS stands in for staging with `actsOnItsOwn` (nothing to hook).
 */
export function actLikeThePlatform(session: CsmsSession, clock: Clock, everBooted: Set<string>): void {
  const timers = new Map<number, Timer[]>();
  const quietly = (p: Promise<unknown>): void => void p.catch(() => {});
  session.subscribe({
    boot: (_boot, status) => {
      if (status !== 'Accepted' || everBooted.has(session.chargePointId)) return;
      everBooted.add(session.chargePointId);
      // after the configuration pair (sent in the same turn), so the triggers queue behind it
      queueMicrotask(() => {
        quietly(triggerMessage(session, 'StatusNotification').then(() => triggerMessage(session, 'BootNotification')));
      });
    },
    transaction: (tx, phase) => {
      if (phase === 'started') {
        const a = PLATFORM_SESSION_ACTS;
        timers.set(tx.id, [
          clock.setTimeout(() => quietly(setTransactionLimit(session, tx.connectorId, 0, 'W', tx.id)), a.offAfterMs),
          clock.setTimeout(() => quietly(setTransactionLimit(session, tx.connectorId, a.onLimitW, 'W', tx.id)), a.onAfterMs),
          clock.setTimeout(() => quietly(setChargePointMax(session, a.capW)), a.capAfterMs),
        ]);
      } else if (phase === 'stopped') {
        timers.get(tx.id)?.forEach((t) => t.cancel());
        timers.delete(tx.id);
      }
    },
    closed: () => {
      for (const list of timers.values()) list.forEach((t) => t.cancel());
      timers.clear();
    },
  });
}
