import { fileURLToPath } from 'node:url';
import { declaredFromConfiguration, featureProfileNamed, FEATURE_PROFILES, type FeatureProfile } from '../conformance/profiles/feature-profiles.js';
import { catalogueCase, OCPP16_CASES, type CatalogueCase } from '../conformance/profiles/ocpp16-cases.js';
import { notCoveredReason } from '../conformance/profiles/ocpp16-coverage.js';
import type { CertificationRecord } from '../conformance/record.js';
import type { CsmsSession } from '../csms/session.js';
import { ChargecheckError } from '../errors.js';
import type { CaseVerdict, Evidence, ProfileSummary, RequirementVerdict, RequirementVerdictValue, ScenarioResult, StepResult } from '../results/model.js';
import type { Scenario } from '../scenario/model.js';

/** The requirement sets `certify --profile` picks from. */
export const REQUIREMENT_PROFILES = ['platform-1.6j', 'ocpp16', 'platform-1.6j,ocpp16'] as const;
export type RequirementProfile = (typeof REQUIREMENT_PROFILES)[number];

/** `--profile` value: one set, or both (in either order). */
export function requirementProfileNamed(name: string): RequirementProfile | undefined {
  const parts = new Set(name.split(',').map((s) => s.trim()).filter(Boolean));
  const joined = parts.size === 2 && parts.has('platform-1.6j') && parts.has('ocpp16') ? 'platform-1.6j,ocpp16' : [...parts].join(',');
  return (REQUIREMENT_PROFILES as readonly string[]).includes(joined) ? (joined as RequirementProfile) : undefined;
}

/** Which platform requirements a feature profile's cases deepen (run with both sets). */
const CITED: Readonly<Record<string, FeatureProfile>> = {
  'PLT-CORE-1': 'Core',
  'PLT-FW-1': 'FirmwareManagement',
  'PLT-SC-1': 'SmartCharging',
  'PLT-SC-2': 'SmartCharging',
  'PLT-SC-3': 'SmartCharging',
  'PLT-RT-1': 'RemoteTrigger',
  'PLT-RT-2': 'RemoteTrigger',
};

/**
 * `--profile platform-1.6j,ocpp16`: the platform's profile rows cite the catalogue cases of their
 * feature profile as deeper evidence (after their own). The verdict stays the platform check's.
 */
export function citeCases(verdicts: readonly RequirementVerdict[], cases: readonly CaseVerdict[]): RequirementVerdict[] {
  return verdicts.map((v) => {
    const profile = CITED[v.id];
    const mine = profile ? cases.filter((c) => c.profile === profile && c.covered !== false) : [];
    if (!mine.length) return v;
    const count = (x: RequirementVerdictValue) => mine.filter((c) => c.verdict === x).length;
    const failed = mine.filter((c) => c.verdict === 'fail').map((c) => c.id);
    const text = `OCPP 1.6 catalogue, ${profile}: ${count('pass')} of ${mine.length} cases pass${failed.length ? `; failing: ${failed.join(', ')}` : ''}${count('not-applicable') ? `; ${count('not-applicable')} not applicable` : ''}`;
    return { ...v, evidence: [...v.evidence, { kind: 'note', text, data: { cases: mine.map((c) => ({ id: c.id, verdict: c.verdict })) } }] };
  });
}

/** The OCPP 1.6 catalogue: one scenario per official charge-point test case. */
export const OCPP16_SUITE_DIR = fileURLToPath(new URL('../../scenarios/ocpp16/charger/', import.meta.url));

/** Where catalogue scenarios name the harness's file server; replaced by its real origin. */
export const FILES_PLACEHOLDER = 'http://files.chargecheck.invalid';

export interface CatalogueOptions {
  /** Case ids, titles or profile names to run (a case-insensitive regular expression, or a profile name). */
  readonly grep?: string;
  /** The feature profiles the charger declares (`--profiles`); otherwise asked via SupportedFeatureProfiles. */
  readonly profiles?: readonly FeatureProfile[];
}

/** Cases written for chargers that do NOT support a profile: not applicable when the charger declares it. */
const ONLY_WITHOUT: Readonly<Record<string, FeatureProfile>> = {
  TC_042_1_CS: 'LocalAuthListManagement',
  TC_043_1_CS: 'LocalAuthListManagement',
};

/** The case id a catalogue scenario is tagged with (its only requirement id of the form TC_…_CS). */
export function caseIdOf(s: { requirements: readonly string[] }): string | undefined {
  return s.requirements.find((r) => catalogueCase(r) !== undefined);
}

