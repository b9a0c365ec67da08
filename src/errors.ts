/**
 * The one base class for errors chargecheck raises. Every error carries a stable `code`
 * (listed in docs/errors.md); callers and tests branch on the code, never on the message.
 */
export class ChargecheckError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChargecheckError';
    this.code = code;
    this.details = details;
  }
}

export function isChargecheckError(err: unknown, code?: string): err is ChargecheckError {
  return err instanceof ChargecheckError && (code === undefined || err.code === code);
}
