import { ChargecheckError } from '../errors.js';
import type { ChargePointErrorCode } from '../ocpp/types.js';
import { SECURITY_EVENTS, type SecurityEventType } from '../chargepoint/security/events.js';
import type { ChargerHost } from './charger-host.js';

export const CONSOLE_HELP = [
  'plug N            plug an EV into connector N',
  'unplug N          unplug connector N',
  'tag IDTAG [N]     present an idTag (at connector N)',
  'fault N [CODE]    raise a fault (ChargePointErrorCode, default OtherError)',
  'clear N           clear the fault on connector N',
  'offline | online  lose / restore the network',
  'reboot            reboot the charger',
  'event TYPE [INFO] raise a security event (e.g. TamperDetectionActivated)',
  'status            show connectors, power, energy, link',
  'quit              stop (also: end of input)',
].join('\n');

/** What one line of operator input does; returns the text to print, or 'quit'. */
export async function runConsoleCommand(host: ChargerHost, line: string): Promise<string | 'quit'> {
  const [cmd, ...args] = line.trim().split(/\s+/);
  const model = host.model;
  const connector = (s: string | undefined, fallback?: number): number => {
    const n = s === undefined ? fallback : Number(s);
    if (n === undefined || !Number.isInteger(n) || n < 1) throw new ChargecheckError('SIM_BAD_CONNECTOR', `expected a connector number, got '${s ?? ''}'`);
    return n;
  };
  switch (cmd?.toLowerCase()) {
    case undefined:
    case '':
      return '';
    case 'plug':
      model.plug(connector(args[0]));
      return `plugged connector ${args[0]}`;
    case 'unplug':
      model.unplug(connector(args[0]));
      return `unplugged connector ${args[0]}`;
    case 'tag':
      if (!args[0]) throw new ChargecheckError('SIM_BAD_COMMAND', 'tag needs an idTag');
      await model.presentIdTag(args[0], args[1] === undefined ? undefined : connector(args[1]));
      return `presented ${args[0]}`;
    case 'fault':
      model.fault(connector(args[0]), (args[1] ?? 'OtherError') as ChargePointErrorCode);
      return `fault on connector ${args[0]}`;
    case 'clear':
      model.clearFault(connector(args[0]));
      return `fault cleared on connector ${args[0]}`;
    case 'offline':
      host.dropNetwork();
      return 'network down';
    case 'online':
      host.restoreNetwork();
      return 'network up (reconnecting with back-off)';
    case 'reboot':
      model.reboot();
      return 'rebooting';
    case 'event': {
      const type = Object.keys(SECURITY_EVENTS).find((e) => e.toLowerCase() === (args[0] ?? '').toLowerCase()) as SecurityEventType | undefined;
      if (!type) throw new ChargecheckError('SIM_BAD_COMMAND', `event needs a security event type (${Object.keys(SECURITY_EVENTS).join(', ')})`);
      model.securityEvent(type, args.slice(1).join(' ') || undefined);
      return `security event ${type}`;
    }
    case 'status':
      return statusText(host);
    case 'help':
      return CONSOLE_HELP;
    case 'quit':
    case 'exit':
      return 'quit';
    default:
      throw new ChargecheckError('SIM_BAD_COMMAND', `unknown command '${cmd}' (type help)`);
  }
}

function statusText(host: ChargerHost): string {
  const m = host.model;
  const lines = [
    `link ${host.connected ? `up (${host.connection?.tls?.version ?? 'ws'})` : 'down'} · registration ${m.registration ?? '-'} · firmware ${m.firmwareVersion} · queue ${m.queueLength} · security profile ${m.configuration.get('SecurityProfile') ?? '0'}`,
  ];
  const n = Number(m.configuration.get('NumberOfConnectors') ?? '1');
  for (let c = 1; c <= n; c++) {
    const tx = m.transaction(c);
    const limit = m.limitW(c);
    lines.push(
      `connector ${c}: ${m.status(c)} · ${(m.powerW(c) / 1000).toFixed(2)} kW · ${(m.energyWh(c) / 1000).toFixed(3)} kWh` +
        (limit !== undefined ? ` · limit ${(limit / 1000).toFixed(2)} kW` : '') +
        (tx ? ` · transaction ${tx.id ?? '(pending)'} ${tx.idTag}` : ''),
    );
  }
  return lines.join('\n');
}
