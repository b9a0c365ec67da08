import { describe, expect, it } from 'vitest';
import { CHECKS, evaluate } from '../src/conformance/evaluate.js';
import type { CertificationRecord } from '../src/conformance/record.js';
import { PLATFORM_16J } from '../src/conformance/requirements.js';
import { goodSession, SessionBuilder } from './conformance.builder.js';

function verdictOf(record: CertificationRecord, id: string) {
  const r = CHECKS[id](record);
  return { verdict: r.verdict, text: r.evidence.map((e) => e.text).join('\n'), evidence: r.evidence };
}

const EMPTY: CertificationRecord = new SessionBuilder().build();

describe('evaluate', () => {
  it('answers every requirement in catalogue order', () => {
    const out = evaluate(goodSession().build());
    expect(out.map((v) => v.id)).toEqual(PLATFORM_16J.map((r) => r.id));
    expect(out.every((v) => v.evidence.length > 0)).toBe(true);
  });

  it('a conformant session passes every check that has evidence', () => {
    const out = Object.fromEntries(evaluate(goodSession().build()).map((v) => [v.id, v.verdict]));
    for (const id of PLATFORM_16J.map((r) => r.id)) {
      if (['PLT-FW-1', 'PLT-NF-1'].includes(id)) expect(out[id]).toBe('not-tested');
      else if (id === 'PLT-SEC-3') expect(out[id]).toBe('not-applicable');
      else if (id === 'PLT-NF-2') expect(out[id]).toBe('needs-operator');
      else expect([id, out[id]]).toEqual([id, 'pass']);
    }
  });

  it('never passes without evidence: an empty record is not-tested / not-applicable / needs-operator', () => {
    for (const v of evaluate(EMPTY)) expect(['not-tested', 'not-applicable', 'needs-operator']).toContain(v.verdict);
  });

  it('a covering scenario that ran without producing evidence fails; a skipped operator act needs the operator', () => {
    const ran = { ...EMPTY, scenarios: [{ name: 'fault', file: 'f.yaml', requirements: ['PLT-ST-4'], status: 'passed' as const, clockStart: 0, clockEnd: 1 }] };
    expect(verdictOf(ran, 'PLT-ST-4').verdict).toBe('fail');
    const skipped = { ...ran, acts: [{ kind: 'fault' as const, at: 0, outcome: 'skipped' as const, scenario: 'fault' }] };
    expect(verdictOf(skipped, 'PLT-ST-4')).toMatchObject({ verdict: 'needs-operator', text: expect.stringContaining("the operator step (fault) in 'fault' was not done") });
  });

  it('an unknown requirement id is not-tested', () => {
    expect(evaluate(EMPTY, [{ id: 'PLT-X', title: 'x', level: 'required', howChecked: '' }])[0].verdict).toBe('not-tested');
  });
});

