/**
 * The configuration keys the virtual charger knows (digest §2.5, §6, §8): type, access,
 * default and validation. The Configuration class (configuration.ts) applies them.
 */
import { parseMeasurandList } from '../measurand-list.js';

export type KeyAccess = 'R' | 'RW' | 'W';
export type KeyType = 'boolean' | 'integer' | 'string' | 'csl';

export interface KeyDef {
  readonly name: string;
  readonly access: KeyAccess;
  readonly type: KeyType;
  readonly value: string;
  /** Extra value check beyond the type; returns a reason when the value is refused. */
  readonly check?: (value: string, all: ReadonlyMap<string, string>) => string | undefined;
  /** The CSL's companion `…MaxLength` key. */
  readonly maxLengthKey?: string;
  /** Applied, but effective only after a reboot. */
  readonly rebootRequired?: boolean;
}

const nonNegative = (v: string): string | undefined => (Number(v) < 0 ? 'must not be negative' : undefined);
const positive = (v: string): string | undefined => (Number(v) < 1 ? 'must be at least 1' : undefined);
const percent = (v: string): string | undefined => (Number(v) < 0 || Number(v) > 100 ? 'must be 0..100' : undefined);
const measurands = (v: string): string | undefined => parseMeasurandList(v).error;

const ROTATIONS = new Set(['NotApplicable', 'Unknown', 'RST', 'RTS', 'SRT', 'STR', 'TRS', 'TSR']);
const phaseRotation = (v: string): string | undefined => {
  for (const item of v.split(',').filter((s) => s.trim() !== '')) {
    const m = /^(\d+)\.(\w+)$/.exec(item.trim());
    if (!m || !ROTATIONS.has(m[2])) return `bad phase rotation entry '${item}'`;
  }
  return undefined;
};

const authorizationKey = (v: string): string | undefined => {
  if (/^[0-9a-fA-F]{32,40}$/.test(v) && v.length % 2 === 0) return undefined; // 16-20 bytes as hex
  if (v.length >= 16 && v.length <= 20) return undefined; // plain text, as the CTT allows
  return 'must be 16-20 bytes as hex (32-40 digits) or 16-20 characters';
};

const securityProfile = (v: string, all: ReadonlyMap<string, string>): string | undefined => {
  const next = Number(v);
  const current = Number(all.get('SecurityProfile') ?? '0');
  if (next > 3) return 'profiles are 0..3';
  if (next <= current) return 'a security profile can only be raised';
  // the AuthorizationKey (1, 2) and certificate (2, 3) preconditions are checked by the charge
  // point (security/profile.ts), which knows its certificate store and its host's key
  return undefined;
};

const FEATURE_PROFILES = 'Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger';

