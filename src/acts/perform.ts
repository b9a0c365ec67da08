import type { Clock } from '../clock/clock.js';
import type { Act, ActOutcome, ActVariables, Hook, HookRun, Performer } from './model.js';
import { runHook } from './hook-run.js';
import { showCountdown, type PromptOutput } from './prompt.js';
import { fillText } from './template.js';

/** How the caller sees the act's evidence: `met()` now, and a wait with its own notion of time. */
export interface ActEvidence {
  met(): boolean;
  /** Resolves true once `pred()` holds, false after `timeoutMs` (the run's time: virtual or real). */
  wait(pred: () => boolean, timeoutMs: number, what: string): Promise<boolean>;
}

export interface PerformEnv {
  readonly clock: Clock;
  readonly vars: ActVariables;
  readonly evidence: ActEvidence;
  /** Where a prompt goes (default: standard error). */
  readonly promptOutput?: PromptOutput;
  /** Told when a hook finished (for logs and reports). */
  onHook?(run: HookRun): void;
}

function secs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

/** The act's sentence with its variables filled in (unknown names stay as written). */
export function actSentence(act: Act, vars: ActVariables): string {
  try {
    return fillText(act.sentence, vars);
  } catch {
    return act.sentence;
  }
}

/**
 * Performs one act and waits for its evidence within the act's window. The performer starts the
 * act (own: chargecheck does it; hook: the command or request runs; prompt: a countdown tells a
 * person; wait: nothing) while the evidence is awaited, so a hook that returns only after the
 * peer has acted (an admin API answering with the charger's reply) is not a problem. A hook that
 * fails ends the wait at once: the act did not come about, and the reason names the hook.
 */
export async function performAct(act: Act, performer: Performer, env: PerformEnv): Promise<ActOutcome> {
  const { evidence } = env;
  const sentence = actSentence(act, env.vars);
  let stop = false;
  let hook: HookRun | undefined;
  let ownError: string | undefined;
  let stopPrompt: (() => void) | undefined;
  let started: Promise<void> = Promise.resolve();
  if (performer.kind === 'own') {
    started = performer.perform().catch((err: unknown) => {
      ownError = err instanceof Error ? err.message : String(err);
      stop = true;
    });
  } else if (performer.kind === 'hook') {
    started = runHook(performer.hook, env.vars, env.clock).then((run) => {
      hook = run;
      env.onHook?.(run);
      if (!run.ok) stop = true;
    });
  } else if (performer.kind === 'prompt') {
    stopPrompt = showCountdown(env.promptOutput ?? process.stderr, env.clock, `ACT: ${sentence} (waiting for ${act.evidence})`, act.windowMs);
  }
  try {
    await evidence.wait(() => stop || evidence.met(), act.windowMs, `${act.evidence} (${performer.kind === 'wait' ? 'the peer acts by itself' : performer.kind})`);
  } finally {
    stopPrompt?.();
  }
  const done = evidence.met();
  if (done) {
    // The evidence is in; a hook still running (an admin API waiting for the charger's reply) finishes in the background.
    void started;
    return { act, performer: performer.kind, done, reason: '', hook, ownError };
  }
  if (!stop) await Promise.race([started, Promise.resolve()]);
  return { act, performer: performer.kind, done, reason: failureReason(act, performer, hook, ownError), hook, ownError };
}

function failureReason(act: Act, performer: Performer, hook: HookRun | undefined, ownError: string | undefined): string {
  const within = `no ${act.evidence} within ${secs(act.windowMs)}`;
  switch (performer.kind) {
    case 'own':
      return ownError ? `chargecheck could not perform it: ${ownError}` : within;
    case 'hook':
      if (hook && !hook.ok) return `the hook failed (${hook.summary}), so the act never came about`;
      return hook ? `${within} after the hook (${hook.summary})` : `${within}; the hook was still running`;
    case 'prompt':
      return `${within} of the prompt`;
    case 'wait':
      return `the peer did not do it by itself: ${within}`;
  }
}

/** What a target can do for one act kind. */
export interface PerformerSources {
  /** Hooks by act kind (from the target file). */
  readonly hooks?: Readonly<Record<string, Hook>>;
  /** chargecheck's own way of doing the act, when it plays that side. */
  own?(kind: string): (() => Promise<void>) | undefined;
  /** Act kinds the peer performs by itself (the target says so). */
  readonly selfActs?: readonly string[];
  /** A person is there to be prompted. */
  readonly interactive?: boolean;
}

export type PerformerChoice = { readonly ok: true; readonly performer: Performer } | { readonly ok: false; readonly reason: string };

/**
 * Picks who performs an act: a configured hook first (the target asked for it), then chargecheck
 * itself, then the peer on its own (declared), then a person (interactive). Nobody: a reason, so
 * the step can be reported `skipped` before the run starts.
 */
export function choosePerformer(kind: string, sources: PerformerSources): PerformerChoice {
  const hook = sources.hooks?.[kind];
  if (hook) return { ok: true, performer: { kind: 'hook', hook } };
  const own = sources.own?.(kind);
  if (own) return { ok: true, performer: { kind: 'own', perform: own } };
  if (sources.selfActs?.includes(kind)) return { ok: true, performer: { kind: 'wait' } };
  if (sources.interactive) return { ok: true, performer: { kind: 'prompt' } };
  return { ok: false, reason: `nothing performs '${kind}' here: give the target a hook for it, say that the peer does it by itself, or run interactively` };
}