describe('transport and security', () => {
  it('PLT-TLS-1 fails on a plain attempt and passes on wss only', () => {
    const good = goodSession().build();
    expect(verdictOf(good, 'PLT-TLS-1').text).toBe('1 connection(s), all over wss://; no plain ws:// attempt recorded');
    const plain = { ...good, tlsFailures: [{ kind: 'plain-http', code: 'ERR_SSL_HTTP_REQUEST', seenBy: 'listener' as const, at: Date.parse('2026-03-02T08:00:00Z') }] };
    expect(verdictOf(plain, 'PLT-TLS-1')).toMatchObject({ verdict: 'fail', text: expect.stringContaining('plain (non-TLS) connection attempt at 08:00:00: ERR_SSL_HTTP_REQUEST') });
    const ws = new SessionBuilder().connect({ secure: false, tls: undefined }).build();
    expect(verdictOf(ws, 'PLT-TLS-1')).toMatchObject({ verdict: 'fail', text: expect.stringContaining('used plain ws://') });
  });

  it('PLT-TLS-2 reports the suite and fails outside the policy', () => {
    expect(verdictOf(goodSession().build(), 'PLT-TLS-2').text).toContain('1× TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)');
    const tls13 = new SessionBuilder().connect({ tls: { version: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', standardName: 'TLS_AES_128_GCM_SHA256' } }).build();
    expect(verdictOf(tls13, 'PLT-TLS-2').verdict).toBe('fail');
    const refused = { ...EMPTY, tlsFailures: [{ kind: 'protocol-version', code: 'ERR_SSL_UNSUPPORTED_PROTOCOL', seenBy: 'listener' as const, at: 0 }] };
    expect(verdictOf(refused, 'PLT-TLS-2')).toMatchObject({ verdict: 'fail', text: expect.stringContaining('ERR_SSL_UNSUPPORTED_PROTOCOL (protocol-version)') });
  });

  it('PLT-SEC-2: Basic auth on every upgrade; 401s from the charger fail; the form is reported', () => {
    expect(verdictOf(goodSession().build(), 'PLT-SEC-2')).toMatchObject({ verdict: 'pass', text: expect.stringContaining('decoded from hex (spec form)') });
    const text = new SessionBuilder().connect({ authForm: 'text' }).build();
    expect(verdictOf(text, 'PLT-SEC-2').text).toContain('as text (common variant');
    const noAuth = { ...EMPTY, refusals: [{ status: 401, reason: 'missing-credentials' as const, id: 'CP001', path: '/ocpp/CP001', at: Date.parse('2026-03-02T08:00:00Z') }] };
    expect(verdictOf(noAuth, 'PLT-SEC-2')).toMatchObject({ verdict: 'fail', text: expect.stringContaining('upgrade at 08:00:00 refused 401 (missing-credentials)') });
    expect(verdictOf(new SessionBuilder().connect({ authForm: 'none' }).build(), 'PLT-SEC-2').verdict).toBe('fail');
  });

  it('PLT-SEC-3 is not applicable unless a trusted client certificate was presented', () => {
    expect(verdictOf(EMPTY, 'PLT-SEC-3')).toMatchObject({ verdict: 'not-applicable', text: 'announced; not required yet' });
    const cert = new SessionBuilder().connect({ clientCert: { presented: true, authorized: true, subject: 'O=Acme, CN=CP001', cn: 'CP001', cnMatchesId: true } }).build();
    expect(verdictOf(cert, 'PLT-SEC-3')).toMatchObject({ verdict: 'pass', text: expect.stringContaining('O=Acme, CN=CP001 (CN = charge point id)') });
  });

  it('PLT-TIME-1 measures the clock offset and reads certificate-validity failures', () => {
    expect(verdictOf(goodSession().build(), 'PLT-TIME-1').text).toContain('StatusNotification timestamps matches true time');
    const b = goodSession();
    const off = new SessionBuilder();
    off.clockOffsetMs = -6 * 3600_000;
    off.connect().charger('BootNotification', { chargePointVendor: 'A', chargePointModel: 'B' }, { status: 'Accepted', currentTime: off.ts(), interval: 300 }).status(0, 'Available');
    expect(verdictOf(off.build(), 'PLT-TIME-1')).toMatchObject({ verdict: 'fail', text: expect.stringContaining('6 h 0 min behind true time') });
    const cert = { ...b.build(), tlsFailures: [{ kind: 'server-certificate', code: 'TLS_CERT_NOT_YET_VALID', seenBy: 'charger' as const, at: Date.parse('2026-03-02T08:00:00Z') }] };
    expect(verdictOf(cert, 'PLT-TIME-1')).toMatchObject({ verdict: 'fail', text: expect.stringContaining("validity period (TLS_CERT_NOT_YET_VALID): the charger's clock is wrong") });
  });
});

describe('core, configuration and meter values', () => {
  it('PLT-CORE-1 fails on a Core call answered NotImplemented', () => {
    const b = goodSession();
    b.csms('GetConfiguration', {}, { error: 'NotImplemented' });
    expect(verdictOf(b.build(), 'PLT-CORE-1')).toMatchObject({ verdict: 'fail', text: expect.stringContaining('GetConfiguration answered CALLERROR NotImplemented: a Core call') });
  });

  it('PLT-CORE-2 / CFG-1 fail without power in the samples; MV-2 has nothing to compare', () => {
    const r = goodSession({ withPower: false }).build();
    expect(verdictOf(r, 'PLT-CORE-2')).toMatchObject({ verdict: 'fail', text: expect.stringContaining('carry neither Power.Active.Import nor Current.Import with Voltage') });
    expect(verdictOf(r, 'PLT-CFG-1')).toMatchObject({ verdict: 'fail', text: expect.stringContaining('lack Power.Active.Import') });
    expect(verdictOf(r, 'PLT-MV-2').verdict).not.toBe('pass');
  });

  it('PLT-CORE-2 accepts Current.Import with Voltage', () => {
    const b = new SessionBuilder().connect();
    b.charger('StartTransaction', { connectorId: 1, idTag: 'T', meterStart: 0, timestamp: b.ts() }, { transactionId: 7, idTagInfo: { status: 'Accepted' } });
    b.meter(7, 100, undefined, 'Sample.Periodic', [{ value: '16', measurand: 'Current.Import', unit: 'A', phase: 'L1' }, { value: '230', measurand: 'Voltage', unit: 'V', phase: 'L1-N' }]);
    expect(verdictOf(b.build(), 'PLT-CORE-2')).toMatchObject({ verdict: 'pass', text: 'all 1 sampled MeterValues in transaction(s) 7 carry Current.Import × Voltage' });
  });

  it('PLT-CFG-2 measures the interval', () => {
    expect(verdictOf(goodSession().build(), 'PLT-CFG-2').text).toContain('MeterValues every 60.0 s (n=11 intervals, max deviation 0.0 s)');
    const r = verdictOf(goodSession({ intervalS: 90 }).build(), 'PLT-CFG-2');
    expect(r).toMatchObject({ verdict: 'fail', text: expect.stringContaining('MeterValues every 90.0 s') });
    const b = goodSession();
    const rejected = new SessionBuilder().connect().csms('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '60' }, { status: 'Rejected' });
    expect(verdictOf(rejected.build(), 'PLT-CFG-2')).toMatchObject({ verdict: 'fail', text: expect.stringContaining('MeterValueSampleInterval=60 answered Rejected') });
    expect(b).toBeDefined();
  });

  it('PLT-MV-1 catches a register that restarts per transaction', () => {
    expect(verdictOf(goodSession().build(), 'PLT-MV-1').text).toContain('transaction 1: meterStart 10 000 Wh ≤ 9 register reading(s) ≤ meterStop');
    expect(verdictOf(goodSession({ energyBackwards: true }).build(), 'PLT-MV-1')).toMatchObject({ verdict: 'fail', text: expect.stringMatching(/transaction 2 meterStart 0 Wh < transaction 1 meterStop \d[\d ]* Wh: the register went back/) });
  });

  it('PLT-MV-2 compares ∫P dt with ΔE and power with the status', () => {
    expect(verdictOf(goodSession().build(), 'PLT-MV-2').text).toContain('transaction 2: register Δ 360 Wh; ∫P dt = 360 Wh (0.0 %; allowed 20 Wh)');
    const r = verdictOf(goodSession({ limitZeroStatus: 'SuspendedEVSE', limitZeroPowerW: 7200 }).build(), 'PLT-MV-2');
    expect(r).toMatchObject({ verdict: 'fail', text: expect.stringContaining('Power.Active.Import 7 200 W while SuspendedEVSE') });
  });
});

describe('smart charging, triggers, statuses', () => {
  it('PLT-SC-3 fails when power ignores limit 0', () => {
    const r = verdictOf(goodSession({ limitZeroStatus: 'Charging', limitZeroPowerW: 7200 }).build(), 'PLT-SC-3');
    expect(r.verdict).toBe('fail');
    expect(r.text).toContain('Power.Active.Import 7 200 W at');
    expect(r.text).toContain('above 50 W');
    expect(verdictOf(goodSession({ limitZeroStatus: 'Charging', limitZeroPowerW: 7200 }).build(), 'PLT-ST-3').verdict).toBe('fail');
  });

  it('PLT-SC-3 judges "off" by the energy register too: 0 W reported while the register rises fails', () => {
    const good = verdictOf(goodSession().build(), 'PLT-SC-3');
    expect(good.verdict).toBe('pass');
    expect(good.text).toMatch(/energy register 1\d \d{3} Wh → 1\d \d{3} Wh in 60\.0 s \(rise 0 Wh, allowed 6 Wh\)/);
    const r = verdictOf(goodSession({ limitZeroHiddenW: 7200 }).build(), 'PLT-SC-3');
    expect(r.verdict).toBe('fail');
    expect(r.text).toMatch(/rise 120 Wh, allowed 6 Wh\) — still importing/);
    expect(r.text).toContain('Power.Active.Import 0 W at');
  });

  it('evaluate puts the failing evidence first and marks each item with its own finding', () => {
    const sc3 = evaluate(goodSession({ limitZeroHiddenW: 7200 }).build()).find((v) => v.id === 'PLT-SC-3')!;
    expect(sc3.verdict).toBe('fail');
    expect(sc3.evidence[0]).toMatchObject({ ok: false, text: expect.stringContaining('still importing') });
    expect(sc3.evidence.filter((e) => e.ok === true).map((e) => e.text).join('\n')).toContain('Power.Active.Import 0 W');
    const passing = evaluate(goodSession().build()).find((v) => v.id === 'PLT-SC-3')!;
    expect(passing.evidence.every((e) => e.ok === true)).toBe(true);
  });

  it('PLT-SC-1 fails on Rejected', () => {
    const b = new SessionBuilder().connect();
    b.charger('StartTransaction', { connectorId: 1, idTag: 'T', meterStart: 0, timestamp: b.ts() }, { transactionId: 1, idTagInfo: { status: 'Accepted' } });
    b.csms('SetChargingProfile', { connectorId: 1, csChargingProfiles: { chargingProfileId: 1, stackLevel: 0, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative', chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 0 }] } } }, { status: 'Rejected' });
    expect(verdictOf(b.build(), 'PLT-SC-1')).toMatchObject({ verdict: 'fail', text: expect.stringContaining('SetChargingProfile TxProfile (connector 1) at 08:00:00.1 → Rejected') });
  });

  it('PLT-RT-2: a StatusNotification still coming from the previous trigger is not "sent before the .conf" of the next', () => {
    const b = new SessionBuilder().connect();
    b.charger('BootNotification', { chargePointVendor: 'A', chargePointModel: 'B' }, { status: 'Accepted', currentTime: b.ts(), interval: 300 });
    b.status(0, 'Available').status(1, 'Available');
    b.csms('TriggerMessage', { requestedMessage: 'StatusNotification' }, { status: 'Accepted' });
    b.advance(200).status(0, 'Available');
    b.csmsAround('TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 1 }, { status: 'Accepted' }, () => b.status(1, 'Available'));
    b.advance(200).status(1, 'Available');
    const r = verdictOf(b.build(), 'PLT-RT-2');
    expect(r.text).not.toContain('sent before the TriggerMessage.conf');
    expect(r.verdict).toBe('pass');
    // The same message with no earlier trigger to explain it is early.
    const c = new SessionBuilder().connect();
    c.charger('BootNotification', { chargePointVendor: 'A', chargePointModel: 'B' }, { status: 'Accepted', currentTime: c.ts(), interval: 300 });
    c.csmsAround('TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 1 }, { status: 'Accepted' }, () => c.status(1, 'Available'));
    c.advance(200).status(1, 'Available');
    expect(verdictOf(c.build(), 'PLT-RT-2')).toMatchObject({ verdict: 'fail', text: expect.stringContaining('sent before the TriggerMessage.conf') });
  });

  it('PLT-RT-1 / RT-2 need the triggered message after the .conf', () => {
    const b = new SessionBuilder().connect();
    b.charger('BootNotification', { chargePointVendor: 'A', chargePointModel: 'B' }, { status: 'Pending', currentTime: b.ts(), interval: 10 });
    b.csms('TriggerMessage', { requestedMessage: 'BootNotification' }, { status: 'Accepted' });
    b.csms('TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 1 }, { status: 'Accepted' });
    b.advance(61_000).status(1, 'Available');
    expect(verdictOf(b.build(), 'PLT-RT-1')).toMatchObject({ verdict: 'fail', text: expect.stringContaining('→ Accepted, then no BootNotification within 60.0 s') });
    expect(verdictOf(b.build(), 'PLT-RT-2')).toMatchObject({ verdict: 'fail', text: expect.stringContaining('no StatusNotification') });
  });

  it('PLT-RT-1 Rejected while Accepted is not a failure (errata v4.0) but not a pass either', () => {
    const b = new SessionBuilder().connect();
    b.charger('BootNotification', { chargePointVendor: 'A', chargePointModel: 'B' }, { status: 'Accepted', currentTime: b.ts(), interval: 10 });
    b.csms('TriggerMessage', { requestedMessage: 'BootNotification' }, { status: 'Rejected' });
    expect(verdictOf(b.build(), 'PLT-RT-1')).toMatchObject({ verdict: 'not-tested', text: expect.stringContaining('allowed by errata v4.0') });
  });

  it('PLT-ST-4 fails when a fault is a warning only', () => {
    expect(verdictOf(goodSession({ faultStatus: 'Available' }).build(), 'PLT-ST-4')).toMatchObject({ verdict: 'fail', text: expect.stringContaining('reported GroundFailure as a warning on Available, never Faulted') });
  });

  it('PLT-ST-2 fails on Charging with 0 W', () => {
    const b = goodSession();
    b.charger('StartTransaction', { connectorId: 1, idTag: 'T', meterStart: 20_000, timestamp: b.ts() }, { transactionId: 3, idTagInfo: { status: 'Accepted' } }).status(1, 'Charging');
    b.advance(60_000).meter(3, 20_000, 0);
    expect(verdictOf(b.build(), 'PLT-ST-2')).toMatchObject({ verdict: 'fail', text: expect.stringContaining('Power.Active.Import 0 W while Charging') });
  });
});

describe('firmware and connectivity', () => {
  function firmware(statuses: string[], newVersion: string) {
    const b = new SessionBuilder().connect();
    b.charger('BootNotification', { chargePointVendor: 'A', chargePointModel: 'B', firmwareVersion: '1.0.0' }, { status: 'Accepted', currentTime: b.ts(), interval: 300 });
    b.csms('UpdateFirmware', { location: 'http://127.0.0.1:8080/fw/2.0.0.bin', retrieveDate: b.ts() }, {});
    for (const s of statuses.slice(0, 3)) b.advance(1000).charger('FirmwareStatusNotification', { status: s });
    b.advance(5000).connect().charger('BootNotification', { chargePointVendor: 'A', chargePointModel: 'B', firmwareVersion: newVersion }, { status: 'Accepted', currentTime: b.ts(), interval: 300 });
    for (const s of statuses.slice(3)) b.charger('FirmwareStatusNotification', { status: s });
    return b.build({ firmware: [{ url: 'http://127.0.0.1:8080/fw/2.0.0.bin', version: '2.0.0', downloads: [T0ish()] }] });
  }
  const T0ish = () => Date.parse('2026-03-02T08:00:01Z');

  it('PLT-FW-1 passes on the full sequence and the new version; stalls fail; manufacturer mode is n/a', () => {
    const ok = verdictOf(firmware(['Downloading', 'Downloaded', 'Installing', 'Installed'], '2.0.0'), 'PLT-FW-1');
    expect(ok.verdict).toBe('pass');
    expect(ok.text).toContain('FirmwareStatusNotification Downloading → Downloaded → Installing → Installed');
    expect(ok.text).toContain('firmwareVersion 1.0.0 → 2.0.0');
    expect(verdictOf(firmware(['Downloading'], '1.0.0'), 'PLT-FW-1')).toMatchObject({ verdict: 'fail', text: expect.stringContaining('still reports firmwareVersion 1.0.0 (expected 2.0.0)') });
    expect(verdictOf({ ...EMPTY, firmwareMode: 'manufacturer' }, 'PLT-FW-1').verdict).toBe('not-applicable');
  });

  function dropSession(lose: boolean) {
    const b = new SessionBuilder().connect();
    b.charger('StartTransaction', { connectorId: 1, idTag: 'T', meterStart: 0, timestamp: b.ts() }, { transactionId: 1, idTagInfo: { status: 'Accepted' } });
    const t0 = b.now;
    for (let i = 0; i < 2; i++) { b.now = t0 + i * 60_000; b.meter(1, i * 100, 6000); }
    b.now = t0 + 90_000;
    b.act('dropNetwork');
    const queued = [2, 3, 4].map((i) => ({ at: t0 + i * 60_000, e: i * 100 }));
    b.now = t0 + 270_000;
    b.act('restoreNetwork').advance(4_000).connect();
    if (!lose) for (const q of queued) b.charger('MeterValues', { connectorId: 1, transactionId: 1, meterValue: [{ timestamp: b.ts(q.at), sampledValue: [{ value: String(q.e), measurand: 'Energy.Active.Import.Register' }, { value: '6000', measurand: 'Power.Active.Import', unit: 'W' }] }] });
    b.now = t0 + 300_000;
    b.meter(1, 500, 6000);
    return b.build();
  }

  it('PLT-NF-1 passes when queued samples arrive in order and fails when they are lost', () => {
    const ok = verdictOf(dropSession(false), 'PLT-NF-1');
    expect(ok.verdict).toBe('pass');
    expect(ok.text).toContain('reconnected 4.0 s later');
    expect(ok.text).toContain('3 queued transaction message(s) delivered after reconnect (MeterValues, MeterValues, MeterValues)');
    expect(verdictOf(dropSession(true), 'PLT-NF-1')).toMatchObject({ verdict: 'fail', text: expect.stringContaining('queued samples lost') });
  });

  it('PLT-NF-2 needs the operator unless declared', () => {
    expect(verdictOf(EMPTY, 'PLT-NF-2')).toMatchObject({ verdict: 'needs-operator', text: expect.stringContaining('declare remote access') });
    expect(verdictOf({ ...EMPTY, declarations: { remoteAccess: 'web UI on port 80' } }, 'PLT-NF-2').verdict).toBe('pass');
  });
});
