/**
 * chargecheck's public API: the fakes users test with (the virtual charger and the built-in CSMS),
 * the OCPP-J endpoint, clocks, the scenario runner and reporters. The only barrel file.
 */
export { ChargecheckError, isChargecheckError } from './errors.js';
export type { Clock, Timer } from './clock/clock.js';
export { SystemClock, systemClock } from './clock/system.js';
export { VirtualClock } from './clock/virtual.js';
export { DriftingClock } from './clock/drifting.js';
export { ACTIONS, isActionName, maySend, type ActionName, type ActionInfo } from './ocpp/catalogue.js';
export { validatePayload, type ValidationFailure } from './ocpp/validator.js';
export { OCPP16_ERROR_CODES, type Ocpp16ErrorCode } from './ocpp/error-codes.js';
export type * from './ocpp/types.js';
export { RpcEndpoint, type RpcEndpointOptions } from './rpc/endpoint.js';
export { channelPair, type FrameChannel } from './rpc/channel.js';
export { OcppCallError } from './rpc/call-error.js';
export type { OcppPort, Handler, CallContext } from './rpc/port.js';
export type { FrameEvent, FrameListener } from './rpc/frames.js';
export { createTraceWriter } from './rpc/trace.js';
export { startOcppServer, type OcppServer } from './transport/server.js';
export { connectOcpp, type ConnectOptions, type OcppConnection } from './transport/client.js';
export { ReconnectingClient } from './transport/reconnect.js';
export { generateCerts } from './transport/certs.js';
export { createPki } from './transport/pki.js';
export { ELB_TLS_1_2_EXT_2018_06, ELB_TLS_1_2_EXT_2018_06_CIPHERS } from './transport/tls-policy.js';
export { ProfileStore } from './smartcharging/profile-store.js';
export { compositeSchedule, limitAt } from './smartcharging/composite.js';
export { ChargePoint, type ChargePointOptions } from './chargepoint/charge-point.js';
export { QUIRKS, QUIRK_NAMES, type QuirkName } from './chargepoint/quirks.js';
export { ChargerHost, type ChargerHostOptions } from './host/charger-host.js';
export { Csms, type CsmsOptions } from './csms/csms.js';
export { CsmsSession } from './csms/session.js';
export { startCsmsServer, type CsmsServer } from './csms/server.js';
export { PLATFORM_16J, type Requirement } from './conformance/requirements.js';
export { loadScenarioFile, loadScenarioText } from './scenario/load.js';
export { validateScenarioFiles } from './scenario/validate-files.js';
export { runScenario } from './scenario/runner.js';
export { runSuite, type RunSuiteOptions } from './harness/run-suite.js';
export { createReporters } from './report/registry.js';
export type * from './report/model.js';
export { certify, type CertifyOptions, type CertifyTarget } from './harness/certify.js';
export type { ChargerUnderTest } from './harness/charger-under-test.js';
export { evaluate } from './conformance/evaluate.js';
export type { CertificationRecord } from './conformance/record.js';
export { runSwarm, type SwarmOptions } from './swarm/fleet.js';
export { mergeSummaries } from './swarm/summary.js';
