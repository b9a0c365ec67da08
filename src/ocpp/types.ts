/**
 * Names for the nested shapes of the generated payload types. Each is derived from a generated
 * type (never written by hand), so a schema change flows through.
 */
import type {
  BootNotificationResponse,
  ChangeAvailabilityRequest,
  GetCompositeScheduleResponse,
  MeterValuesRequest,
  OcppRequests,
  OcppResponses,
  SetChargingProfileRequest,
  StartTransactionResponse,
  StatusNotificationRequest,
  StopTransactionRequest,
  TriggerMessageRequest,
} from './generated/types.js';
import type { ActionName } from './catalogue.js';

export type * from './generated/types.js';

export type RequestOf<A extends ActionName> = OcppRequests[A];
export type ResponseOf<A extends ActionName> = OcppResponses[A];

export type ChargingProfile = SetChargingProfileRequest['csChargingProfiles'];
export type ChargingSchedule = ChargingProfile['chargingSchedule'];
export type ChargingSchedulePeriod = ChargingSchedule['chargingSchedulePeriod'][number];
export type ChargingProfilePurpose = ChargingProfile['chargingProfilePurpose'];
export type ChargingRateUnit = ChargingSchedule['chargingRateUnit'];
export type CompositeSchedule = NonNullable<GetCompositeScheduleResponse['chargingSchedule']>;
export type MeterValue = MeterValuesRequest['meterValue'][number];
export type SampledValue = MeterValue['sampledValue'][number];
export type Measurand = NonNullable<SampledValue['measurand']>;
export type ReadingContext = NonNullable<SampledValue['context']>;
export type Phase = NonNullable<SampledValue['phase']>;
export type UnitOfMeasure = NonNullable<SampledValue['unit']>;
export type ChargePointStatus = StatusNotificationRequest['status'];
export type ChargePointErrorCode = StatusNotificationRequest['errorCode'];
export type IdTagInfo = StartTransactionResponse['idTagInfo'];
export type AuthorizationStatus = IdTagInfo['status'];
export type RegistrationStatus = BootNotificationResponse['status'];
export type StopReason = NonNullable<StopTransactionRequest['reason']>;
export type AvailabilityType = ChangeAvailabilityRequest['type'];
export type MessageTrigger = TriggerMessageRequest['requestedMessage'];
