import type { DiagnosticsStatusNotificationRequest, GetDiagnosticsRequest, GetDiagnosticsResponse } from '../ocpp/types.js';
import type { CallContext } from '../rpc/port.js';
import type { Charger } from './charger.js';

type DiagnosticsStatus = DiagnosticsStatusNotificationRequest['status'];

/**
 * GetDiagnostics (digest §10): answers the file name, then uploads the charger's log through
 * the host's FileTransfer: Uploading → Uploaded, or UploadFailed after the retries. Without a
 * FileTransfer there is nothing to upload (no fileName).
 */
export function getDiagnostics(ch: Charger, req: GetDiagnosticsRequest, ctx: CallContext): GetDiagnosticsResponse {
  if (!ch.setup.files) return {};
  const stamp = ch.time.iso().replace(/[-:]/g, '').replace(/\..*$/, '');
  const fileName = `${ch.setup.id}-diagnostics-${stamp}.log`;
  const retries = Math.max(0, req.retries ?? 0);
  const intervalMs = Math.max(1, req.retryInterval ?? 60) * 1000;
  if (!ch.has('diagnostics-silent')) ctx.afterReply(() => void upload(ch, req.location, fileName, retries, intervalMs));
  return { fileName };
}

async function upload(ch: Charger, url: string, fileName: string, retriesLeft: number, intervalMs: number): Promise<void> {
  notify(ch, 'Uploading');
  const release = ch.time.clock.hold(`${ch.setup.id} diagnostics upload`);
  try {
    await ch.setup.files!.upload(url, fileName, ch.logLines.join('\n') + '\n');
    release();
    notify(ch, 'Uploaded');
  } catch (err) {
    release();
    ch.log(`diagnostics upload failed: ${err instanceof Error ? err.message : String(err)}`);
    if (retriesLeft > 0) ch.after(intervalMs, () => void upload(ch, url, fileName, retriesLeft - 1, intervalMs));
    else notify(ch, 'UploadFailed');
  }
}

function notify(ch: Charger, status: DiagnosticsStatus): void {
  ch.diagnosticsStatus = status;
  ch.events.emit('diagnostics', { status });
  ch.link.call('DiagnosticsStatusNotification', { status }).catch(() => ch.log(`DiagnosticsStatusNotification ${status} not delivered`));
}

/** The status a triggered DiagnosticsStatusNotification reports. */
export function triggeredDiagnosticsStatus(ch: Charger): DiagnosticsStatus {
  return ch.diagnosticsStatus === 'Uploading' ? 'Uploading' : 'Idle';
}
