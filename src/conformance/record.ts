import type { TransactionRecord } from '../csms/transactions.js';
import type { Verdict } from '../results/model.js';
import type { FrameEvent } from '../rpc/frames.js';
import type { ConnectionInfo } from '../transport/server-connection-info.js';
import type { RefusedUpgrade } from '../transport/server.js';

/**
 * What a `certify` session records about one charger under test: everything the requirement checks
 * (src/conformance/checks/) decide from. The harness fills it while the scenarios run; the checks
 * only read it. All `at` / `clockTime` values are **true time** (the CSMS's clock: virtual when we
 * run both sides, the system clock against a real charger), in ms since the epoch. The charger's own
 * idea of time only appears inside payloads (`timestamp` fields).
 */
export interface CertificationRecord {
  readonly chargePointId: string;
  /** `platform`: the platform manages firmware (PLT-FW-1 applies); `manufacturer`: it does not. */
  readonly firmwareMode: 'platform' | 'manufacturer';
  /** Every frame on the charger's connections, in the order the CSMS saw them. */
  readonly frames: readonly RecordedFrame[];
  /** One entry per accepted WebSocket connection, in opening order. */
  readonly connections: readonly RecordedConnection[];
  /** Upgrades that got no OCPP connection (401/404/426, or 101 without the ocpp1.6 subprotocol). */
  readonly refusals: readonly RecordedRefusal[];
  /** TLS handshakes that failed, seen by the listener or reported by our own virtual charger. */
  readonly tlsFailures: readonly RecordedTlsFailure[];
  /** The CSMS's view: connector statuses as reported, in arrival order. */
  readonly statuses: readonly RecordedStatus[];
  /** The CSMS's view of transactions (meterStart/Stop and every reading, charger timestamps). */
  readonly transactions: readonly TransactionRecord[];
  /** Physical acts the harness performed (virtual charger) or asked the operator for (real one). */
  readonly acts: readonly RecordedAct[];
  /** Firmware images the harness served for UpdateFirmware. */
  readonly firmware: readonly ServedFirmware[];
  /** The scenarios that ran, with their outcome. */
  readonly scenarios: readonly RecordedScenario[];
  /** What the manufacturer declared for requirements not testable over OCPP (PLT-NF-2). */
  readonly declarations?: { readonly remoteAccess?: string };
}

/**
 * A frame as published by the CSMS's endpoint, so `direction` is from the CSMS's view:
 * `in` = sent by the charger, `out` = sent by the CSMS. `clockTime` is true time.
 */
export interface RecordedFrame extends FrameEvent {
  /** Which WebSocket connection carried it (RecordedConnection.connectionId). */
  readonly connectionId: string;
}

/** One accepted connection: the transport's facts plus when it opened and closed. */
export interface RecordedConnection extends ConnectionInfo {
  /** Unique per connection within the record, e.g. `c1`, `c2` after a reconnect. */
  readonly connectionId: string;
  /** false when the charger reached a plain ws:// listener (a probe; the certify listener is TLS only). */
  readonly secure: boolean;
  readonly closedAt?: number;
  readonly closeCode?: number;
}

export interface RecordedRefusal extends RefusedUpgrade {
  /** true when the harness made this upgrade itself to show the listener refuses it (not the charger). */
  readonly probe?: boolean;
}

export interface RecordedTlsFailure {
  /** Listener classification (`protocol-version`, `cipher`, `plain-http`, …) or `server-certificate`. */
  readonly kind: string;
  /** e.g. ERR_SSL_HTTP_REQUEST, ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED, TLS_CERT_NOT_YET_VALID. */
  readonly code: string;
  readonly message?: string;
  /** `listener`: seen by our TLS server; `charger`: our own virtual charger's client-side error. */
  readonly seenBy: 'listener' | 'charger';
  readonly at: number;
}

export interface RecordedStatus {
  /** True time the StatusNotification arrived. */
  readonly at: number;
  readonly connectorId: number;
  readonly status: string;
  readonly errorCode: string;
  /** The charger's `timestamp`, when it sent one. */
  readonly chargerTime?: number;
  readonly connectionId: string;
}

export type ActKind = 'plug' | 'unplug' | 'presentIdTag' | 'fault' | 'clearFault' | 'setEv' | 'dropNetwork' | 'restoreNetwork' | 'reboot';

export interface RecordedAct {
  readonly kind: ActKind;
  /** True time the act was done (virtual charger) or confirmed by the operator (real charger). */
  readonly at: number;
  readonly connector?: number;
  /** The step's arguments, e.g. `{ errorCode: 'GroundFailure' }`, `{ paused: true }`. */
  readonly detail?: Readonly<Record<string, unknown>>;
  /** `skipped`: the operator declined or the prompt timed out; the act did not happen. */
  readonly outcome: 'done' | 'skipped';
  /** The scenario the act belongs to (RecordedScenario.name). */
  readonly scenario: string;
  /** Real charger: true time its evidence arrived (a reaction counts until then plus the reaction time). */
  readonly confirmedAt?: number;
  /** Real charger: done by the test bench's `--act-hook` or by the operator after a prompt. */
  readonly via?: 'hook' | 'operator';
  /** Real charger: done while it was offline, so its report is looked for after the reconnect. */
  readonly deferred?: boolean;
  /** The hook's answer, or why the act was not done. */
  readonly note?: string;
}

export interface ServedFirmware {
  readonly url: string;
  /** The firmwareVersion the image installs (what the next BootNotification must carry). */
  readonly version: string;
  /** True times the charger fetched it. */
  readonly downloads: readonly number[];
}

export interface RecordedScenario {
  readonly name: string;
  readonly file: string;
  readonly requirements: readonly string[];
  readonly status: Verdict;
  readonly clockStart: number;
  readonly clockEnd: number;
}