function matcher(grep: string | undefined): (c: CatalogueCase) => boolean {
  if (!grep) return () => true;
  const profile = featureProfileNamed(grep);
  if (profile) return (c) => c.profile === profile;
  let re: RegExp;
  try {
    re = new RegExp(grep, 'i');
  } catch (e) {
    throw new ChargecheckError('CLI_BAD_GREP', `--grep '${grep}' is not a regular expression: ${(e as Error).message}`);
  }
  return (c) => re.test(`${c.id} ${c.title} ${c.profile}`);
}

const verdictOfStatus = (s: ScenarioResult): RequirementVerdictValue => {
  if (s.status === 'passed') return 'pass';
  if (s.status === 'failed') return 'fail';
  const codes = [s.failure?.code, ...s.steps.map((st) => st.failure?.code)];
  if (codes.includes('CERTIFY_NO_CONNECTION')) return 'not-tested';
  if (codes.includes('CERTIFY_NEEDS_OPERATOR')) return 'needs-operator';
  return 'fail';
};

const CHECKING_STEPS = new Set(['expectCall', 'csmsCall', 'expectStatus', 'expectMeterValues', 'assertStatus', 'assertPower', 'assertEnergy', 'assertConfiguration', 'assertTraffic']);

function where(step: StepResult, scenario: ScenarioResult): string {
  return step.line !== undefined ? `line ${step.line}` : scenario.file;
}

/** A case's evidence: for a failure its failing steps first (with their frames), then what held. */
function evidenceOf(s: ScenarioResult): Evidence[] {
  const bad = s.steps.filter((st) => st.status === 'failed' || st.status === 'error');
  const out: Evidence[] = bad.map((st) => ({
    kind: 'frame',
    text: `step ${st.index + 1} (${where(st, s)}) ${st.title}: ${st.failure?.message ?? st.status}`,
    frames: st.frames,
    data: { code: st.failure?.code, ...(st.failure && 'expected' in st.failure ? { expected: st.failure.expected } : {}), ...(st.failure && 'actual' in st.failure ? { actual: st.failure.actual } : {}) },
  }));
  if (s.failure && !bad.length) out.push({ kind: 'note', text: `${s.failure.code}: ${s.failure.message}` });
  const held = s.steps.filter((st) => st.status === 'passed' && CHECKING_STEPS.has(st.kind));
  if (!bad.length && !s.failure) out.push({ kind: 'note', text: `all ${held.length} checks held (${s.steps.length} steps${s.file ? `, ${s.file}` : ''})` });
  for (const st of held) out.push({ kind: 'note', text: `held: ${st.title}` });
  const skipped = s.steps.filter((st) => st.status === 'skipped').length;
  if (skipped) out.push({ kind: 'note', text: `${skipped} later step(s) not run` });
  return out;
}

/**
 * One certify run over the catalogue: which cases run, which are not applicable (a profile the
 * charger does not declare), and the per-case verdicts from each case's own scenario.
 */
export class CatalogueRun {
  /** The record as it stood when the first case started (the platform part of a run with both sets). */
  platformRecord: CertificationRecord | undefined;

  /** Keeps the record as it is now: the arrays the recorder goes on appending to are copied. */
  snapshot(record: CertificationRecord): void {
    const copy = Object.fromEntries(Object.entries(record).map(([k, v]) => [k, Array.isArray(v) ? [...(v as unknown[])] : v]));
    this.platformRecord = copy as unknown as CertificationRecord;
  }

  private readonly wanted: (c: CatalogueCase) => boolean;
  private declared: readonly FeatureProfile[] | undefined;
  private declaredBy: string;

  constructor(private readonly options: CatalogueOptions) {
    this.wanted = matcher(options.grep);
    this.declared = options.profiles;
    this.declaredBy = options.profiles ? `--profiles ${options.profiles.join(',')}` : '';
  }

  /** The catalogue scenarios the run takes (tagged with a case id that --grep selects). */
  select(scenarios: readonly Scenario[]): Scenario[] {
    return scenarios.filter((s) => {
      const id = caseIdOf(s);
      return id !== undefined && this.wanted(catalogueCase(id)!);
    });
  }

  /** True when the case's profile is one the charger does not declare: it is not run. */
  skip(scenario: Scenario): boolean {
    const c = catalogueCase(caseIdOf(scenario) ?? '');
    return !!c && this.notApplicable(c) !== undefined;
  }