export const KEY_DEFS: readonly KeyDef[] = [
  // Core (digest §8)
  { name: 'AllowOfflineTxForUnknownId', access: 'RW', type: 'boolean', value: 'false' },
  { name: 'AuthorizationCacheEnabled', access: 'RW', type: 'boolean', value: 'true' },
  { name: 'AuthorizeRemoteTxRequests', access: 'RW', type: 'boolean', value: 'false' },
  { name: 'BlinkRepeat', access: 'RW', type: 'integer', value: '3', check: nonNegative },
  { name: 'ClockAlignedDataInterval', access: 'RW', type: 'integer', value: '0', check: nonNegative },
  { name: 'ConnectionTimeOut', access: 'RW', type: 'integer', value: '120', check: positive },
  { name: 'ConnectorPhaseRotation', access: 'RW', type: 'csl', value: '0.RST,1.RST', check: phaseRotation, maxLengthKey: 'ConnectorPhaseRotationMaxLength', rebootRequired: true },
  { name: 'ConnectorPhaseRotationMaxLength', access: 'R', type: 'integer', value: '10' },
  { name: 'GetConfigurationMaxKeys', access: 'R', type: 'integer', value: '100' },
  { name: 'HeartbeatInterval', access: 'RW', type: 'integer', value: '300', check: nonNegative },
  { name: 'LightIntensity', access: 'RW', type: 'integer', value: '80', check: percent },
  { name: 'LocalAuthorizeOffline', access: 'RW', type: 'boolean', value: 'true' },
  { name: 'LocalPreAuthorize', access: 'RW', type: 'boolean', value: 'false' },
  { name: 'MaxEnergyOnInvalidId', access: 'RW', type: 'integer', value: '0', check: nonNegative },
  { name: 'MessageTimeout', access: 'RW', type: 'integer', value: '30', check: positive },
  { name: 'MeterValuesAlignedData', access: 'RW', type: 'csl', value: 'Energy.Active.Import.Register', check: measurands, maxLengthKey: 'MeterValuesAlignedDataMaxLength' },
  { name: 'MeterValuesAlignedDataMaxLength', access: 'R', type: 'integer', value: '8' },
  { name: 'MeterValuesSampledData', access: 'RW', type: 'csl', value: 'Energy.Active.Import.Register,Power.Active.Import', check: measurands, maxLengthKey: 'MeterValuesSampledDataMaxLength' },
  { name: 'MeterValuesSampledDataMaxLength', access: 'R', type: 'integer', value: '8' },
  { name: 'MeterValueSampleInterval', access: 'RW', type: 'integer', value: '300', check: nonNegative },
  { name: 'MinimumStatusDuration', access: 'RW', type: 'integer', value: '0', check: nonNegative },
  { name: 'NumberOfConnectors', access: 'R', type: 'integer', value: '1' },
  { name: 'ResetRetries', access: 'RW', type: 'integer', value: '3', check: nonNegative },
  { name: 'StopTransactionMaxMeterValues', access: 'R', type: 'integer', value: '20' },
  { name: 'StopTransactionOnEVSideDisconnect', access: 'RW', type: 'boolean', value: 'true' },
  { name: 'StopTransactionOnInvalidId', access: 'RW', type: 'boolean', value: 'true' },
  { name: 'StopTxnAlignedData', access: 'RW', type: 'csl', value: '', check: measurands, maxLengthKey: 'StopTxnAlignedDataMaxLength' },
  { name: 'StopTxnAlignedDataMaxLength', access: 'R', type: 'integer', value: '8' },
  { name: 'StopTxnSampledData', access: 'RW', type: 'csl', value: 'Energy.Active.Import.Register', check: measurands, maxLengthKey: 'StopTxnSampledDataMaxLength' },
  { name: 'StopTxnSampledDataMaxLength', access: 'R', type: 'integer', value: '8' },
  { name: 'SupportedFeatureProfiles', access: 'R', type: 'csl', value: FEATURE_PROFILES },
  { name: 'SupportedFeatureProfilesMaxLength', access: 'R', type: 'integer', value: '6' },
  { name: 'TransactionMessageAttempts', access: 'RW', type: 'integer', value: '3', check: positive },
  { name: 'TransactionMessageRetryInterval', access: 'RW', type: 'integer', value: '60', check: nonNegative },
  { name: 'UnlockConnectorOnEVSideDisconnect', access: 'RW', type: 'boolean', value: 'true' },
  { name: 'WebSocketPingInterval', access: 'RW', type: 'integer', value: '30', check: nonNegative },
  // Local Auth List Management
  { name: 'LocalAuthListEnabled', access: 'RW', type: 'boolean', value: 'true' },
  { name: 'LocalAuthListMaxLength', access: 'R', type: 'integer', value: '100' },
  { name: 'SendLocalListMaxLength', access: 'R', type: 'integer', value: '100' },
  // Reservation
  { name: 'ReserveConnectorZeroSupported', access: 'R', type: 'boolean', value: 'false' },
  // Firmware Management
  { name: 'SupportedFileTransferProtocols', access: 'R', type: 'csl', value: 'HTTP,HTTPS' },
  // Smart Charging (digest §6)
  { name: 'ChargeProfileMaxStackLevel', access: 'R', type: 'integer', value: '8' },
  { name: 'ChargingScheduleAllowedChargingRateUnit', access: 'R', type: 'csl', value: 'Current,Power' },
  { name: 'ChargingScheduleMaxPeriods', access: 'R', type: 'integer', value: '24' },
  { name: 'MaxChargingProfilesInstalled', access: 'R', type: 'integer', value: '16' },
  { name: 'ConnectorSwitch3to1PhaseSupported', access: 'R', type: 'boolean', value: 'false' },
  // Security whitepaper (digest §2.5)
  { name: 'AuthorizationKey', access: 'W', type: 'string', value: '', check: authorizationKey },
  { name: 'SecurityProfile', access: 'RW', type: 'integer', value: '0', check: securityProfile },
  { name: 'CpoName', access: 'RW', type: 'string', value: '' },
  { name: 'AdditionalRootCertificateCheck', access: 'R', type: 'boolean', value: 'false' },
  { name: 'CertificateSignedMaxChainSize', access: 'R', type: 'integer', value: '10000' },
  { name: 'CertificateStoreMaxLength', access: 'R', type: 'integer', value: '3' },
];
