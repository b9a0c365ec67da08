import { escapeHtml } from '../report/html/escape-html.js';
import { PAGE_STYLE } from '../report/html/page-style.js';
import { bucketBounds, LatencyHistogram } from './histogram.js';
import type { SwarmSummary } from './summary.js';

const W = 720;
const H = 180;

/** summary.html: one self-contained page (inline CSS and SVG, no scripts, nothing fetched). */
export function renderSummaryHtml(s: SwarmSummary): string {
  const cards: [string, string][] = [
    ['chargers', fmt(s.chargers)],
    ['connected', fmt(s.connected)],
    ['booted', fmt(s.booted)],
    ['transactions', fmt(s.transactions.started)],
    ['messages', fmt(s.messages)],
    ['msg/s', fmt(s.messagesPerSecond)],
    ['p50 / p95 / p99 ms', `${ms(s.latencyMs.p50)} / ${ms(s.latencyMs.p95)} / ${ms(s.latencyMs.p99)}`],
    ['errors', fmt(s.errors)],
    ['unanswered', fmt(s.unanswered)],
    ['peak RSS', `${(s.rssBytes / 1_048_576).toFixed(0)} MiB`],
  ];
  const e = escapeHtml;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>chargecheck swarm — ${e(s.csms)}</title><style>${PAGE_STYLE}</style></head>
<body><header class="top"><div class="inner"><div><div class="brand">chargecheck swarm</div>
<h1>${fmt(s.chargers)} chargers against ${e(s.csms)}</h1>
<dl class="meta"><dt>started</dt><dd>${e(s.startedAt)}</dd><dt>ended</dt><dd>${e(s.endedAt)} (${s.durationSec.toFixed(1)} s)</dd>
<dt>ids</dt><dd>${e(s.idPrefix)}… of a fleet of ${fmt(s.fleetSize)}</dd><dt>shards</dt><dd>${e(s.shards.map((l) => l.shard).join(', '))}${s.missingShards.length ? ` — missing ${e(s.missingShards.join(', '))}` : ''}</dd></dl></div>
<div class="overall ${s.errors === 0 && s.missingShards.length === 0 ? 'passed' : 'failed'}">${s.errors === 0 ? 'NO ERRORS' : `${fmt(s.errors)} ERRORS`}<small>p99 ${ms(s.latencyMs.p99)} ms</small></div></div></header>
<main><div class="cards">${cards.map(([l, n]) => `<div class="card"><div class="n">${e(n)}</div><div class="l">${e(l)}</div></div>`).join('')}</div>
<h2>CSMS latency</h2><p class="note">From a charger's CALL sent to the CSMS's answer received; ${fmt(s.latencyMs.count)} answers, max ${ms(s.latencyMs.max)} ms, mean ${ms(s.latencyMs.mean)} ms. Log-scale buckets (±3 %); merged shards are summed bucket by bucket.</p>
${histogramSvg(LatencyHistogram.fromJSON(s.latencyHistogram), 'CSMS latency')}
<h2>Connect time</h2><p class="note">TCP + TLS + WebSocket upgrade: p50 ${ms(s.connectMs.p50)} ms, p95 ${ms(s.connectMs.p95)} ms, p99 ${ms(s.connectMs.p99)} ms over ${fmt(s.connectMs.count)} connects.</p>
${histogramSvg(LatencyHistogram.fromJSON(s.connectHistogram), 'connect time')}
${fleetSection(s)}
<h2>Messages by action</h2><table class="grid"><thead><tr><th>action</th><th>sent</th><th>answered</th><th>errors</th></tr></thead><tbody>
${Object.entries(s.calls).map(([a, c]) => `<tr><td class="id">${e(a)}</td><td class="num">${fmt(c.sent)}</td><td class="num">${fmt(c.answered)}</td><td class="num">${fmt(c.errors)}</td></tr>`).join('\n')}
</tbody></table>
<h2>Errors</h2>${Object.keys(s.errorsByCode).length === 0 ? '<p class="note">None.</p>' : `<table class="grid"><thead><tr><th>code</th><th>count</th></tr></thead><tbody>${Object.entries(s.errorsByCode).map(([c, n]) => `<tr><td class="id">${e(c)}</td><td class="num">${fmt(n)}</td></tr>`).join('')}</tbody></table>`}
<h2>Shards</h2><table class="grid"><thead><tr><th>shard</th><th>chargers</th><th>connected</th><th>messages</th><th>errors</th><th>p99 ms</th><th>peak RSS</th></tr></thead><tbody>
${s.shards.map((l) => `<tr><td class="id">${e(l.shard)}</td><td class="num">${fmt(l.chargers)}</td><td class="num">${fmt(l.connected)}</td><td class="num">${fmt(l.messages)}</td><td class="num">${fmt(l.errors)}</td><td class="num">${ms(l.latencyP99)}</td><td class="num">${(l.rssBytes / 1_048_576).toFixed(0)} MiB</td></tr>`).join('\n')}
</tbody></table></main></body></html>
`;
}

/** What the CSMS did to the fleet, the quirks drawn, the offline queues and the storm. */
function fleetSection(s: SwarmSummary): string {
  const e = escapeHtml;
  const a = s.csmsActs;
  const t = s.txMessages;
  const rows = (pairs: [string, string][]): string => pairs.map(([k, v]) => `<tr><td class="id">${e(k)}</td><td class="num">${e(v)}</td></tr>`).join('');
  const calls = Object.entries(a.calls);
  let html = `<h2>What the CSMS did to the fleet</h2><table class="grid"><thead><tr><th>CSMS CALL</th><th>received</th><th>accepted</th></tr></thead><tbody>${
    calls.length ? calls.map(([k, c]) => `<tr><td class="id">${e(k)}</td><td class="num">${fmt(c.received)}</td><td class="num">${fmt(c.accepted)}</td></tr>`).join('') : '<tr><td colspan="3">none</td></tr>'
  }</tbody></table>
<table class="grid"><tbody>${rows([
    ['chargers with a profile', fmt(a.chargersWithProfile)],
    ['chargers curtailed (drew at or below the limit)', fmt(a.chargersCurtailed)],
    ['chargers over the limit', fmt(a.chargersOverLimit)],
    ['… of them without a quirk', fmt(a.chargersOverLimitWithoutQuirk)],
    ['chargers triggered', fmt(a.chargersTriggered)],
  ])}</tbody></table>`;
  if (s.quirkMix) html += `<h2>Quirks</h2><p class="note">Mix ${e(s.quirkMix)}.</p><table class="grid"><tbody>${rows(Object.entries(s.quirks).map(([q, n]) => [q, fmt(n)]))}</tbody></table>`;
  html += `<h2>Transaction messages</h2><table class="grid"><tbody>${rows([
    ['queued', fmt(t.enqueued)],
    ['delivered', fmt(t.delivered)],
    ['pending at the end', fmt(t.pendingAtEnd)],
    ['dropped (CALLERROR attempts used up, or lose-queue)', fmt(t.dropped)],
    ['… by chargers without a quirk', fmt(t.droppedWithoutQuirk)],
    ['sent again after a drop cut off the answer', fmt(t.resent)],
  ])}</tbody></table>`;
  if (s.storm) {
    const st = s.storm;
    html += `<h2>Reconnect storm</h2><p class="note">Every connection dropped at ${st.atSec} s: ${fmt(st.dropped)} dropped, ${fmt(st.reconnected)} back${
      st.allReconnectedSec === null ? ' (not all came back)' : `, all within ${st.allReconnectedSec} s`
    }. CSMS latency of the ${fmt(st.latencyMs.count)} calls answered from the drop until 10 s after the last one was back: p50 ${ms(st.latencyMs.p50)} ms, p99 ${ms(st.latencyMs.p99)} ms.</p>${histogramSvg(LatencyHistogram.fromJSON(st.latencyHistogram), 'storm latency')}`;
  }
  return html;
}

/** Bars over the occupied bucket range, x on a log scale. */
function histogramSvg(h: LatencyHistogram, label: string): string {
  const json = h.toJSON();
  if (json.buckets.length === 0) return '<p class="note">No samples.</p>';
  const lo = json.buckets[0][0];
  const hi = json.buckets[json.buckets.length - 1][0];
  const n = hi - lo + 1;
  const peak = Math.max(...json.buckets.map(([, c]) => c));
  const bw = W / n;
  const bars = json.buckets
    .map(([i, c]) => {
      const bh = Math.max(1, (c / peak) * (H - 24));
      const [a, b] = bucketBounds(i);
      return `<rect x="${((i - lo) * bw).toFixed(1)}" y="${(H - 20 - bh).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${bh.toFixed(1)}" fill="#1f2a44"><title>${ms(a)}–${ms(b)} ms: ${c}</title></rect>`;
    })
    .join('');
  const axis = `<text x="0" y="${H - 4}" font-size="11" fill="#59636e">${ms(bucketBounds(lo)[0])} ms</text><text x="${W}" y="${H - 4}" font-size="11" fill="#59636e" text-anchor="end">${ms(bucketBounds(hi)[1])} ms</text>`;
  return `<svg role="img" aria-label="${escapeHtml(label)} histogram" viewBox="0 0 ${W} ${H}" width="100%" style="max-width:${W}px">${bars}${axis}</svg>`;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function ms(v: number): string {
  if (!Number.isFinite(v)) return '∞';
  return v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(3);
}
