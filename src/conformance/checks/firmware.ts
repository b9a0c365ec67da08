import type { Evidence } from '../../results/model.js';
import { missing, note, type Check } from '../check.js';
import { answerText, callsOf, excerpt, str } from '../exchanges.js';
import { timeOfDay } from '../evidence-text.js';

const SEQUENCE = ['Downloading', 'Downloaded', 'Installing', 'Installed'];
const FAILED = new Set(['DownloadFailed', 'InstallationFailed']);

export const checkFw1: Check = (record) => {
  if (record.firmwareMode === 'manufacturer') return { verdict: 'not-applicable', evidence: [note('the manufacturer manages firmware updates (declared)')] };
  const update = callsOf(record, 'UpdateFirmware', 'csms').at(-1);
  if (!update) return missing(record, 'PLT-FW-1', 'no UpdateFirmware recorded');
  const evidence: Evidence[] = [];
  const location = str(update.payload.location) ?? '';
  if (update.errorCode !== undefined || !update.result) {
    return { verdict: 'fail', evidence: [{ kind: 'frame', text: `UpdateFirmware(${location}) at ${timeOfDay(update.at)} answered ${answerText(update)}`, frames: excerpt(update) }] };
  }
  const notes = callsOf(record, 'FirmwareStatusNotification', 'charger').filter((n) => n.index > update.index);
  const statuses = notes.map((n) => str(n.payload.status) ?? '');
  let next = 0;
  for (const s of statuses) if (s === SEQUENCE[next]) next++;
  const span = notes.length ? ` (${timeOfDay(notes[0].at)}–${timeOfDay(notes.at(-1)!.at)})` : '';
  const seqText = statuses.length ? `FirmwareStatusNotification ${statuses.join(' → ')}${span}` : `answered, then no FirmwareStatusNotification at all (expected ${SEQUENCE.join(' → ')})`;
  evidence.push({ kind: 'frame', text: `UpdateFirmware at ${timeOfDay(update.at)}; ${seqText}`, frames: excerpt(update, ...notes) });
  if (statuses.length && next < SEQUENCE.length) evidence.push(note(`never reported ${SEQUENCE.slice(next).join(', ')}`));
  const served = record.firmware.find((f) => f.url === location) ?? record.firmware.at(-1);
  if (served) evidence.push(note(`served ${served.version} at ${served.url}; fetched ${served.downloads.length}×`));
  const before = callsOf(record, 'BootNotification', 'charger').filter((b) => b.index < update.index).at(-1);
  const after = callsOf(record, 'BootNotification', 'charger').filter((b) => b.index > update.index);
  const oldVersion = str(before?.payload.firmwareVersion);
  const newBoot = after.find((b) => (served ? str(b.payload.firmwareVersion) === served.version : str(b.payload.firmwareVersion) !== oldVersion));
  if (newBoot) evidence.push({ kind: 'frame', text: `BootNotification at ${timeOfDay(newBoot.at)}: firmwareVersion ${oldVersion ?? '(none)'} → ${str(newBoot.payload.firmwareVersion)}`, frames: excerpt(newBoot) });
  else evidence.push(note(after.length ? `BootNotification after the update still reports firmwareVersion ${str(after.at(-1)!.payload.firmwareVersion) ?? '(none)'}${served ? ` (expected ${served.version})` : ''}` : 'no BootNotification after the update (no reboot)'));
  const failed = statuses.find((s) => FAILED.has(s));
  if (failed) evidence.push(note(`the charger reported ${failed}`));
  const ok = next === SEQUENCE.length && !!newBoot && !failed;
  return { verdict: ok ? 'pass' : 'fail', evidence };
};