  /** Why a case does not apply to this charger (undefined: it applies, or nothing is declared). */
  private notApplicable(c: CatalogueCase): string | undefined {
    if (!this.declared) return undefined;
    const without = ONLY_WITHOUT[c.id];
    if (without) return this.declared.includes(without) ? `for chargers without ${without}; this one declares it (${this.declaredBy})` : undefined;
    return this.declared.includes(c.profile) ? undefined : `profile ${c.profile} not declared (${this.declaredBy})`;
  }

  /** After a case, while the charger is still connected: learn its SupportedFeatureProfiles once. */
  async afterCase(session: CsmsSession | undefined): Promise<void> {
    if (this.declared || !session) return;
    try {
      const res = await session.call('GetConfiguration', { key: ['SupportedFeatureProfiles'] });
      const value = res.configurationKey?.find((k) => k.key === 'SupportedFeatureProfiles')?.value;
      if (value === undefined) return;
      this.declared = declaredFromConfiguration(value);
      this.declaredBy = `SupportedFeatureProfiles = ${value}`;
    } catch {
      // no answer: every profile is tried
    }
  }

  /** Every selected case with its verdict; cases without a scenario are not tested (not covered). */
  verdicts(results: readonly ScenarioResult[]): CaseVerdict[] {
    const byCase = new Map(results.map((r) => [caseIdOf(r), r]));
    return OCPP16_CASES.filter(this.wanted).map((c) => {
      const base = { id: c.id, title: c.title, profile: c.profile };
      const r = byCase.get(c.id);
      // A case run before the declaration was known (the first one) is judged by it all the same.
      const na = this.notApplicable(c);
      if (na) return { ...base, verdict: 'not-applicable', evidence: [{ kind: 'note', text: r ? `${na}; it ran before that was known (${r.status})` : na }] };
      if (!r) {
        const why = notCoveredReason(c.id);
        return { ...base, verdict: 'not-tested', covered: false, evidence: [{ kind: 'note', text: why ? `not covered: ${why}` : 'its scenario was not run' }] };
      }
      return { ...base, verdict: verdictOfStatus(r), evidence: evidenceOf(r), scenario: r.file };
    });
  }
}

/** Case verdicts as requirement rows, so every reporter lists them (JUnit: one testcase per case). */
export function caseRequirements(cases: readonly CaseVerdict[]): RequirementVerdict[] {
  // A case the catalogue does not cover yet is reported, but does not decide the certification.
  return cases.map((c) => ({ id: c.id, title: `${c.title} [${c.profile}]`, level: c.covered === false ? 'announced' : 'required', verdict: c.verdict, evidence: c.evidence }));
}

/** Per-profile counts, in the catalogue's profile order. */
export function profileSummary(cases: readonly CaseVerdict[]): ProfileSummary[] {
  return FEATURE_PROFILES.map((profile) => {
    const mine = cases.filter((c) => c.profile === profile);
    const n = (v: RequirementVerdictValue) => mine.filter((c) => c.verdict === v).length;
    return { profile, total: mine.length, pass: n('pass'), fail: n('fail'), notApplicable: n('not-applicable'), needsOperator: n('needs-operator'), notTested: n('not-tested') };
  }).filter((p) => p.total > 0);
}

const NOW = /^\{\{now(?:([+-])(\d+)([smh]))?\}\}$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

/**
 * A case as it runs: `http://files.chargecheck.invalid/…` points at the harness's file server
 * (`origin`), and `{{now}}`, `{{now+2m}}`, `{{now-1h}}` become ISO date-times on the run clock at
 * the start of the case (expiry dates of reservations, validity of profiles).
 */
export function prepareCase<T>(value: T, origin: string | undefined, nowMs: number): T {
  if (typeof value === 'string') {
    const m = NOW.exec(value);
    if (m) return new Date(nowMs + (m[1] ? (m[1] === '-' ? -1 : 1) * Number(m[2]) * UNIT_MS[m[3] as keyof typeof UNIT_MS] : 0)).toISOString() as T;
    return (origin && value.startsWith(FILES_PLACEHOLDER) ? origin + value.slice(FILES_PLACEHOLDER.length) : value) as T;
  }
  if (Array.isArray(value)) return value.map((v) => prepareCase(v, origin, nowMs)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, prepareCase(v, origin, nowMs)])) as T;
  return value;
}
