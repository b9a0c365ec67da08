import type { Clock } from '../clock/clock.js';
import type { Csms } from '../csms/csms.js';
import type { CsmsSession } from '../csms/session.js';
import type { CertificationRecord, RecordedAct, RecordedConnection, RecordedFrame, RecordedRefusal, RecordedScenario, RecordedTlsFailure } from '../conformance/record.js';
import { csmsViewFromFrames } from '../conformance/csms-view.js';
import { beforeEffects } from '../conformance/limits.js';
import type { FrameEvent } from '../rpc/frames.js';
import type { OcppServer } from '../transport/server.js';
import type { FirmwareServer } from './firmware-server.js';

/**
 * Fills a CertificationRecord from the certify listener and the CSMS while scenarios run: every
 * connection (with its TLS facts), refused upgrade, failed handshake and frame, plus the acts the
 * harness performed. `probing` marks the harness's own listener checks so they are not blamed on
 * the charger.
 */
export class CertifyRecorder {
  readonly frames: RecordedFrame[] = [];
  readonly connections: RecordedConnection[] = [];
  readonly refusals: RecordedRefusal[] = [];
  readonly tlsFailures: RecordedTlsFailure[] = [];
  readonly acts: RecordedAct[] = [];
  readonly scenarios: RecordedScenario[] = [];
  probing = false;
  private readonly frameListeners = new Set<(f: FrameEvent) => void>();
  private connectionSeq = 0;

  constructor(
    private readonly clock: Clock,
    readonly chargePointId: string,
  ) {}

  /** Wires the listener and the CSMS: connections are attached here, one session each. */
  bind(server: OcppServer, csms: Csms, onSession: (s: CsmsSession) => void): void {
    server.on('refused', (r) => this.refusals.push({ ...r, ...(this.probing ? { probe: true } : {}) }));
    server.on('tlsError', (f) => {
      if (!this.probing) this.tlsFailures.push({ kind: f.kind, code: f.code, message: f.message, seenBy: 'listener', at: f.at });
    });
    server.on('connection', (conn) => {
      const connectionId = `c${++this.connectionSeq}`;
      const record: RecordedConnection = { ...conn.info, connectionId, secure: server.secure };
      this.connections.push(record);
      const session = csms.attach(conn.channel, conn.info.id, {
        tlsVersion: conn.info.tls?.version,
        cipher: conn.info.tls?.cipher,
        authForm: conn.info.authForm,
        remoteAddress: conn.info.remoteAddress,
      });
      session.endpoint.onFrame((e) => {
        this.frames.push({ ...e, connectionId });
        for (const l of this.frameListeners) l(e);
      });
      session.endpoint.onClose((code) => {
        const i = this.connections.indexOf(record);
        if (i >= 0) this.connections[i] = { ...record, closedAt: this.clock.now(), closeCode: code };
      });
      onSession(session);
    });
  }

  onFrame(listener: (f: FrameEvent) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  chargerTlsFailure(code: string, message: string): void {
    this.tlsFailures.push({ kind: 'server-certificate', code, message, seenBy: 'charger', at: this.clock.now() });
  }

  /** Records an act performed (or asked for) at true time `startedAt`, stamped just before its effects. */
  act(act: Omit<RecordedAct, 'at'>, startedAt: number): void {
    this.acts.push({ ...act, at: beforeEffects(startedAt) });
  }

  record(firmwareMode: 'platform' | 'manufacturer', firmware: FirmwareServer | undefined, remoteAccess?: string): CertificationRecord {
    const view = csmsViewFromFrames(this.chargePointId, this.frames);
    return {
      chargePointId: this.chargePointId,
      firmwareMode,
      frames: this.frames,
      connections: this.connections,
      refusals: this.refusals,
      tlsFailures: this.tlsFailures,
      statuses: view.statuses,
      transactions: view.transactions,
      acts: this.acts,
      firmware: firmware ? [{ url: firmware.url, version: firmware.version, downloads: firmware.downloads }] : [],
      scenarios: this.scenarios,
      ...(remoteAccess ? { declarations: { remoteAccess } } : {}),
    };
  }
}
