import type { Evidence } from '../../results/model.js';
import { ELB_TLS_1_2_EXT_2018_06, isPolicyCipher } from '../../transport/tls-policy.js';
import { missing, note, type Check, type CheckResult } from '../check.js';
import { timeOfDay } from '../evidence-text.js';
import type { CertificationRecord, RecordedConnection } from '../record.js';

const PLAIN_KINDS = new Set(['plain-http']);

/** Attempts that show the charger speaking plain HTTP / ws:// to us. */
function plainAttempts(record: CertificationRecord): Evidence[] {
  const out: Evidence[] = [];
  for (const f of record.tlsFailures) {
    if (f.seenBy === 'listener' && PLAIN_KINDS.has(f.kind)) out.push({ kind: 'tls', text: `plain (non-TLS) connection attempt at ${timeOfDay(f.at)}: ${f.code}`, data: { code: f.code, at: f.at } });
  }
  for (const r of record.refusals) {
    if (!r.probe && r.status === 426) out.push({ kind: 'tls', text: `plain HTTP request without upgrade at ${timeOfDay(r.at)} answered 426`, data: { path: r.path, at: r.at } });
  }
  for (const c of record.connections) {
    if (!c.secure) out.push({ kind: 'tls', text: `connection ${c.connectionId} at ${timeOfDay(c.connectedAt)} used plain ws://`, data: { connectionId: c.connectionId } });
  }
  return out;
}

function tlsConnections(record: CertificationRecord): RecordedConnection[] {
  return record.connections.filter((c) => c.secure && c.tls);
}

function suiteText(c: RecordedConnection): string {
  return c.tls ? `${c.tls.version} ${c.tls.cipher} (${c.tls.standardName})` : 'no TLS';
}

/** Groups connections by negotiated suite: `2× TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 (TLS_…)`. */
function suiteEvidence(list: readonly RecordedConnection[]): Evidence[] {
  const groups = new Map<string, RecordedConnection[]>();
  for (const c of list) groups.set(suiteText(c), [...(groups.get(suiteText(c)) ?? []), c]);
  return [...groups].map(([text, cs]) => ({
    kind: 'tls' as const,
    text: `${cs.length}× ${text}`,
    data: { version: cs[0].tls?.version, cipher: cs[0].tls?.cipher, standardName: cs[0].tls?.standardName, connections: cs.map((c) => c.connectionId) },
  }));
}

export const checkTls1: Check = (record) => {
  const plain = plainAttempts(record);
  const tls = tlsConnections(record);
  if (plain.length) return { verdict: 'fail', evidence: [...plain, note(tls.length ? `${tls.length} TLS connection(s) as well` : 'no TLS connection')] };
  if (!tls.length) {
    // The listener is TLS-only: an upgrade it refused at the HTTP level (401, 404) came over wss://.
    const overTls = record.refusals.filter((r) => !r.probe && r.status !== 426 && r.status !== 101);
    if (overTls.length) {
      return { verdict: 'pass', evidence: [{ kind: 'tls', text: `${overTls.length} upgrade attempt(s) over wss:// (refused ${[...new Set(overTls.map((r) => `${r.status} ${r.reason}`))].join(', ')}); no plain ws:// attempt recorded` }] };
    }
    // The harness's own listener probe is no attempt of the charger's (a charger that never came is not-tested, not failed).
    if (!record.scenarios.length && !record.tlsFailures.length && !record.refusals.some((r) => !r.probe)) return missing(record, 'PLT-TLS-1', 'no connection attempt recorded');
    return { verdict: 'fail', evidence: [note('the charger never completed a wss:// connection'), ...record.tlsFailures.map((f) => ({ kind: 'tls' as const, text: `TLS handshake failed at ${timeOfDay(f.at)}: ${f.code} (${f.kind})` }))] };
  }
  return { verdict: 'pass', evidence: [{ kind: 'tls', text: `${tls.length} connection(s), all over wss://; no plain ws:// attempt recorded`, data: { connections: tls.map((c) => c.connectionId) } }] };
};

