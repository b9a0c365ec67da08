import { choosePerformer } from '../acts/perform.js';
import { hookVariables } from '../acts/template.js';
import type { Scenario } from '../scenario/model.js';
import type { Target } from './target.js';

/** Values every hook may name in a run against an external CSMS (besides the scenario's captures). */
export const RUN_VARIABLES = ['chargePointId', 'connectorId', 'idTag', 'firmwareUrl', 'csmsUrl'] as const;

interface StepArgs {
  readonly act?: string;
  readonly from?: string;
  readonly reply?: unknown;
  readonly replyError?: unknown;
  readonly capture?: Record<string, string>;
  readonly action?: string;
}

/** The CSMS acts that curtail a session (a target's `curtailsDuringSessions` speaks for them). */
export const CURTAILMENT_ACTS: readonly string[] = ['limitOff', 'release'];

/** The performer sources a target gives (shared with the run, so the check and the run agree). */
export function targetSources(target: Target) {
  const all = target.actsOnItsOwn.length === 0 || target.actsOnItsOwn.includes('*');
  const byItself = (kind: string): boolean => {
    if (CURTAILMENT_ACTS.includes(kind) && target.curtailsDuringSessions !== undefined) return target.curtailsDuringSessions;
    return all || target.actsOnItsOwn.includes(kind);
  };
  return (kind: string) => ({ hooks: target.hooks, selfActs: byItself(kind) ? [kind] : [], interactive: target.interactive });
}

/**
 * What this target cannot do for a scenario, in words, checked before anything runs: a scenario
 * that scripts chargecheck's own CSMS, an act nothing performs, a hook naming a value the scenario
 * never captures. Undefined = it can run.
 */
export function targetCannot(scenario: Scenario, target: Target): string | undefined {
  const sources = targetSources(target);
  const captured = new Set<string>([...RUN_VARIABLES, ...Object.keys(target.vars)]);
  for (const step of scenario.steps) {
    const a = (step.args ?? {}) as StepArgs;
    const where = `step ${step.index + 1} (line ${step.line})`;
    if (step.kind === 'csmsCall') return `${where} uses csmsCall, which scripts chargecheck's built-in CSMS; a scenario for any CSMS says what the CSMS must do with csmsAct`;
    if (step.kind === 'expectCall' && (a.from ?? 'csms') === 'chargepoint' && (a.reply !== undefined || a.replyError !== undefined)) {
      return `${where} scripts the CSMS's answer to ${a.action ?? 'a CALL'} (reply:), which only chargecheck's built-in CSMS can give`;
    }
    if (step.kind === 'csmsAct' && a.act) {
      const choice = choosePerformer(a.act, sources(a.act));
      if (!choice.ok) {
        if (CURTAILMENT_ACTS.includes(a.act) && target.curtailsDuringSessions === false) return `${where}: the target says the CSMS never curtails during sessions (curtailsDuringSessions: false) and gives no hook for '${a.act}'`;
        return `${where}: the target says the CSMS does not '${a.act}' by itself and gives no hook for it (add hooks.${a.act}, list it in actsOnItsOwn, or set interactive: true)`;
      }
      if (choice.performer.kind === 'hook') {
        const missing = hookVariables(choice.performer.hook).filter((v) => !captured.has(v));
        if (missing.length) return `${where}: hooks.${a.act} names ${missing.map((m) => `{{${m}}}`).join(', ')}, which no earlier step captures`;
      }
    }
    for (const name of Object.keys(a.capture ?? {})) captured.add(name);
  }
  return undefined;
}
