import type { Clock } from '../clock/clock.js';
import { isQuirkName, type QuirkName } from '../chargepoint/quirks.js';
import type { Csms } from '../csms/csms.js';
import { ChargecheckError } from '../errors.js';
import { ChargerHost } from '../host/charger-host.js';
import type { ChargePointErrorCode } from '../ocpp/types.js';
import type { TimelinePoint } from '../results/model.js';
import type { ActsPort, RunTime, StepContext } from '../scenario/context.js';
import type { TlsOffer } from '../transport/tls-connect.js';
import type { Scenario } from '../scenario/model.js';
import { outcomeOf } from './call-outcome.js';
import { RecordingFrameLog } from './frame-log.js';

export interface ChargerContextOptions {
  scenario: Scenario;
  chargePointId: string;
  clock: Clock;
  time: RunTime;
  csmsUrl: string;
  password?: string;
  ca?: string | readonly string[];
  /** The charger's TLS ClientHello (run against an external CSMS: the platform's policy). */
  tls?: TlsOffer;
  /** How CSMS acts come about (docs/acts.md); absent = the built-in CSMS performs them. */
  peerActs?: ActsPort;
  /** The built-in CSMS when it runs in this process (lets `csmsCall` and CSMS reply overrides work). */
  builtIn?: Csms;
}

export interface ChargerContext {
  readonly ctx: StepContext;
  readonly host: ChargerHost;
  close(): void;
}

/**
 * A StepContext for role `chargepoint`: chargecheck's virtual charger (over real WSS) against a
 * CSMS under test. Frames are recorded at the charger's end; CSMS-side acts need the built-in CSMS.
 */
export function createChargerContext(options: ChargerContextOptions): ChargerContext {
  const { scenario, chargePointId, clock } = options;
  const setup = scenario.charger;
  const quirks = setup.quirks.filter(isQuirkName) as QuirkName[];
  const host = new ChargerHost({
    id: chargePointId,
    clock,
    csmsUrl: options.csmsUrl,
    authorizationKey: options.password,
    ca: options.ca,
    connectors: setup.connectors,
    identity: {
      ...(setup.vendor ? { vendor: setup.vendor } : {}),
      ...(setup.model ? { model: setup.model } : {}),
      ...(setup.serial ? { serialNumber: setup.serial } : {}),
      ...(setup.firmwareVersion ? { firmwareVersion: setup.firmwareVersion } : {}),
    },
    ev: setup.ev,
    config: { ...setup.configuration },
    quirks,
    drift: setup.clock ? { offsetMs: setup.clock.offsetMs, ppm: setup.clock.driftPpm } : undefined,
    syncClockFromCsms: setup.clock?.syncFromCsms ?? true,
    ...(options.tls ? { tls: options.tls } : {}),
  });
  const frames = new RecordingFrameLog('chargepoint');
  host.onFrame(frames.record);

  const timeline: TimelinePoint[] = [];
  const sample = (connectorId: number) => {
    timeline.push({ clockTime: clock.now(), connectorId, powerW: host.model.powerW(connectorId), limitW: host.model.limitW(connectorId), status: host.model.status(connectorId) });
  };
  host.model.on('meter', (e) => sample(e.connectorId));
  host.model.on('status', (e) => {
    if (e.connectorId > 0) sample(e.connectorId);
  });

  const csmsSession = () => options.builtIn?.session(chargePointId);

  const ctx: StepContext = {
    chargePointId,
    time: options.time,
    frames,
    timeline: () => timeline,
    ...(options.peerActs ? { peerActs: options.peerActs } : {}),
    charger: {
      connect: async () => {
        host.resume();
        host.start();
      },
      disconnect: async () => host.disconnect(),
      dropNetwork: async () => host.dropNetwork(),
      restoreNetwork: async () => host.restoreNetwork(),
      reboot: async () => host.model.reboot(),
      plug: async (c) => host.model.plug(c),
      unplug: async (c) => host.model.unplug(c),
      presentIdTag: (tag, c) => host.model.presentIdTag(tag, c),
      fault: async (c, code) => host.model.fault(c, code as ChargePointErrorCode),
      clearFault: async (c) => host.model.clearFault(c),
      setEv: async (c, ev) => host.model.setEv(c, ev),
      status: (c) => host.model.status(c),
      powerW: (c) => host.model.powerW(c),
      energyWh: (c) => host.model.energyWh(c),
      configuration: async (key) => host.model.configuration.get(key),
    },
    messaging: {
      call: (from, action, payload, callOptions) => {
        if (from === 'chargepoint') {
          const endpoint = host.endpoint;
          if (!endpoint) throw new ChargecheckError('RPC_CLOSED', `${chargePointId} is not connected`, { action });
          return outcomeOf(endpoint.call(action, payload as never, callOptions));
        }
        const session = csmsSession();
        if (!session) throw new ChargecheckError('SCENARIO_UNSUPPORTED', 'CSMS-side calls need the built-in CSMS (run without --csms)', { action });
        return outcomeOf(session.call(action, payload as never, callOptions));
      },
      overrideNextReply: (replier, action, reply) => {
        if (replier === 'chargepoint') {
          const endpoint = host.endpoint;
          if (!endpoint) throw new ChargecheckError('RPC_CLOSED', `${chargePointId} is not connected`, { action });
          return endpoint.overrideNext(action, reply);
        }
        if (!options.builtIn) throw new ChargecheckError('SCENARIO_UNSUPPORTED', 'CSMS reply overrides need the built-in CSMS (run without --csms)', { action });
        return options.builtIn.overrideNextReply(chargePointId, action, reply);
      },
    },
  };
  return {
    ctx,
    host,
    close: () => {
      host.stop();
    },
  };
}
