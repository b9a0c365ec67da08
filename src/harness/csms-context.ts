import type { Csms } from '../csms/csms.js';
import type { CsmsSession } from '../csms/session.js';
import { ChargecheckError } from '../errors.js';
import type { RunTime, StepContext } from '../scenario/context.js';
import { outcomeOf } from './call-outcome.js';
import type { CertifyRecorder } from './certify-recorder.js';
import type { DeviceAct, ActName, ChargerUnderTest } from './charger-under-test.js';
import { RecordingFrameLog } from './frame-log.js';
import type { FrameEvent } from '../rpc/frames.js';

export interface CsmsContextOptions {
  chargePointId: string;
  scenarioName: string;
  time: RunTime;
  csms: Csms;
  charger: ChargerUnderTest;
  recorder: CertifyRecorder;
  /** Frames recorded before this scenario began that its steps may still match (the charger's first connection). */
  seed?: readonly FrameEvent[];
}

/**
 * A StepContext for role `csms`: chargecheck is the platform, the charger is under test. Frames
 * are recorded at the CSMS; physical acts go to the charger under test (done by the harness for
 * our own charger, asked of the operator for a real one) and are recorded for the checks.
 */
export function createCsmsContext(o: CsmsContextOptions): { ctx: StepContext; close(): void } {
  const frames = new RecordingFrameLog('csms');
  for (const f of o.seed ?? []) frames.record(f);
  const detach = o.recorder.onFrame(frames.record);
  const session = (): CsmsSession | undefined => {
    const s = o.csms.session(o.chargePointId);
    return s?.isOpen ? s : undefined;
  };

  const act = async (kind: ActName, connector?: number, detail?: Record<string, unknown>) => {
    const a: DeviceAct = { kind, connector, detail };
    const startedAt = o.time.clock.now();
    const res = await o.charger.perform(a);
    const out = typeof res === 'boolean' ? { done: res } : res;
    const { done, ...how } = out;
    o.recorder.act({ kind, connector, detail, outcome: done ? 'done' : 'skipped', scenario: o.scenarioName, ...how }, startedAt);
    if (!done) throw new ChargecheckError('CERTIFY_NEEDS_OPERATOR', `needs an operator: ${kind}${connector ? ` on connector ${connector}` : ''} was not done${out.note ? ` (${out.note})` : ''}`, { act: kind });
  };
  const lastMeter = (c: number, pick: 'powerW' | 'energyWh') => {
    const txs = session()?.transactions().filter((t) => t.connectorId === c) ?? [];
    const readings = txs.flatMap((t) => t.readings).filter((r) => r[pick] !== undefined);
    return readings.length ? readings[readings.length - 1][pick] : undefined;
  };

  const ctx: StepContext = {
    chargePointId: o.chargePointId,
    time: o.time,
    frames,
    charger: {
      connect: () => o.charger.connect(session()),
      // Playing the CSMS, a clean disconnect is ours to make: close the WebSocket (1000).
      disconnect: async () => session()?.endpoint.close(1000, 'closed by the CSMS'),
      dropNetwork: () => act('dropNetwork'),
      restoreNetwork: () => act('restoreNetwork'),
      reboot: (kind) => act('reboot', undefined, { type: kind }),
      plug: (c) => act('plug', c),
      unplug: (c) => act('unplug', c),
      presentIdTag: (tag, c) => act('presentIdTag', c, { tag }),
      fault: (c, errorCode, info) => act('fault', c, { errorCode, ...(info ? { info } : {}) }),
      clearFault: (c) => act('clearFault', c),
      setEv: (c, ev) => act('setEv', c, { ...ev }),
      status: (c) => o.charger.status?.(c) ?? session()?.connectors.get(c)?.status,
      powerW: (c) => o.charger.powerW?.(c) ?? lastMeter(c, 'powerW'),
      energyWh: (c) => o.charger.energyWh?.(c) ?? lastMeter(c, 'energyWh'),
      configuration: async (key) => {
        const s = session();
        if (!s) return undefined;
        const res = await s.call('GetConfiguration', { key: [key] });
        return res.configurationKey?.find((k) => k.key.toLowerCase() === key.toLowerCase())?.value;
      },
    },
    messaging: {
      call: (from, action, payload, callOptions) => {
        if (from === 'chargepoint') throw new ChargecheckError('SCENARIO_UNSUPPORTED', 'in certify chargecheck plays the CSMS; the charger sends its own calls', { action });
        const s = session();
        if (!s) throw new ChargecheckError('RPC_CLOSED', `${o.chargePointId} is not connected`, { action });
        return outcomeOf(s.call(action, payload as never, callOptions));
      },
      overrideNextReply: (replier, action, reply) => {
        if (replier === 'chargepoint') throw new ChargecheckError('SCENARIO_UNSUPPORTED', 'in certify only the CSMS side can be scripted', { action });
        return o.csms.overrideNextReply(o.chargePointId, action, reply);
      },
    },
  };
  return {
    ctx,
    close: () => {
      detach();
      o.csms.forgetScriptedReplies(o.chargePointId);
    },
  };
}
