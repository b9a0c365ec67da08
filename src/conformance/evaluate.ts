import type { RequirementVerdict } from '../results/model.js';
import { failingFirst, marked, note, type Check } from './check.js';
import { checkCfg1, checkCfg2 } from './checks/configuration.js';
import { checkNf1, checkNf2 } from './checks/connectivity.js';
import { checkCore1, checkCore2 } from './checks/core.js';
import { checkFw1 } from './checks/firmware.js';
import { checkMv1, checkMv2 } from './checks/meter.js';
import { checkSc1, checkSc2, checkSc3 } from './checks/smart-charging.js';
import { checkSt1, checkSt2, checkSt3, checkSt4 } from './checks/status.js';
import { checkTime1 } from './checks/time.js';
import { checkSec2, checkSec3, checkTls1, checkTls2 } from './checks/transport.js';
import { checkRt1, checkRt2 } from './checks/trigger.js';
import type { CertificationRecord } from './record.js';
import { PLATFORM_16J, type Requirement } from './requirements.js';

/** One check per requirement id of platform-1.6j. */
export const CHECKS: Readonly<Record<string, Check>> = {
  'PLT-TLS-1': checkTls1,
  'PLT-TLS-2': checkTls2,
  'PLT-TIME-1': checkTime1,
  'PLT-SEC-2': checkSec2,
  'PLT-SEC-3': checkSec3,
  'PLT-CORE-1': checkCore1,
  'PLT-CORE-2': checkCore2,
  'PLT-FW-1': checkFw1,
  'PLT-SC-1': checkSc1,
  'PLT-SC-2': checkSc2,
  'PLT-SC-3': checkSc3,
  'PLT-RT-1': checkRt1,
  'PLT-RT-2': checkRt2,
  'PLT-CFG-1': checkCfg1,
  'PLT-CFG-2': checkCfg2,
  'PLT-MV-1': checkMv1,
  'PLT-MV-2': checkMv2,
  'PLT-ST-1': checkSt1,
  'PLT-ST-2': checkSt2,
  'PLT-ST-3': checkSt3,
  'PLT-ST-4': checkSt4,
  'PLT-NF-1': checkNf1,
  'PLT-NF-2': checkNf2,
};

/** Decides every requirement of `catalogue` from one recorded certify session, in catalogue order. */
export function evaluate(record: CertificationRecord, catalogue: readonly Requirement[] = PLATFORM_16J): RequirementVerdict[] {
  return catalogue.map((req) => {
    const check = CHECKS[req.id];
    const result = check ? check(record) : { verdict: 'not-tested' as const, evidence: [note(`no check is defined for ${req.id}`)] };
    return { id: req.id, title: req.title, level: req.level, verdict: result.verdict, evidence: failingFirst(marked(result)) };
  });
}
