/**
 * Official charge-point cases the catalogue has no scenario for, with the reason. Every other case
 * has exactly one scenario in scenarios/ocpp16/charger/ (a test keeps this, the scenario folder and
 * docs/ocpp16-coverage.md in agreement).
 */
export const NOT_COVERED: Readonly<Record<string, string>> = {
  TC_017_2_CS: 'a fixed-cable charger: the virtual charger has a detachable cable and certify has no act or setting for a fixed one (TC_017_1_CS / TC_018_1_CS cover the detachable case)',
  TC_018_2_CS: 'a fixed-cable charger: the virtual charger has a detachable cable and certify has no act or setting for a fixed one (TC_017_1_CS / TC_018_1_CS cover the detachable case)',
  TC_030_CS: 'needs a connector lock that fails to open; neither the virtual charger nor the act model of certify has one',
  TC_048_4_CS: 'needs a charger set not to accept reservations; OCPP 1.6 has no configuration key for it and the virtual charger always takes them',
  TC_049_CS: 'connector-0 reservations: the virtual charger does not support them (ReserveConnectorZeroSupported is false); TC_050_4_CS checks that it refuses them',
  TC_050_1_CS: 'connector-0 reservations: the virtual charger does not support them (ReserveConnectorZeroSupported is false); TC_050_4_CS checks that it refuses them',
  TC_050_2_CS: 'connector-0 reservations: the virtual charger does not support them (ReserveConnectorZeroSupported is false); TC_050_4_CS checks that it refuses them',
  TC_050_3_CS: 'connector-0 reservations: the virtual charger does not support them (ReserveConnectorZeroSupported is false); TC_050_4_CS checks that it refuses them',
  TC_073_CS: 'the certify listener holds one password for the run; a case that changes AuthorizationKey needs the listener to take the new key when the charger reconnects',
  TC_078_CS: 'needs a listener presenting an invalid server certificate; certify has one listener with one valid certificate',
  TC_087_CS: 'a scenario step cannot see the TLS handshake: the client certificate is judged by PLT-SEC-3 (certify --client-ca), not by a catalogue case',
};

export function notCoveredReason(id: string): string | undefined {
  return NOT_COVERED[id];
}
