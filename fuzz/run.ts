/**
 * `npm run fuzz`: a seeded campaign of malformed and schema-invalid frames against our CSMS and our
 * charger (half each; FUZZ_FRAMES total, default 100,000; FUZZ_SEED, default 0x0c9916). Prints the
 * figures and exits 1 when any CALL got a wrong or no answer, an answer came twice or to a frame
 * that must not be answered, a target went down, or RSS grew past FUZZ_RSS_MIB (default 300).
 */
import { createPki } from '../src/transport/pki.js';
import { runCampaign, type CampaignResult } from './campaign.js';

const total = Number(process.env.FUZZ_FRAMES ?? 100_000);
const seed = Number(process.env.FUZZ_SEED ?? 0x0c9916);
const rssLimit = Number(process.env.FUZZ_RSS_MIB ?? 300);

function print(r: CampaignResult): boolean {
  const growth = r.rssPeakMiB - r.rssStartMiB;
  const ok = r.wrongCount === 0 && r.unanswered === 0 && r.answeredTwice === 0 && r.unexpected === 0 && r.stillUp && growth <= rssLimit;
  process.stdout.write(
    `${r.target.padEnd(11)} seed ${r.seed.toString(16)} · frames ${r.frames} · CALLs ${r.calls} · wrong code ${r.wrongCount} · unanswered ${r.unanswered} · answered twice ${r.answeredTwice} · answered but must not ${r.unexpected} · up ${r.stillUp ? 'yes' : 'NO'} · RSS ${r.rssStartMiB} → ${r.rssPeakMiB} MiB · ${(r.wallMs / 1000).toFixed(1)} s ${ok ? 'OK' : 'FAIL'}\n`,
  );
  process.stdout.write(`            ${Object.entries(r.byCategory).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`).join(' · ')}\n`);
  for (const w of r.wrong) process.stdout.write(`  wrong: ${w.category}: expected ${w.expected}, got ${w.got}: ${w.frame}\n`);
  return ok;
}

const pki = await createPki();
let ok = true;
for (const target of ['csms', 'chargepoint'] as const) {
  ok = print(await runCampaign({ target, seed, frames: Math.ceil(total / 2), pki })) && ok;
}
process.exitCode = ok ? 0 : 1;
