import { CALL, CALLERROR, CALLRESULT, type Frame } from './frames.js';

/** Result of reading one text frame: a valid frame, or why it is bad and which id (if any) can be recovered. */
export type ParseResult =
  | { ok: true; frame: Frame }
  | { ok: false; problem: string; messageType?: number; messageId?: string; code: 'FormationViolation' | 'ProtocolError'; ignorable?: boolean };

export const MAX_MESSAGE_ID_LENGTH = 36;

const ID_PREFIX = /^\s*\[\s*(\d+)\s*,\s*"((?:[^"\\]|\\.){0,100})"/;

/**
 * Classifies a received text frame (OCPP-J §4). A frame that is not JSON still yields its message
 * id when the start of it is readable, so a broken CALL can be answered with a CALLERROR.
 */
export function parseFrame(raw: string): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    const m = ID_PREFIX.exec(raw);
    return { ok: false, problem: 'not valid JSON', code: 'FormationViolation', messageType: m ? Number(m[1]) : undefined, messageId: m ? unescapeId(m[2]) : undefined };
  }
  if (!Array.isArray(data) || data.length === 0) return { ok: false, problem: 'not a JSON array', code: 'FormationViolation' };
  const [type, id] = data as unknown[];
  if (typeof type !== 'number' || !Number.isInteger(type)) return { ok: false, problem: 'message type is not an integer', code: 'FormationViolation' };
  const messageId = typeof id === 'string' ? id : undefined;
  const bad = (problem: string, code: 'FormationViolation' | 'ProtocolError' = 'FormationViolation'): ParseResult => ({ ok: false, problem, code, messageType: type, messageId });
  if (type !== CALL && type !== CALLRESULT && type !== CALLERROR) {
    // OCPP-J 1.6: a message with an unknown type number is ignored.
    return { ok: false, problem: `unknown message type ${type}`, code: 'ProtocolError', messageType: type, messageId, ignorable: true };
  }
  if (messageId === undefined) return bad('message id is not a string');
  if (messageId.length === 0 || messageId.length > MAX_MESSAGE_ID_LENGTH) return bad(`message id length ${messageId.length} is outside 1..${MAX_MESSAGE_ID_LENGTH}`);
  if (type === CALL) {
    if (data.length !== 4) return bad(`CALL has ${data.length} elements, expected 4`, 'ProtocolError');
    if (typeof data[2] !== 'string' || data[2].length === 0) return bad('CALL action is not a string');
    if (!isObject(data[3])) return bad('CALL payload is not an object');
    return { ok: true, frame: [CALL, messageId, data[2], data[3]] };
  }
  if (type === CALLRESULT) {
    if (data.length !== 3) return bad(`CALLRESULT has ${data.length} elements, expected 3`, 'ProtocolError');
    if (!isObject(data[2])) return bad('CALLRESULT payload is not an object');
    return { ok: true, frame: [CALLRESULT, messageId, data[2]] };
  }
  if (data.length !== 5) return bad(`CALLERROR has ${data.length} elements, expected 5`, 'ProtocolError');
  if (typeof data[2] !== 'string' || typeof data[3] !== 'string' || !isObject(data[4])) return bad('CALLERROR fields have the wrong types');
  return { ok: true, frame: [CALLERROR, messageId, data[2], data[3], data[4]] };
}

/** The id as JSON text between its quotes, decoded (`a\"b` → `a"b`); undefined if the escapes are invalid. */
function unescapeId(text: string): string | undefined {
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
