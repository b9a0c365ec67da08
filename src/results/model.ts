/**
 * The canonical record of a run, produced by the scenario runner and the certify driver, consumed
 * (read-only) by every reporter. The JSON reporter writes it as is; shard summaries merge it.
 * Times: `wall*` are real ms since the epoch; `clock*` are on the run's clock (virtual or real).
 */
export type Verdict = 'passed' | 'failed' | 'error' | 'skipped';

export interface FrameRecord {
  readonly connection: string;
  readonly direction: 'in' | 'out';
  readonly clockTime: number;
  readonly wallTime: number;
  readonly raw: string;
}

export interface AssertionResult {
  readonly description: string;
  readonly passed: boolean;
  readonly expected?: unknown;
  readonly actual?: unknown;
}

export interface Failure {
  /** Stable error code (docs/errors.md), e.g. SCENARIO_EXPECT_TIMEOUT. */
  readonly code: string;
  readonly message: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
}

export interface StepResult {
  readonly index: number;
  /** Registered step name, e.g. `expectCall`. */
  readonly kind: string;
  /** One line saying what the step did, e.g. `expect MeterValues within 70 s`. */
  readonly title: string;
  /** 1-based line of the step in its scenario file. */
  readonly line?: number;
  readonly status: Verdict;
  readonly wallDurationMs: number;
  readonly clockStart: number;
  readonly clockEnd: number;
  readonly assertions: readonly AssertionResult[];
  readonly failure?: Failure;
  /** Frames around a failure (empty for passing steps). */
  readonly frames: readonly FrameRecord[];
}

export interface TimelinePoint {
  readonly clockTime: number;
  readonly connectorId: number;
  readonly powerW: number;
  /** Limit in force in W, undefined = no limit. */
  readonly limitW?: number;
  readonly status: string;
}

export interface ScenarioResult {
  readonly name: string;
  readonly file: string;
  readonly role: 'chargepoint' | 'csms';
  readonly requirements: readonly string[];
  readonly chargePointId: string;
  readonly status: Verdict;
  readonly wallDurationMs: number;
  readonly clockStart: number;
  readonly clockEnd: number;
  readonly steps: readonly StepResult[];
  /** Power / limit / status samples for charts (may be empty). */
  readonly timeline: readonly TimelinePoint[];
  /** All frames of the scenario; reporters show only those of failed steps unless asked. */
  readonly frames: readonly FrameRecord[];
  /** Why the scenario failed or errored outside any step (e.g. the peer could not be reached). */
  readonly failure?: Failure;
}

export type RequirementLevel = 'required' | 'conditional' | 'recommended' | 'announced';
export type RequirementVerdictValue = 'pass' | 'fail' | 'not-applicable' | 'needs-operator' | 'not-tested';

export interface Evidence {
  readonly kind: 'frame' | 'measurement' | 'tls' | 'clock' | 'note';
  /** One line a person can read, e.g. `MeterValues every 60.0 s (n=4, max deviation 0.2 s)`. */
  readonly text: string;
  readonly frames?: readonly FrameRecord[];
  readonly data?: Readonly<Record<string, unknown>>;
  /**
   * This item's own finding: true = it shows the requirement met, false = it shows it broken,
   * absent = context (neither). Reports list failing items first.
   */
  readonly ok?: boolean;
}

export interface RequirementVerdict {
  readonly id: string;
  readonly title: string;
  readonly level: RequirementLevel;
  readonly verdict: RequirementVerdictValue;
  readonly evidence: readonly Evidence[];
}

/** certify: who was certified, when, and over what (the certificate's header). */
export interface CertificateFacts {
  /** From the charger's BootNotification (the last one), and the id it connected as. */
  readonly device: {
    readonly id: string;
    readonly vendor?: string;
    readonly model?: string;
    readonly serialNumber?: string;
    readonly firmwareVersion?: string;
    readonly meterType?: string;
    readonly meterSerialNumber?: string;
  };
  /** True time of the charger's first connection and of the end of the last scenario. */
  readonly sessionStart?: number;
  readonly sessionEnd?: number;
  /** The listener's TLS facts as the charger's connections negotiated them. */
  readonly listener: {
    readonly url: string;
    readonly certificate: 'given' | 'generated';
    readonly tlsVersions: readonly string[];
    readonly ciphers: readonly string[];
    readonly authForms: readonly string[];
  };
  /** The run was stopped (SIGINT/SIGTERM or --deadline): requirements not reached are `not tested`. */
  readonly interrupted?: { readonly reason: string; readonly at: number };
}

/** One official test case of a catalogue (`certify --profile ocpp16`) and its verdict. */
export interface CaseVerdict {
  /** Official id, e.g. TC_001_CS. */
  readonly id: string;
  readonly title: string;
  /** Feature profile (Core, SmartCharging, …, Security). */
  readonly profile: string;
  readonly verdict: RequirementVerdictValue;
  /** Failing evidence first. */
  readonly evidence: readonly Evidence[];
  /** The case's scenario file, when it ran. */
  readonly scenario?: string;
  /** false: the catalogue has no scenario for this case (the evidence says why). */
  readonly covered?: boolean;
}

/** Counts of case verdicts in one feature profile. */
export interface ProfileSummary {
  readonly profile: string;
  readonly total: number;
  readonly pass: number;
  readonly fail: number;
  readonly notApplicable: number;
  readonly needsOperator: number;
  readonly notTested: number;
}

export interface RunResult {
  readonly tool: { readonly name: 'chargecheck'; readonly version: string };
  readonly command: 'run' | 'certify';
  readonly mode: 'virtual' | 'real';
  /** The CSMS URL, `built-in`, or for certify the charger id / `self`. */
  readonly target: string;
  readonly wallStart: number;
  readonly wallDurationMs: number;
  readonly scenarios: readonly ScenarioResult[];
  /** Present for certify (and for run when scenarios are tagged): one verdict per requirement. */
  readonly requirements?: readonly RequirementVerdict[];
  /** certify: the device under test, the session and the listener. */
  readonly certificate?: CertificateFacts;
  /** certify: the requirement set judged (`platform-1.6j` when absent). */
  readonly profile?: string;
  /** certify --profile ocpp16: one verdict per official test case, and per feature profile. */
  readonly cases?: readonly CaseVerdict[];
  readonly profiles?: readonly ProfileSummary[];
  readonly exitCode: number;
}

/** A reporter is a set of optional hooks over read-only results (Vitest / Playwright style). */
export interface Reporter {
  readonly name: string;
  onRunStart?(info: { command: RunResult['command']; mode: RunResult['mode']; target: string; scenarioCount: number }): void;
  /** `clockStart` (optional) is where the step lines' clock offsets count from. */
  onScenarioStart?(scenario: { name: string; file: string; chargePointId: string; clockStart?: number }): void;
  onStepEnd?(scenario: { name: string; chargePointId: string }, step: StepResult): void;
  /** A live "waiting for …" line in real-time runs; reporters that cannot redraw ignore it. */
  onWaiting?(scenario: { name: string }, what: string, msLeft: number): void;
  onScenarioEnd?(scenario: ScenarioResult): void;
  onRunEnd?(result: RunResult): void | Promise<void>;
}
