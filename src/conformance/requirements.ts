import type { RequirementLevel } from '../results/model.js';

/** One requirement of the platform profile `platform-1.6j` (shared/requirements.md). */
export interface Requirement {
  readonly id: string;
  readonly title: string;
  readonly level: RequirementLevel;
  /** How it is decided, in one sentence (shown in reports). */
  readonly howChecked: string;
}

/** The profile's requirements in document order. */
export const PLATFORM_16J: readonly Requirement[] = [
  { id: 'PLT-TLS-1', level: 'required', title: 'Connects with WSS; no plain WS', howChecked: 'The certify listener offers only TLS; a plain ws:// upgrade is never answered with 101.' },
  { id: 'PLT-TLS-2', level: 'required', title: 'TLS 1.2 with the ELB 2018-06 cipher policy', howChecked: 'Handshake completed against a TLS 1.2-only listener with the 18 policy suites and an RSA certificate; negotiated suite reported.' },
  { id: 'PLT-TIME-1', level: 'required', title: 'Correct system time', howChecked: 'Message timestamps within tolerance of true time; a far-off clock fails the TLS handshake.' },
  { id: 'PLT-SEC-2', level: 'required', title: 'Security Profile 2: HTTP Basic auth', howChecked: 'Upgrade carries Basic credentials (user = id, password = AuthorizationKey); wrong or missing ones get 401.' },
  { id: 'PLT-SEC-3', level: 'announced', title: 'Security Profile 3: TLS client certificates (announced)', howChecked: 'Optional; reported as not required yet.' },
  { id: 'PLT-CORE-1', level: 'required', title: 'Core profile', howChecked: 'Boot, Heartbeat, StatusNotification, Authorize, Start/StopTransaction and MeterValues flow; Core CSMS calls answered per spec.' },
  { id: 'PLT-CORE-2', level: 'required', title: 'MeterValues carry Power.Active.Import (or Current.Import with Voltage)', howChecked: 'Sampled MeterValues during a transaction contain power, or current together with voltage.' },
  { id: 'PLT-FW-1', level: 'conditional', title: 'Firmware Management (where the platform manages updates)', howChecked: 'UpdateFirmware → Downloading, Downloaded, Installing, Installed; reboot; BootNotification with the new firmwareVersion.' },
  { id: 'PLT-SC-1', level: 'required', title: 'SetChargingProfile TxProfile accepted', howChecked: 'During a transaction a TxProfile is Accepted.' },
  { id: 'PLT-SC-2', level: 'required', title: 'SetChargingProfile ChargePointMaxProfile accepted', howChecked: 'On connector 0, Accepted.' },
  { id: 'PLT-SC-3', level: 'required', title: 'Charging switched off and on by the limit', howChecked: 'Limit 0 → power ~0 and SuspendedEVSE; raised → Charging with power up to the limit.' },
  { id: 'PLT-RT-1', level: 'required', title: 'TriggerMessage BootNotification', howChecked: 'Accepted, then a BootNotification (the .conf first).' },
  { id: 'PLT-RT-2', level: 'required', title: 'TriggerMessage StatusNotification', howChecked: 'Accepted, then StatusNotification(s) (the .conf first).' },
  { id: 'PLT-CFG-1', level: 'required', title: 'MeterValuesSampledData = Energy.Active.Import.Register,Power.Active.Import accepted', howChecked: 'Accepted, and later samples carry both measurands.' },
  { id: 'PLT-CFG-2', level: 'required', title: 'MeterValueSampleInterval = 60 accepted and honoured', howChecked: 'Accepted, and sampled MeterValues arrive every 60 s ± tolerance during a transaction.' },
  { id: 'PLT-MV-1', level: 'required', title: 'Readings from meterStart, meterStop and the energy register', howChecked: 'Register never decreases; meterStart ≤ samples ≤ meterStop; units handled.' },
  { id: 'PLT-MV-2', level: 'required', title: 'Power agrees with energy and with the status', howChecked: '∫P dt ≈ ΔE within tolerance; power > 0 exactly when Charging.' },
  { id: 'PLT-ST-1', level: 'required', title: 'Available means unplugged', howChecked: 'After unplug, Available.' },
  { id: 'PLT-ST-2', level: 'required', title: 'Charging means importing power', howChecked: 'Charging only while Power.Active.Import > 0.' },
  { id: 'PLT-ST-3', level: 'required', title: 'SuspendedEV / SuspendedEVSE mean plugged in, not charging', howChecked: 'EV full or paused → SuspendedEV; limit 0 → SuspendedEVSE.' },
  { id: 'PLT-ST-4', level: 'required', title: 'Faulted means an error state', howChecked: 'A fault → Faulted with an errorCode other than NoError; cleared → back.' },
  { id: 'PLT-NF-1', level: 'recommended', title: 'Robust connectivity', howChecked: 'After a network drop mid-transaction: reconnect with back-off, queued messages delivered in order, none lost.' },
  { id: 'PLT-NF-2', level: 'recommended', title: 'Remote access to the charger (web interface or SSH)', howChecked: 'Not testable over OCPP; the manufacturer declares it.' },
];

export const REQUIREMENT_IDS: ReadonlySet<string> = new Set(PLATFORM_16J.map((r) => r.id));

export function requirement(id: string): Requirement | undefined {
  return PLATFORM_16J.find((r) => r.id === id);
}
