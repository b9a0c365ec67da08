import type { Side, EvSettings } from './context.js';

/** The charger a scenario sets up (our virtual charger) or expects (a charger under test). */
export interface ChargerSetup {
  readonly chargePointId?: string;
  readonly model?: string;
  readonly vendor?: string;
  readonly serial?: string;
  readonly firmwareVersion?: string;
  readonly connectors: number;
  readonly ev?: EvSettings;
  /** Configuration keys preset before the run, values as OCPP carries them (strings). */
  readonly configuration: Readonly<Record<string, string>>;
  /** Named deviations from conformant behaviour (defined by chargepoint/). */
  readonly quirks: readonly string[];
  readonly clock?: {
    readonly offsetMs: number;
    readonly driftPpm: number;
    readonly syncFromCsms: boolean;
  };
}

/** One step as loaded: its registered kind, its arguments (schema-checked, defaults filled). */
export interface ScenarioStep {
  readonly index: number;
  readonly kind: string;
  readonly args: unknown;
  /** Optional `title:` given beside the step, shown instead of the generated title. */
  readonly title?: string;
  readonly line: number;
  readonly col: number;
  /** Set for a step that came from a precondition fragment: the fragment's file (line/col are in it). */
  readonly file?: string;
}

/** A scenario file that passed validation. */
export interface Scenario {
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  readonly requirements: readonly string[];
  readonly role: Side;
  readonly charger: ChargerSetup;
  /** Behaviour switches for chargecheck's built-in CSMS; checked by csms/ when it is started. */
  readonly csms?: Readonly<Record<string, unknown>>;
  readonly steps: readonly ScenarioStep[];
  /** The `preconditions:` fragments whose steps were put first (nested ones included), by name. */
  readonly preconditions?: readonly string[];
}
