/**
 * What an error means for the process that meets it at the top (the CLI's exit code):
 * - `usage`: the user's input is wrong (an option, a file, a URL) — exit 2, before any work where possible;
 * - `unreachable`: the peer could not be reached or refused us (TCP, TLS, HTTP upgrade) — exit 3;
 * - `check`: the system under test did something wrong — exit 1;
 * - `interrupted`: SIGINT/SIGTERM — exit 130 / 143 (the signal's own code, in `details.exitCode`);
 * - `internal`: chargecheck itself failed, or an error that is handled inside a run and should never
 *   reach the top — exit 4.
 */
export type ErrorCategory = 'usage' | 'unreachable' | 'check' | 'interrupted' | 'internal';

/**
 * Every error code chargecheck raises, with its category; declared once, here. Adding a code is
 * one line (docs/errors.md lists it with the same category; test/errors-doc.test.ts keeps both exact).
 */
export const ERROR_CODES = {
  // API (the library: startCharger, startCsms)
  API_BAD_OPTION: 'usage',
  API_WAIT_TIMEOUT: 'check',
  API_UNKNOWN_CHARGER: 'usage',
  // RPC
  RPC_CALLERROR: 'internal',
  RPC_TIMEOUT: 'internal',
  RPC_CLOSED: 'internal',
  RPC_INVALID_OUTGOING: 'internal',
  RPC_INVALID_RESPONSE: 'internal',
  RPC_WRONG_DIRECTION: 'internal',
  // TRANSPORT
  TRANSPORT_BAD_URL: 'usage',
  TRANSPORT_INSECURE_REFUSED: 'usage',
  TRANSPORT_UNREACHABLE: 'unreachable',
  TRANSPORT_AUTH_KEY_NOT_HEX: 'usage',
  TRANSPORT_AUTH_REJECTED: 'unreachable',
  TRANSPORT_UNKNOWN_ID: 'unreachable',
  TRANSPORT_FORBIDDEN: 'unreachable',
  TRANSPORT_UPGRADE_REFUSED: 'unreachable',
  TRANSPORT_NO_SUBPROTOCOL: 'unreachable',
  TRANSPORT_HANDSHAKE_FAILED: 'unreachable',
  TRANSPORT_TIMEOUT: 'unreachable',
  TRANSPORT_NO_SERVER_CERT: 'usage',
  TRANSPORT_BAD_SERVER_OPTIONS: 'usage',
  TRANSPORT_LISTEN_FAILED: 'usage',
  TRANSPORT_CERTS_UNREADABLE: 'usage',
  // TLS
  TLS_VERSION_MISMATCH: 'unreachable',
  TLS_CIPHER_MISMATCH: 'unreachable',
  TLS_PEER_NOT_TLS: 'unreachable',
  TLS_HANDSHAKE_FAILED: 'unreachable',
  TLS_CERT_UNTRUSTED: 'unreachable',
  TLS_CERT_NOT_YET_VALID: 'unreachable',
  TLS_CERT_EXPIRED: 'unreachable',
  TLS_HOSTNAME_MISMATCH: 'unreachable',
  // CP
  CP_ILLEGAL_TRANSITION: 'internal',
  CP_UNKNOWN_CONNECTOR: 'internal',
  CP_ALREADY_PLUGGED: 'internal',
  CP_NO_EV: 'internal',
  CP_BAD_FAULT: 'internal',
  CP_CONFIG_INVALID: 'usage',
  CP_UNKNOWN_QUIRK: 'usage',
  CP_BAD_OPTION: 'usage',
  CP_OFFLINE: 'internal',
  CP_NOT_ACCEPTED: 'internal',
  CP_INTERNAL: 'internal',
  CP_TX_MESSAGE_DROPPED: 'internal',
  CP_QUEUE_LOST: 'internal',
  // HOST
  HOST_STATE_CORRUPT: 'usage',
  HOST_TRANSFER_BAD_URL: 'internal',
  HOST_TRANSFER_UNSUPPORTED: 'internal',
  HOST_TRANSFER_HTTP_STATUS: 'internal',
  HOST_TRANSFER_FAILED: 'internal',
  // SIM
  SIM_BAD_COMMAND: 'usage',
  SIM_BAD_CONNECTOR: 'usage',
  // CSMS
  CSMS_BAD_CSR: 'internal',
  CSMS_BAD_CA_KEY: 'usage',
  // SCENARIO
  SCENARIO_INVALID: 'usage',
  SCENARIO_FILE_NOT_FOUND: 'usage',
  SCENARIO_FILE_TOO_LARGE: 'usage',
  SCENARIO_YAML_SYNTAX: 'usage',
  SCENARIO_DUPLICATE_KEY: 'usage',
  SCENARIO_UNKNOWN_KEY: 'usage',
  SCENARIO_UNKNOWN_STEP: 'usage',
  SCENARIO_BAD_STEP: 'usage',
  SCENARIO_WRONG_TYPE: 'usage',
  SCENARIO_MISSING_FIELD: 'usage',
  SCENARIO_BAD_ENUM: 'usage',
  SCENARIO_BAD_VALUE: 'usage',
  SCENARIO_BAD_DURATION: 'usage',
  SCENARIO_UNKNOWN_REQUIREMENT: 'usage',
  SCENARIO_BAD_MATCHER: 'usage',
  SCENARIO_WRONG_DIRECTION: 'usage',
  SCENARIO_BAD_PAYLOAD: 'usage',
  SCENARIO_DUPLICATE_NAME: 'usage',
  SCENARIO_UNKNOWN_PRECONDITION: 'usage',
  SCENARIO_STEP_DUPLICATE: 'internal',
  SCENARIO_EXPECT_TIMEOUT: 'check',
  SCENARIO_RESPONSE_MISMATCH: 'check',
  SCENARIO_CALL_ERROR: 'check',
  SCENARIO_UNEXPECTED_RESULT: 'check',
  SCENARIO_ASSERTION_FAILED: 'check',
  SCENARIO_METER_MEASURAND_MISSING: 'check',
  SCENARIO_METER_INTERVAL: 'check',
  SCENARIO_TRAFFIC_COUNT: 'check',
  SCENARIO_CAPTURE_MISSING: 'check',
  SCENARIO_STEP_CRASHED: 'internal',
  SCENARIO_UNSUPPORTED: 'check',
  // ACT
  ACT_HOOK_INVALID: 'usage',
  ACT_TEMPLATE_UNKNOWN: 'usage',
  // CERTIFY
  CERTIFY_NO_SCENARIOS: 'usage',
  CERTIFY_NO_CHARGER: 'unreachable',
  CERTIFY_NO_CONNECTION: 'unreachable',
  CERTIFY_NO_CLIENT_CA: 'usage',
  CERTIFY_NEEDS_OPERATOR: 'check',
  CERTIFY_INTERRUPTED: 'interrupted',
  CERTIFY_NO_REBOOT: 'check',
  // RUN
  RUN_NO_SCENARIOS: 'usage',
  RUN_INTERRUPTED: 'interrupted',
  RUN_VIRTUAL_NEEDS_BUILT_IN: 'usage',
  RUN_ACT_UNAVAILABLE: 'internal',
  RUN_HOOK_FAILED: 'internal',
  RUN_ACT_FAILED: 'internal',
  RUN_TARGET_CANNOT: 'internal',
  RUN_TARGET_INVALID: 'usage',
  RUN_CSMS_TRANSPORT: 'check',
  // REPORT
  REPORT_UNKNOWN_REPORTER: 'usage',
  REPORT_OUT_DIR_REQUIRED: 'usage',
  REPORT_WRITE_FAILED: 'usage',
  REPORT_HOOK_FAILED: 'internal',
  // CLI
  CLI_BAD_CHARGER: 'usage',
  CLI_BAD_LISTEN: 'usage',
  CLI_BAD_NUMBER: 'usage',
  CLI_BAD_CLOCK: 'usage',
  CLI_BAD_DURATION: 'usage',
  CLI_BAD_VAR: 'usage',
  CLI_CERT_KEY_PAIR: 'usage',
  CLI_FILE_UNREADABLE: 'usage',
  CLI_NEEDS_CSMS: 'usage',
  CLI_CERTIFY_MODE: 'usage',
  CLI_BAD_ACT_HOOK: 'usage',
  CLI_BAD_CONFIG: 'usage',
  CLI_BAD_FIRMWARE: 'usage',
  CLI_BAD_PROFILE: 'usage',
  CLI_BAD_PROFILES: 'usage',
  CLI_BAD_GREP: 'usage',
  // SWARM
  SWARM_BAD_OPTION: 'usage',
  SWARM_BAD_PATTERN: 'usage',
  SWARM_BAD_QUIRK_MIX: 'usage',
  SWARM_BAD_SHARD: 'usage',
  SWARM_NO_SCENARIO: 'usage',
  SWARM_DISCONNECTED: 'check',
  SWARM_UNEXPECTED: 'check',
  SWARM_NO_SUMMARY: 'usage',
  SWARM_BAD_SUMMARY: 'usage',
  SWARM_HISTOGRAM_SCHEME: 'usage',
  SWARM_MERGE_MISMATCH: 'usage',
  SWARM_DUPLICATE_SHARD: 'usage',
  SWARM_NOTHING_TO_MERGE: 'usage',
  CLI_BAD_URL: 'usage',
  CLI_BAD_PEM: 'usage',
} as const satisfies Record<string, ErrorCategory>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The exit code of each category (README "Exit codes", docs/errors.md). */
export const CATEGORY_EXIT: Readonly<Record<ErrorCategory, number>> = { check: 1, usage: 2, unreachable: 3, internal: 4, interrupted: 130 };

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

export function errorCategory(code: string): ErrorCategory {
  return (ERROR_CODES as Record<string, ErrorCategory>)[code] ?? 'internal';
}

/**
 * The one base class for errors chargecheck raises. Every error carries a stable `code`
 * (listed in docs/errors.md); callers and tests branch on the code, never on the message.
 */
export class ChargecheckError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChargecheckError';
    this.code = code;
    this.details = details;
  }

  /** Its code's category (ERROR_CODES). */
  get category(): ErrorCategory {
    return errorCategory(this.code);
  }
}

export function isChargecheckError(err: unknown, code?: ErrorCode): err is ChargecheckError {
  return err instanceof ChargecheckError && (code === undefined || err.code === code);
}

/** The exit code for an error that reached the top: its category's, or `details.exitCode` for an interruption. */
export function exitCodeOf(err: ChargecheckError): number {
  if (err.category === 'interrupted' && typeof err.details.exitCode === 'number') return err.details.exitCode;
  return CATEGORY_EXIT[err.category];
}
