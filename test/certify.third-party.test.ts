/**
 * certify against a charge point that is not ours: "ACME Wallbox", written on ocpp-rpc's RPCClient
 * (strict OCPP 1.6, real WSS to the certify listener on 127.0.0.1 with Basic auth), its firmware
 * timers on the certify VirtualClock. It is right in most things and wrong in four (90-s samples,
 * no Power.Active.Import, ChargePointMaxProfile Rejected, silent after UpdateFirmware): each
 * requirement gets the verdict it deserves, and each failure's evidence says why.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/virtual.js';
import { certify } from '../src/harness/certify.js';
import type { RequirementVerdict, RunResult } from '../src/results/model.js';
import { AcmeWallbox } from './fixtures/certify/acme-wallbox.js';

const EXPECTED: Record<string, RequirementVerdict['verdict']> = {
  'PLT-TLS-1': 'pass',
  'PLT-TLS-2': 'pass',
  'PLT-TIME-1': 'pass',
  'PLT-SEC-2': 'pass',
  'PLT-SEC-3': 'not-applicable',
  'PLT-CORE-1': 'pass',
  'PLT-CORE-2': 'fail', // no Power.Active.Import
  'PLT-FW-1': 'fail', // no FirmwareStatusNotification
  'PLT-SC-1': 'pass',
  'PLT-SC-2': 'fail', // ChargePointMaxProfile Rejected
  'PLT-SC-3': 'fail', // obeys the limit, but without power readings nobody can see it
  'PLT-RT-1': 'pass',
  'PLT-RT-2': 'pass',
  'PLT-CFG-1': 'fail', // Accepted, but later samples lack Power.Active.Import
  'PLT-CFG-2': 'fail', // Accepted, but samples every 90 s
  'PLT-MV-1': 'pass',
  'PLT-MV-2': 'fail', // no power to compare with the register
  'PLT-ST-1': 'pass',
  'PLT-ST-2': 'fail', // "Charging only while power > 0": no power to judge
  'PLT-ST-3': 'pass',
  'PLT-ST-4': 'pass',
  'PLT-NF-1': 'pass',
  'PLT-NF-2': 'needs-operator',
};

let result: RunResult;
let charger: AcmeWallbox | undefined;
const verdict = (id: string) => result.requirements!.find((v) => v.id === id)!;
const evidenceText = (id: string) => verdict(id).evidence.map((e) => e.text).join('\n');

beforeAll(async () => {
  result = await certify({
    charger: (t) => (charger = new AcmeWallbox(t)),
    clock: new VirtualClock(Date.UTC(2026, 2, 2, 9, 0, 0)),
    firmwareMode: 'platform',
  });
});

describe('certify an ocpp-rpc charge point (ACME Wallbox) on virtual time', () => {
  it('talked to it over the real listener: every scenario ran, the CSMS calls reached its handlers', () => {
    expect(result.mode).toBe('virtual');
    expect(result.scenarios.map((s) => s.status)).not.toContain('error');
    expect(new Set(charger!.handled)).toEqual(new Set(['ChangeConfiguration', 'GetConfiguration', 'TriggerMessage', 'SetChargingProfile', 'UpdateFirmware']));
  });

  it('gives each requirement the verdict it deserves, and fails the certification (exit 1)', () => {
    const got = Object.fromEntries(result.requirements!.map((v) => [v.id, v.verdict]));
    const detail = result.requirements!.map((v) => `${v.id}: ${v.verdict} — ${v.evidence.map((e) => e.text).join(' | ')}`).join('\n');
    expect(got, detail).toEqual(EXPECTED);
    expect(result.exitCode).toBe(1);
  });

  it('passes what it does right, with evidence from its own traffic', () => {
    expect(evidenceText('PLT-TLS-2')).toMatch(/TLSv1\.2/);
    expect(evidenceText('PLT-SEC-2')).toMatch(/decoded from hex/);
    expect(evidenceText('PLT-SC-1')).toMatch(/TxProfile.*Accepted/);
    expect(evidenceText('PLT-RT-1')).toMatch(/TriggerMessage\(BootNotification\).*Accepted/);
    expect(evidenceText('PLT-NF-1')).toMatch(/in order/);
  });

  it('CFG-2: the evidence shows the measured 90-s interval', () => {
    expect(evidenceText('PLT-CFG-2')).toMatch(/\b90(\.0)? s\b/);
  });

  it('CORE-2 and CFG-1: the evidence names the missing Power.Active.Import', () => {
    expect(evidenceText('PLT-CORE-2')).toMatch(/Power\.Active\.Import/);
    expect(evidenceText('PLT-CFG-1')).toMatch(/Power\.Active\.Import/);
  });

  it('SC-2: the evidence shows the Rejected answer to ChargePointMaxProfile', () => {
    expect(evidenceText('PLT-SC-2')).toMatch(/ChargePointMaxProfile[\s\S]*Rejected/);
  });

  it('FW-1: the evidence says the firmware statuses never came, and the version never changed', () => {
    const text = evidenceText('PLT-FW-1');
    expect(text).toMatch(/UpdateFirmware at \S+; answered, then no FirmwareStatusNotification at all \(expected Downloading → Downloaded → Installing → Installed\)/);
    expect(text).toMatch(/firmwareVersion 3\.1\.4 \(expected 2\.0\.0\)/);
  });

  it('SC-3, MV-2 and ST-2: the limit was obeyed, but with no power reading nothing can be judged — and the evidence says so', () => {
    expect(evidenceText('PLT-SC-3')).toMatch(/status SuspendedEVSE after/);
    expect(evidenceText('PLT-SC-3')).toMatch(/no power reading/);
    expect(evidenceText('PLT-MV-2')).toMatch(/no power reading/);
    expect(evidenceText('PLT-ST-2')).toMatch(/no power reading while Charging/);
    expect(evidenceText('PLT-ST-2')).not.toMatch(/all above/); // no pass-like line without readings
  });
});

describe('the same ocpp-rpc charge point with the faults real chargers have (issue 10)', () => {
  let faulty: RunResult;
  const v = (id: string) => faulty.requirements!.find((x) => x.id === id)!;
  beforeAll(async () => {
    faulty = await certify({
      charger: (t) => new AcmeWallbox(t, ['hidden-import', 'no-status-timestamp', 'reject-trigger-boot-accepted', 'lose-queue']),
      clock: new VirtualClock(Date.UTC(2026, 2, 2, 9, 0, 0), { stuckMs: 2_000 }),
      firmwareMode: 'platform',
    });
  });

  it('changes exactly the verdicts the faults touch', () => {
    const got = Object.fromEntries(faulty.requirements!.map((x) => [x.id, x.verdict]));
    const detail = faulty.requirements!.map((x) => `${x.id}: ${x.verdict} — ${x.evidence.map((e) => e.text).join(' | ')}`).join('\n');
    // lose-queue breaks NF-1; the other three are allowed (RT-1, TIME-1 still pass) or already failing (SC-3)
    expect(got, detail).toEqual({ ...EXPECTED, 'PLT-NF-1': 'fail' });
  });

  it('first evidence lines: the lost StopTransaction; TIME-1 on weaker evidence, saying so; RT-1 through the Pending boot', () => {
    expect(v('PLT-NF-1').evidence[0]).toMatchObject({ ok: false, text: expect.stringMatching(/^transaction \d+: ended offline \(unplug at \S+\) but its StopTransaction never arrived/) });
    expect(v('PLT-TIME-1').evidence[0].text).toMatch(/^weaker evidence: the charger sent no timestamp in any StatusNotification/);
    expect(v('PLT-TIME-1').evidence.map((e) => e.text).join('\n')).toMatch(/timestamps of StartTransaction.* matches true time/);
    expect(v('PLT-RT-1').evidence[0].text).toMatch(/^TriggerMessage\(BootNotification\) at \S+ → Accepted, then \d+× BootNotification/);
  });

  it('SC-3: besides the missing power reading, the energy register shows it kept importing under limit 0', () => {
    const sc3 = v('PLT-SC-3');
    expect(sc3.evidence[0]).toMatchObject({ ok: false, text: expect.stringMatching(/no power reading while the limit was in force/) });
    expect(sc3.evidence.map((e) => e.text).join('\n')).toMatch(/energy register [\d ]+ Wh → [\d ]+ Wh in .* — still importing/);
    expect(evidenceText('PLT-SC-3')).not.toMatch(/still importing/); // the honest ACME does not
  });
});