export const checkTls2: Check = (record) => {
  const tls = tlsConnections(record);
  const failures = record.tlsFailures.filter((f) => f.kind === 'protocol-version' || f.kind === 'cipher');
  const failText = failures.map((f): Evidence => ({ kind: 'tls', text: `handshake refused at ${timeOfDay(f.at)}: ${f.code} (${f.kind})`, data: { code: f.code, kind: f.kind } }));
  if (!tls.length) {
    if (failures.length) return { verdict: 'fail', evidence: [...failText, note(`no handshake completed against ${ELB_TLS_1_2_EXT_2018_06.name}`)] };
    return missing(record, 'PLT-TLS-2', 'no TLS handshake recorded');
  }
  const off = tls.filter((c) => c.tls?.version !== 'TLSv1.2' || !isPolicyCipher(c.tls.cipher));
  const evidence = [...suiteEvidence(tls), ...failText];
  if (off.length) return { verdict: 'fail', evidence: [...evidence, note(`${off.length} connection(s) outside ${ELB_TLS_1_2_EXT_2018_06.name}: ${off.map(suiteText).join('; ')}`)] };
  return { verdict: 'pass', evidence: [...evidence, note(`every suite is in ${ELB_TLS_1_2_EXT_2018_06.name}`)] };
};

const AUTH_REFUSALS = new Set(['missing-credentials', 'wrong-username', 'wrong-password']);

function formText(form: string): string {
  if (form === 'hex') return 'password = the AuthorizationKey decoded from hex (spec form)';
  if (form === 'text') return 'password = the AuthorizationKey as text (common variant; the spec wants the decoded bytes)';
  return 'no credentials';
}

export const checkSec2: Check = (record) => {
  const accepted = record.connections;
  const charger = record.refusals.filter((r) => !r.probe && r.status === 401 && AUTH_REFUSALS.has(r.reason));
  const probes = record.refusals.filter((r) => r.probe && r.status === 401);
  const evidence: Evidence[] = [];
  const forms = new Map<string, string[]>();
  for (const c of accepted) forms.set(c.authForm, [...(forms.get(c.authForm) ?? []), c.connectionId]);
  for (const [form, ids] of forms) evidence.push({ kind: 'note', text: `${ids.length} upgrade(s) accepted with ${form === 'none' ? 'no' : 'Basic'} auth: ${formText(form)}`, data: { authForm: form, connections: ids } });
  for (const r of charger) evidence.push({ kind: 'note', text: `upgrade at ${timeOfDay(r.at)} refused 401 (${r.reason})`, data: { reason: r.reason, at: r.at } });
  for (const r of probes) evidence.push({ kind: 'note', text: `listener check: an upgrade with ${r.reason === 'missing-credentials' ? 'no' : 'wrong'} credentials was refused 401`, data: { reason: r.reason } });
  if (!accepted.length && !charger.length) return missing(record, 'PLT-SEC-2', 'no upgrade from the charger recorded', evidence);
  const bad = accepted.filter((c) => c.authForm === 'none');
  if (bad.length || charger.length || !accepted.length) return { verdict: 'fail', evidence: [...evidence, note(bad.length ? 'the listener accepted a connection without credentials: Security Profile 2 was not in force' : 'the charger did not send the right Basic credentials on every upgrade')] };
  return { verdict: 'pass', evidence };
};

export const checkSec3 = (record: CertificationRecord): CheckResult => {
  const withCert = record.connections.filter((c) => c.clientCert);
  const presented = withCert.filter((c) => c.clientCert?.presented && c.clientCert.authorized);
  if (presented.length) {
    const c = presented[0].clientCert;
    return { verdict: 'pass', evidence: [{ kind: 'tls', text: `client certificate presented and trusted on ${presented.length} connection(s): ${c?.subject ?? ''}${c?.cnMatchesId ? ' (CN = charge point id)' : ' (CN differs from the charge point id)'}`, data: { ...c } }] };
  }
  if (withCert.length) return { verdict: 'not-applicable', evidence: [note('announced; not required yet: a client certificate was requested but none trusted was presented')] };
  return { verdict: 'not-applicable', evidence: [note('announced; not required yet')] };
};
