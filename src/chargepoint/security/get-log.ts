import type { GetLogRequest, GetLogResponse, LogStatusNotificationRequest } from '../../ocpp/types.js';
import type { CallContext } from '../../rpc/port.js';
import type { Charger } from '../charger.js';

type LogStatus = LogStatusNotificationRequest['status'];

/** The log upload in progress (for ExtendedTriggerMessage LogStatusNotification and cancelling). */
export interface LogUploadState {
  status: LogStatus;
  requestId?: number;
  generation: number;
}

/**
 * GetLog (WP2 N01, digest §2.5): DiagnosticsLog is the charger's log, SecurityLog its security
 * log, each cut to oldestTimestamp..latestTimestamp. Answers Accepted with the file name (or
 * AcceptedCanceled when it replaces a running upload), then uploads through the host's
 * FileTransfer: LogStatusNotification Uploading → Uploaded, or UploadFailure after the retries,
 * each with the requestId. Rejected without a FileTransfer. Quirk `no-security-log` answers a
 * SecurityLog request with Rejected.
 */
export function getLog(ch: Charger, state: LogUploadState, req: GetLogRequest, ctx: CallContext): GetLogResponse {
  if (!ch.setup.files) return { status: 'Rejected' };
  if (req.logType === 'SecurityLog' && ch.has('no-security-log')) {
    ch.log('GetLog SecurityLog: Rejected (quirk no-security-log)');
    return { status: 'Rejected' };
  }
  const from = req.log.oldestTimestamp ? Date.parse(req.log.oldestTimestamp) : Number.NEGATIVE_INFINITY;
  const to = req.log.latestTimestamp ? Date.parse(req.log.latestTimestamp) : Number.POSITIVE_INFINITY;
  const lines = req.logType === 'SecurityLog' ? ch.securityEvents.lines(from, to) : ch.logLines.filter((l) => inWindow(l, from, to));
  const stamp = ch.time.iso().replace(/[-:]/g, '').replace(/\..*$/, '');
  const filename = `${ch.setup.id}-${req.logType === 'SecurityLog' ? 'security' : 'diagnostics'}-${stamp}.log`;
  const replaced = state.status === 'Uploading';
  const gen = ++state.generation;
  state.requestId = req.requestId;
  const retries = Math.max(0, req.retries ?? 0);
  const intervalMs = Math.max(1, req.retryInterval ?? 60) * 1000;
  ctx.afterReply(() => void upload(ch, state, gen, req, filename, lines.join('\n') + '\n', retries, intervalMs));
  return { status: replaced ? 'AcceptedCanceled' : 'Accepted', filename };
}

function inWindow(line: string, from: number, to: number): boolean {
  const t = Date.parse(line.slice(0, 24));
  return Number.isNaN(t) || (t >= from && t <= to);
}

async function upload(ch: Charger, state: LogUploadState, gen: number, req: GetLogRequest, filename: string, content: string, retriesLeft: number, intervalMs: number): Promise<void> {
  if (gen !== state.generation) return;
  notify(ch, state, 'Uploading');
  const release = ch.time.clock.hold(`${ch.setup.id} log upload`);
  try {
    await ch.setup.files!.upload(req.log.remoteLocation, filename, content);
    release();
    if (gen === state.generation) notify(ch, state, 'Uploaded');
  } catch (err) {
    release();
    ch.log(`log upload failed: ${err instanceof Error ? err.message : String(err)}`);
    if (gen !== state.generation) return;
    if (retriesLeft > 0) ch.after(intervalMs, () => void upload(ch, state, gen, req, filename, content, retriesLeft - 1, intervalMs));
    else notify(ch, state, 'UploadFailure');
  }
}

function notify(ch: Charger, state: LogUploadState, status: LogStatus): void {
  state.status = status;
  ch.events.emit('diagnostics', { status });
  const payload = state.requestId === undefined ? { status } : { status, requestId: state.requestId };
  ch.link.call('LogStatusNotification', payload).catch(() => ch.log(`LogStatusNotification ${status} not delivered`));
}

/** What ExtendedTriggerMessage(LogStatusNotification) reports: Uploading with its id, else Idle. */
export function triggeredLogStatus(state: LogUploadState): LogStatusNotificationRequest {
  return state.status === 'Uploading' && state.requestId !== undefined ? { status: 'Uploading', requestId: state.requestId } : { status: 'Idle' };
}
