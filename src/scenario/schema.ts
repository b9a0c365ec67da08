import { evProperties } from './ev-schema.js';
import { allowsBare, type JsonSchema, type StepDefinition, type StepRegistry } from './registry.js';
import { object, signedDuration } from './schema-parts.js';

/**
 * The JSON Schema of a scenario file, assembled from the step registry: each step contributes its
 * argument schema and description. The loader validates with the same pieces (the top level with
 * Ajv, then each step on its own, so errors name the step), and scripts/gen-scenario-schema.ts
 * writes the whole for editors (schemas/scenario.schema.json).
 */
export interface SchemaOptions {
  readonly registry: StepRegistry;
  readonly requirementIds: readonly string[];
  /** Quirk names `charger.quirks` may use; any non-empty string when not given. */
  readonly quirkNames?: readonly string[];
}

/** Keys a step entry may carry beside its name. */
export const STEP_ENTRY_KEYS = ['title'] as const;

export function chargerSchema(quirkNames?: readonly string[]): JsonSchema {
  return {
    ...object({
      chargePointId: { type: 'string', minLength: 1, maxLength: 48, description: 'Charge point id (the last URL segment)' },
      model: { type: 'string', maxLength: 20, description: 'chargePointModel in BootNotification' },
      vendor: { type: 'string', maxLength: 20, description: 'chargePointVendor in BootNotification' },
      serial: { type: 'string', maxLength: 25, description: 'chargePointSerialNumber' },
      firmwareVersion: { type: 'string', maxLength: 50, description: 'firmwareVersion' },
      connectors: { type: 'integer', minimum: 1, maximum: 8, default: 1, description: 'Number of connectors' },
      ev: { ...object(evProperties), description: 'The EV plugged in by `plug`' },
      configuration: {
        type: 'object',
        additionalProperties: { type: ['string', 'number', 'boolean'] },
        description: 'Configuration keys preset before the run (key: value)',
      },
      quirks: {
        type: 'array',
        items: quirkNames ? { enum: quirkNames } : { type: 'string', minLength: 1 },
        uniqueItems: true,
        description: 'Named deviations from conformant behaviour',
      },
      clock: {
        ...object({
          offset: signedDuration('How far the charger’s clock is from true time'),
          driftPpm: { type: 'number', description: 'Clock rate error in parts per million (positive = fast)' },
          syncFromCsms: { type: 'boolean', description: 'Set the clock from BootNotification.conf currentTime' },
        }),
        description: 'The charger’s own clock',
      },
    }),
    description: 'The charger: chargecheck’s virtual charger (role chargepoint) or the one under test (role csms)',
  };
}

export function stepEntrySchema(def: StepDefinition): JsonSchema {
  return {
    type: 'object',
    description: def.description,
    properties: { [def.name]: { ...def.args, description: def.description }, title: { type: 'string', description: 'Shown in reports instead of the generated title' } },
    required: [def.name],
    additionalProperties: false,
  };
}

/** The scenario file schema; `stepItems` is what each `steps` entry must be. */
export function topLevelSchema(options: SchemaOptions, stepItems: JsonSchema): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    // `x-…` keys are ignored: a place for YAML anchors (`x-profile: &profile {…}`), as in Compose files.
    patternProperties: { '^x-': {} },
    required: ['name', 'role', 'steps'],
    properties: {
      name: { type: 'string', minLength: 1, description: 'Unique within its folder; names the scenario in reports' },
      description: { type: 'string', description: 'What the scenario shows, for readers of the report' },
      requirements: {
        type: 'array',
        items: { enum: options.requirementIds },
        uniqueItems: true,
        description: 'Requirement ids this scenario checks (e.g. PLT-CFG-2)',
      },
      role: {
        enum: ['chargepoint', 'csms'],
        description: 'The side chargecheck plays: chargepoint (a CSMS is under test) or csms (a charger is under test)',
      },
      preconditions: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        uniqueItems: true,
        description: 'Named fragments (preconditions/NAME.yaml beside the scenario) whose steps run first, in order',
      },
      charger: chargerSchema(options.quirkNames),
      csms: { type: 'object', description: 'Behaviour switches for chargecheck’s built-in CSMS (checked when it starts)' },
      steps: { type: 'array', minItems: 1, items: stepItems, description: 'What happens, in order; the first failing step ends the scenario' },
    },
  };
}

export function buildScenarioSchema(options: SchemaOptions): JsonSchema {
  const defs = options.registry.all();
  const bare = defs.filter(allowsBare).map((d) => d.name);
  const items: JsonSchema = {
    anyOf: [{ enum: bare, description: 'A step without arguments' }, ...defs.map(stepEntrySchema)],
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'chargecheck scenario',
    ...topLevelSchema(options, items),
  };
}
