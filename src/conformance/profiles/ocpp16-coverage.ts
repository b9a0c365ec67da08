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
  TC_073_CS: 'the security whitepaper cases wait for the security implementation in the virtual charger (branch i11a)',
  TC_074_CS: 'the security whitepaper cases wait for the security implementation in the virtual charger (branch i11a)',
  TC_075_1_CS: 'the security whitepaper cases wait for the security implementation in the virtual charger (branch i11a)',
  TC_075_2_CS: 'the security whitepaper cases wait for the security implementation in the virtual charger (branch i11a)',
  TC_076_CS: 'the security whitepaper cases wait for the security implementation in the virtual charger (branch i11a)',
  TC_077_CS: 'the security whitepaper cases wait for the security implementation in the virtual charger (branch i11a)',
  TC_078_CS: 'the security whitepaper cases wait for the security implementation in the virtual charger (branch i11a)',
  TC_079_CS: 'the security whitepaper cases wait for the security implementation in the virtual charger (branch i11a)',
  TC_080_CS: 'the security whitepaper cases wait for the security implementation in the virtual charger (branch i11a)',
  TC_081_CS: 'the security whitepaper cases wait for the security implementation in the virtual charger (branch i11a)',
  TC_083_CS: 'the security whitepaper cases wait for the security implementation in the virtual charger (branch i11a)',
  TC_084_CS: 'the security whitepaper cases wait for the security implementation in the virtual charger (branch i11a)',
  TC_085_CS: 'the security whitepaper cases wait for the security implementation in the virtual charger (branch i11a)',
  TC_086_CS: 'the security whitepaper cases wait for the security implementation in the virtual charger (branch i11a)',
  TC_087_CS: 'the security whitepaper cases wait for the security implementation in the virtual charger (branch i11a)',
};

export function notCoveredReason(id: string): string | undefined {
  return NOT_COVERED[id];
}
