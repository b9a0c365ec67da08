/**
 * certify --profile ocpp16 against a charge point that is not ours: "ACME Wallbox" (ocpp-rpc's
 * RPCClient, strict OCPP 1.6, real WSS + Basic auth to the certify listener, firmware timers on the
 * certify VirtualClock). Each case's verdict follows from what ACME implements (boot with retries,
 * configuration, TriggerMessage, TxProfile) and what it does not (RemoteStop, GetCompositeSchedule,
 * local lists, reservations, firmware status, the security whitepaper): at least one case per profile.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/virtual.js';
import { certify } from '../src/harness/certify.js';
import type { CaseVerdict, RunResult } from '../src/results/model.js';
import { AcmeWallbox } from './fixtures/certify/acme-wallbox.js';

const EXPECTED: Record<string, CaseVerdict['verdict']> = {
  TC_001_CS: 'pass', // Core: Rejected boot retried after the interval, then Available and heartbeats
  TC_021_CS: 'pass', // Core: MeterValueSampleInterval stored and reported (ACME only ignores it when sampling)
  TC_012_CS: 'fail', // Core: RemoteStopTransaction is not implemented (CALLERROR NotImplemented)
  TC_042_2_CS: 'fail', // Local Auth List: GetLocalListVersion not implemented
  TC_044_1_CS: 'fail', // Firmware: UpdateFirmware answered, then no FirmwareStatusNotification
  TC_046_1_CS: 'fail', // Reservation: ReserveNow not implemented
  TC_054_CS: 'fail', // Remote Trigger: DiagnosticsStatusNotification / FirmwareStatusNotification triggers are NotImplemented
  TC_055_CS: 'fail', // Remote Trigger: a trigger for connector 9 is Accepted
  TC_058_1_CS: 'pass', // Smart Charging: TxProfile without a transaction Rejected
  TC_057_CS: 'fail', // Smart Charging: TxProfile obeyed, but GetCompositeSchedule not implemented
  TC_075_1_CS: 'fail', // Security: InstallCertificate not implemented
  TC_085_CS: 'pass', // Security: Basic auth on the upgrade
  TC_086_CS: 'pass', // Security: TLS against the listener's certificate
};

const grep = `^(${Object.keys(EXPECTED).join('|')})\\b`;
let all: RunResult;
let declared: RunResult;
const verdicts = (r: RunResult) => Object.fromEntries((r.cases ?? []).map((c) => [c.id, c.verdict]));
const evidence = (r: RunResult, id: string) => (r.cases ?? []).find((c) => c.id === id)!.evidence.map((e) => e.text).join('\n');

beforeAll(async () => {
  all = await certify({ profile: 'ocpp16', grep, charger: (t) => new AcmeWallbox(t), clock: new VirtualClock(Date.UTC(2026, 2, 2, 9, 0, 0), { stuckMs: 2_000 }) });
  declared = await certify({
    profile: 'ocpp16',
    grep: '^TC_(001|042_1|042_2|044_1|046_1|054|058_1)_CS\\b',
    profiles: ['Core', 'RemoteTrigger', 'SmartCharging'],
    charger: (t) => new AcmeWallbox(t),
    clock: new VirtualClock(Date.UTC(2026, 2, 2, 9, 0, 0), { stuckMs: 2_000 }),
  });
}, 120_000);

describe('certify --profile ocpp16 an ocpp-rpc charge point (ACME Wallbox)', () => {
  it('gives each case the verdict its behaviour deserves, at least one per profile', () => {
    expect(verdicts(all)).toEqual(EXPECTED);
    const profiles = new Set((all.cases ?? []).map((c) => c.profile));
    expect(profiles.size).toBe(7);
    expect(all.exitCode).toBe(1);
  });

  it('explains a failure by the failing step and what ACME answered', () => {
    expect(evidence(all, 'TC_012_CS')).toMatch(/RemoteStopTransaction/);
    expect(evidence(all, 'TC_012_CS')).toMatch(/NotImplemented/);
    expect(evidence(all, 'TC_055_CS')).toMatch(/expected "Rejected", got "Accepted"/);
  });

  it('with --profiles core,trigger,smart the other profiles are not applicable, and the local-list "not supported" case runs', () => {
    expect(verdicts(declared)).toEqual({
      TC_001_CS: 'pass',
      TC_042_1_CS: 'fail', // no local list declared: GetLocalListVersion must answer -1; ACME answers NotImplemented
      TC_042_2_CS: 'not-applicable',
      TC_044_1_CS: 'not-applicable',
      TC_046_1_CS: 'not-applicable',
      TC_054_CS: 'fail',
      TC_058_1_CS: 'pass',
    });
  });
});
