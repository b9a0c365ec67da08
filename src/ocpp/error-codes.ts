/**
 * The OCPP-J 1.6 CALLERROR codes, with the 1.6 spellings kept on purpose
 * (`OccurenceConstraintViolation`, `FormationViolation`; OCPP-J errata §5 "won't fix").
 */
export const OCPP16_ERROR_CODES = [
  'NotImplemented',
  'NotSupported',
  'InternalError',
  'ProtocolError',
  'SecurityError',
  'FormationViolation',
  'PropertyConstraintViolation',
  'OccurenceConstraintViolation',
  'TypeConstraintViolation',
  'GenericError',
] as const;

export type Ocpp16ErrorCode = (typeof OCPP16_ERROR_CODES)[number];

/** Spellings other libraries send on 1.6 links; accepted from a peer but flagged. */
export const NON_16_ERROR_SPELLINGS: Readonly<Record<string, Ocpp16ErrorCode>> = {
  OccurrenceConstraintViolation: 'OccurenceConstraintViolation',
  FormatViolation: 'FormationViolation',
};

export function isOcpp16ErrorCode(code: unknown): code is Ocpp16ErrorCode {
  return typeof code === 'string' && (OCPP16_ERROR_CODES as readonly string[]).includes(code);
}
