import { ChargecheckError } from '../errors.js';
import type { Ocpp16ErrorCode } from '../ocpp/error-codes.js';

/** Thrown by a handler to answer the CALL with this CALLERROR code. */
export class OcppCallError extends Error {
  constructor(
    readonly ocppCode: Ocpp16ErrorCode,
    message = '',
    readonly ocppDetails: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'OcppCallError';
  }
}

/** The peer answered our CALL with a CALLERROR. */
export function callErrorReceived(action: string, ocppCode: string, description: string, details: Record<string, unknown>): ChargecheckError {
  return new ChargecheckError('RPC_CALLERROR', `${action} answered with CALLERROR ${ocppCode}${description ? `: ${description}` : ''}`, {
    action,
    ocppCode,
    description,
    ocppDetails: details,
  });
}
