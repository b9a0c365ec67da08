/**
 * Named faults that make the virtual charger a bad one on purpose. Each breaks one platform
 * requirement (docs/quirks.md lists the ids); keep their effects narrow so a certification
 * mutation matrix sees exactly the listed requirements fail.
 */
export const QUIRKS = {
  'no-power-measurand': 'never sends Power.Active.Import, Current.Import or Voltage in meter values',
  'reject-txprofile': 'answers SetChargingProfile(TxProfile) with Rejected',
  'reject-maxprofile': 'answers SetChargingProfile(ChargePointMaxProfile) with Rejected',
  'ignore-limit': 'accepts charging profiles but keeps charging at full power',
  'ignore-trigger-boot': 'accepts TriggerMessage(BootNotification) but never sends one',
  'ignore-trigger-status': 'accepts TriggerMessage(StatusNotification) but never sends one',
  'reject-sample-interval': 'answers ChangeConfiguration(MeterValueSampleInterval) with Rejected',
  'wrong-sample-interval': 'samples every 90 s whatever MeterValueSampleInterval says',
  'energy-backwards': 'the energy register restarts at 0 for every transaction',
  'charging-without-power': 'reports Charging while the (full) EV imports 0 W',
  'never-faulted': 'reports a fault as a warning on the current status, never as Faulted',
  'clock-off': 'its clock is hours behind and never syncs from the CSMS',
  'no-tls': 'connects with plain ws://',
  'no-basic-auth': 'sends no Authorization header on the WebSocket upgrade',
  'lose-queue': 'drops transaction messages queued while offline when it reconnects',
  'firmware-stalls': 'reports Downloading after UpdateFirmware (or SignedUpdateFirmware) and then nothing more',
  // ---- faults the OCPP 1.6 catalogue (certify --profile ocpp16) catches; CATALOGUE_ONLY_QUIRKS break no platform-1.6j requirement ----
  'boot-no-retry': 'after a Pending or Rejected BootNotification never boots again',
  'sloppy-statuses': 'never reports Preparing for a tag waiting for its cable, nor Finishing after a transaction',
  'ev-disconnect-inverted': 'reads StopTransactionOnEVSideDisconnect the wrong way round',
  'no-auth-cache': 'keeps no authorization cache: every tag is asked for, offline none is known',
  'remote-ignored': 'accepts RemoteStartTransaction and RemoteStopTransaction, then does nothing',
  'reset-ignored': 'accepts Reset and does not reset',
  'forgets-on-reboot': 'after a power cut forgets its connectors\' availability and the transaction that was running',
  'unlock-fails': 'answers UnlockConnector with UnlockFailed',
  'config-lax': 'accepts every ChangeConfiguration (unknown keys, bad values) and never lists unknown keys',
  'auth-lax': 'starts for a tag found Invalid and lets any tag stop a transaction',
  'parent-ignored': 'ignores parentIdTag: another tag of the group neither stops the transaction nor uses the group\'s reservation',
  'careless-requests': 'accepts requests it must refuse (remote start on connector 0 or an Unavailable one, unknown ids and connectors, TxProfile without its transaction, unknown DataTransfer) and ignores ClearCache',
  'local-list-ignored': 'accepts SendLocalList but keeps no list (GetLocalListVersion -1)',
  'no-reservations': 'answers every ReserveNow Rejected',
  'txdefault-rejected': 'answers SetChargingProfile(TxDefaultProfile) with Rejected',
  'no-aligned-data': 'never sends clock-aligned MeterValues',
  'diagnostics-silent': 'answers GetDiagnostics with a file name, then never uploads nor reports',
  'security-profile-stuck': 'answers ChangeConfiguration SecurityProfile Accepted and stays on its profile',
  // security whitepaper (docs/security.md); they break catalogue cases, not platform requirements
  'accept-any-certificate': 'accepts a CertificateSigned chain that does not validate, without a security event',
  'install-certificate-ignored': 'answers InstallCertificate Accepted and stores nothing',
  'delete-certificate-ignored': 'answers DeleteCertificate Accepted and keeps the certificate',
  'ignore-extended-trigger': 'accepts ExtendedTriggerMessage and then sends nothing',
  'no-security-events': 'never sends SecurityEventNotification (events are only logged)',
  'unsigned-firmware': 'installs signed firmware whose signature does not verify',
  'no-security-log': 'answers GetLog for the SecurityLog with Rejected',
  'no-client-certificate': 'connects without its client certificate under Security Profile 3',
  'security-profile-downgrade': 'accepts a lower SecurityProfile',
} as const;

/** The quirks the OCPP 1.6 catalogue's mutation matrix exists for (docs/quirks.md, second table). */
export const CATALOGUE_ONLY_QUIRKS: readonly string[] = [
  'boot-no-retry', 'sloppy-statuses', 'no-auth-cache', 'remote-ignored', 'reset-ignored', 'forgets-on-reboot', 'unlock-fails',
  'config-lax', 'auth-lax', 'parent-ignored', 'careless-requests', 'local-list-ignored', 'no-reservations', 'txdefault-rejected', 'no-aligned-data', 'diagnostics-silent',
  'security-profile-stuck',
];

/** The quirks of the security whitepaper: no platform requirement fails for them (PLT-SEC-3 is announced). */
export const SECURITY_QUIRKS: ReadonlySet<QuirkName> = new Set<QuirkName>([
  'accept-any-certificate',
  'install-certificate-ignored',
  'delete-certificate-ignored',
  'ignore-extended-trigger',
  'no-security-events',
  'unsigned-firmware',
  'no-security-log',
  'no-client-certificate',
  'security-profile-downgrade',
]);

export type QuirkName = keyof typeof QUIRKS;

export const QUIRK_NAMES = Object.keys(QUIRKS) as QuirkName[];

export function isQuirkName(name: string): name is QuirkName {
  return Object.prototype.hasOwnProperty.call(QUIRKS, name);
}

/** How far the `clock-off` charger's clock is from true time (6 hours behind). */
export const CLOCK_OFF_MS = -6 * 3600_000;

/** The sampling interval the `wrong-sample-interval` charger uses, whatever it is told. */
export const WRONG_SAMPLE_INTERVAL_S = 90;

export interface TransportBehaviour {
  /** false: connect with plain ws:// (quirk `no-tls`). */
  useTls: boolean;
  /** false: no Authorization header on the upgrade (quirk `no-basic-auth`). */
  sendBasicAuth: boolean;
  /** false: no client certificate even under Security Profile 3 (quirk `no-client-certificate`). */
  sendClientCertificate: boolean;
  /**
   * How far the charger's clock must be from true time (quirk `clock-off`): the host builds the
   * charger's clock with this offset (a DriftingClock over the run's clock) and hands that clock
   * to the model and to the TLS validity check. The model itself only refuses to sync its clock
   * from the CSMS under `clock-off`.
   */
  clockOffsetMs: number;
}

/** What the host's transport must do for the transport-level quirks. */
export function transportBehaviour(quirks: Iterable<QuirkName>): TransportBehaviour {
  const set = new Set(quirks);
  return {
    useTls: !set.has('no-tls'),
    sendBasicAuth: !set.has('no-basic-auth'),
    sendClientCertificate: !set.has('no-client-certificate'),
    clockOffsetMs: set.has('clock-off') ? CLOCK_OFF_MS : 0,
  };
}
