export type { Act, ActOutcome, ActVariables, CommandHook, Hook, HookRun, HttpHook, JsonValue, Performer, PerformerKind } from './model.js';
export { performAct, choosePerformer, actSentence, type ActEvidence, type PerformEnv, type PerformerChoice, type PerformerSources } from './perform.js';
export { runHook, envName } from './hook-run.js';
export { showCountdown, countdown, type PromptOutput } from './prompt.js';
export { fillText, fillJson, hookVariables, placeholders, shellQuote } from './template.js';
export { parseHook } from './parse-hook.js';
