/**
 * The requirement ids scenarios may claim to cover: the `platform-1.6j` set (shared/requirements.md).
 * Validation takes the list as an option, so the conformance catalogue can supply its own.
 */
export const PLATFORM_REQUIREMENT_IDS: readonly string[] = [
  'PLT-TLS-1',
  'PLT-TLS-2',
  'PLT-TIME-1',
  'PLT-SEC-2',
  'PLT-SEC-3',
  'PLT-CORE-1',
  'PLT-CORE-2',
  'PLT-FW-1',
  'PLT-SC-1',
  'PLT-SC-2',
  'PLT-SC-3',
  'PLT-RT-1',
  'PLT-RT-2',
  'PLT-CFG-1',
  'PLT-CFG-2',
  'PLT-MV-1',
  'PLT-MV-2',
  'PLT-ST-1',
  'PLT-ST-2',
  'PLT-ST-3',
  'PLT-ST-4',
  'PLT-NF-1',
  'PLT-NF-2',
];
