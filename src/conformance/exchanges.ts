import type { FrameRecord } from '../results/model.js';
import { CALL, CALLERROR, CALLRESULT } from '../rpc/frames.js';
import type { CertificationRecord, RecordedFrame } from './record.js';

/** A CALL in the record with its answer (paired by message id on the same connection). */
export interface Exchange {
  /** Position of the CALL in `record.frames`. */
  readonly index: number;
  readonly call: RecordedFrame;
  readonly action: string;
  readonly from: 'charger' | 'csms';
  readonly payload: Readonly<Record<string, unknown>>;
  readonly answer?: RecordedFrame;
  /** Position of the answer in `record.frames`. */
  readonly answerIndex?: number;
  /** The CALLRESULT payload. */
  readonly result?: Readonly<Record<string, unknown>>;
  /** The CALLERROR code. */
  readonly errorCode?: string;
  /** True time of the CALL. */
  readonly at: number;
}

const cache = new WeakMap<CertificationRecord, readonly Exchange[]>();

/** Every CALL of the record, in frame order, each paired with its CALLRESULT or CALLERROR. */
export function exchanges(record: CertificationRecord): readonly Exchange[] {
  const known = cache.get(record);
  if (known) return known;
  const out: Exchange[] = [];
  const open = new Map<string, number>();
  const frames = record.frames;
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    const frame = f.frame;
    if (!frame) continue;
    if (frame[0] === CALL) {
      open.set(`${f.connectionId}\n${f.direction}\n${frame[1]}`, out.length);
      out.push({ index: i, call: f, action: frame[2], from: f.direction === 'in' ? 'charger' : 'csms', payload: frame[3], at: f.clockTime });
      continue;
    }
    const key = `${f.connectionId}\n${f.direction === 'in' ? 'out' : 'in'}\n${frame[1]}`;
    const at = open.get(key);
    if (at === undefined) continue;
    open.delete(key);
    const ex = out[at];
    if (frame[0] === CALLRESULT) out[at] = { ...ex, answer: f, answerIndex: i, result: frame[2] };
    else if (frame[0] === CALLERROR) out[at] = { ...ex, answer: f, answerIndex: i, errorCode: frame[2] };
  }
  cache.set(record, out);
  return out;
}

/** CALLs of one action, optionally only from one side. */
export function callsOf(record: CertificationRecord, action: string, from?: 'charger' | 'csms'): Exchange[] {
  return exchanges(record).filter((e) => e.action === action && (from === undefined || e.from === from));
}

/** How the CALL was answered, for evidence: `Accepted`, `CALLERROR NotSupported`, `no answer`. */
export function answerText(ex: Exchange): string {
  if (ex.errorCode !== undefined) return `CALLERROR ${ex.errorCode}`;
  if (!ex.result) return 'no answer';
  const status = ex.result.status;
  return typeof status === 'string' ? status : 'answered';
}

export function toFrameRecord(f: RecordedFrame): FrameRecord {
  return { connection: f.connectionId, direction: f.direction, clockTime: f.clockTime, wallTime: f.wallTime, raw: f.raw };
}

/** Frame excerpt of exchanges: each CALL followed by its answer. */
export function excerpt(...list: readonly (Exchange | undefined)[]): FrameRecord[] {
  const out: FrameRecord[] = [];
  for (const ex of list) {
    if (!ex) continue;
    out.push(toFrameRecord(ex.call));
    if (ex.answer) out.push(toFrameRecord(ex.answer));
  }
  return out;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
