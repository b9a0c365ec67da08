import { PLATFORM_16J } from '../conformance/requirements.js';
import type { Evidence, RequirementVerdict, ScenarioResult } from '../results/model.js';

/**
 * Against a CSMS the requirement table says what the CSMS must do for each platform requirement
 * (the catalogue's titles say what a charger must do).
 */
export const CSMS_REQUIREMENT_TITLES: Readonly<Record<string, string>> = {
  'PLT-TLS-1': 'The CSMS refuses plain ws://',
  'PLT-TLS-2': 'The CSMS accepts TLS 1.2 with an ELB 2018-06 suite (what the platform’s chargers offer)',
  'PLT-SEC-2': 'The CSMS refuses a wrong Basic-auth password with 401',
  'PLT-TIME-1': 'The CSMS gives the charger the correct time (BootNotification.conf currentTime)',
  'PLT-CORE-1': 'The CSMS accepts the boot and answers every Core message',
  'PLT-CORE-2': 'The CSMS takes MeterValues carrying Power.Active.Import',
  'PLT-FW-1': 'The CSMS updates firmware (UpdateFirmware) and takes every FirmwareStatusNotification',
  'PLT-SC-1': 'The CSMS sends a TxProfile for the running transaction',
  'PLT-SC-2': 'The CSMS caps the charger with a ChargePointMaxProfile on connector 0',
  'PLT-SC-3': 'The CSMS switches charging off (limit 0) and on again during a session',
  'PLT-RT-1': 'The CSMS triggers BootNotification and accepts the triggered boot',
  'PLT-RT-2': 'The CSMS triggers StatusNotification',
  'PLT-CFG-1': 'The CSMS configures MeterValuesSampledData = Energy.Active.Import.Register,Power.Active.Import after boot',
  'PLT-CFG-2': 'The CSMS configures MeterValueSampleInterval = 60 after boot',
  'PLT-MV-1': 'The CSMS takes meterStart, sampled MeterValues and meterStop',
  'PLT-MV-2': 'The CSMS takes power readings that go with the status (0 W while suspended)',
  'PLT-ST-1': 'The CSMS takes Available after unplug',
  'PLT-ST-2': 'The CSMS takes Charging with power flowing',
  'PLT-ST-3': 'The CSMS takes SuspendedEV / SuspendedEVSE',
  'PLT-ST-4': 'The CSMS takes Faulted with its errorCode and the recovery',
  'PLT-NF-1': 'The CSMS takes queued MeterValues and StopTransaction with past timestamps after a reconnect',
};

function failingStep(s: ScenarioResult): string {
  const step = s.steps.find((st) => st.status === 'failed' || st.status === 'error');
  if (step?.failure) return `${step.title}: ${step.failure.message}`;
  return s.failure?.message ?? s.status;
}

/**
 * Verdicts per requirement from the scenarios tagged with it (for `run`): fail when a tagged
 * scenario failed (its failing step first); not-tested when one could not run (skipped: the target
 * cannot do it; error: the harness or a hook could not) and none failed; pass when every tagged
 * scenario passed. `side: 'csms'` words the rows as what the CSMS must do.
 */
export function requirementsFromScenarios(scenarios: readonly ScenarioResult[], side: 'charger' | 'csms' = 'charger'): RequirementVerdict[] {
  return PLATFORM_16J.filter((req) => scenarios.some((s) => s.requirements.includes(req.id))).map((req) => {
    const tagged = scenarios.filter((s) => s.requirements.includes(req.id));
    const failed = tagged.filter((s) => s.status === 'failed');
    const notRun = tagged.filter((s) => s.status === 'skipped' || s.status === 'error');
    const passed = tagged.filter((s) => s.status === 'passed');
    const verdict = failed.length ? 'fail' : notRun.length || !passed.length ? 'not-tested' : 'pass';
    const evidence: Evidence[] = [
      ...failed.map((s) => ({ kind: 'note' as const, text: `failed: ${s.name} — ${failingStep(s)}` })),
      ...notRun.map((s) => ({ kind: 'note' as const, text: `${s.status === 'skipped' ? 'not run' : 'error'}: ${s.name} — ${failingStep(s)}` })),
      ...passed.map((s) => ({ kind: 'note' as const, text: `passed: ${s.name} (${s.file})` })),
    ];
    return { id: req.id, title: side === 'csms' ? (CSMS_REQUIREMENT_TITLES[req.id] ?? req.title) : req.title, level: req.level, verdict, evidence };
  });
}
