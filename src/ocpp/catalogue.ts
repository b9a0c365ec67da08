/**
 * The OCPP 1.6 action catalogue: every action, who sends it, its feature profile, and the names
 * of its two schema files (request, response). Directions and profiles follow the errata's
 * corrected table (digest §4) and the security whitepaper (digest §2.5).
 */
export type Direction = 'ChargePointToCsms' | 'CsmsToChargePoint' | 'Both';
export type FeatureProfile =
  | 'Core'
  | 'FirmwareManagement'
  | 'LocalAuthListManagement'
  | 'Reservation'
  | 'SmartCharging'
  | 'RemoteTrigger'
  | 'Security';

export interface ActionInfo {
  readonly action: ActionName;
  readonly direction: Direction;
  readonly profile: FeatureProfile;
  readonly requestSchema: string;
  readonly responseSchema: string;
}

const TABLE = {
  Authorize: ['ChargePointToCsms', 'Core'],
  BootNotification: ['ChargePointToCsms', 'Core'],
  DataTransfer: ['Both', 'Core'],
  Heartbeat: ['ChargePointToCsms', 'Core'],
  MeterValues: ['ChargePointToCsms', 'Core'],
  StartTransaction: ['ChargePointToCsms', 'Core'],
  StatusNotification: ['ChargePointToCsms', 'Core'],
  StopTransaction: ['ChargePointToCsms', 'Core'],
  ChangeAvailability: ['CsmsToChargePoint', 'Core'],
  ChangeConfiguration: ['CsmsToChargePoint', 'Core'],
  ClearCache: ['CsmsToChargePoint', 'Core'],
  GetConfiguration: ['CsmsToChargePoint', 'Core'],
  RemoteStartTransaction: ['CsmsToChargePoint', 'Core'],
  RemoteStopTransaction: ['CsmsToChargePoint', 'Core'],
  Reset: ['CsmsToChargePoint', 'Core'],
  UnlockConnector: ['CsmsToChargePoint', 'Core'],
  DiagnosticsStatusNotification: ['ChargePointToCsms', 'FirmwareManagement'],
  FirmwareStatusNotification: ['ChargePointToCsms', 'FirmwareManagement'],
  GetDiagnostics: ['CsmsToChargePoint', 'FirmwareManagement'],
  UpdateFirmware: ['CsmsToChargePoint', 'FirmwareManagement'],
  GetLocalListVersion: ['CsmsToChargePoint', 'LocalAuthListManagement'],
  SendLocalList: ['CsmsToChargePoint', 'LocalAuthListManagement'],
  ReserveNow: ['CsmsToChargePoint', 'Reservation'],
  CancelReservation: ['CsmsToChargePoint', 'Reservation'],
  SetChargingProfile: ['CsmsToChargePoint', 'SmartCharging'],
  ClearChargingProfile: ['CsmsToChargePoint', 'SmartCharging'],
  GetCompositeSchedule: ['CsmsToChargePoint', 'SmartCharging'],
  TriggerMessage: ['CsmsToChargePoint', 'RemoteTrigger'],
  SecurityEventNotification: ['ChargePointToCsms', 'Security'],
  SignCertificate: ['ChargePointToCsms', 'Security'],
  SignedFirmwareStatusNotification: ['ChargePointToCsms', 'Security'],
  LogStatusNotification: ['ChargePointToCsms', 'Security'],
  CertificateSigned: ['CsmsToChargePoint', 'Security'],
  DeleteCertificate: ['CsmsToChargePoint', 'Security'],
  ExtendedTriggerMessage: ['CsmsToChargePoint', 'Security'],
  GetInstalledCertificateIds: ['CsmsToChargePoint', 'Security'],
  GetLog: ['CsmsToChargePoint', 'Security'],
  InstallCertificate: ['CsmsToChargePoint', 'Security'],
  SignedUpdateFirmware: ['CsmsToChargePoint', 'Security'],
} as const satisfies Record<string, readonly [Direction, FeatureProfile]>;

export type ActionName = keyof typeof TABLE;

export const ACTIONS: ReadonlyMap<ActionName, ActionInfo> = new Map(
  (Object.keys(TABLE) as ActionName[]).map((action) => {
    const [direction, profile] = TABLE[action];
    return [action, { action, direction, profile, requestSchema: action, responseSchema: `${action}Response` }];
  }),
);

export function isActionName(name: unknown): name is ActionName {
  return typeof name === 'string' && ACTIONS.has(name as ActionName);
}

/** Whether `sender` may originate `action` (the charger is 'ChargePoint', the CSMS 'Csms'). */
export function maySend(action: ActionName, sender: 'ChargePoint' | 'Csms'): boolean {
  const { direction } = ACTIONS.get(action)!;
  if (direction === 'Both') return true;
  return sender === 'ChargePoint' ? direction === 'ChargePointToCsms' : direction === 'CsmsToChargePoint';
}
