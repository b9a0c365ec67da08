import { CATEGORY_EXIT, errorCategory } from '../errors.js';

/** Exit codes shared by every command (README, docs/errors.md); the categories' codes are in src/errors.ts. */
export const EXIT = {
  OK: 0,
  CHECK_FAILED: CATEGORY_EXIT.check,
  USAGE: CATEGORY_EXIT.usage,
  UNREACHABLE: CATEGORY_EXIT.unreachable,
  INTERNAL: CATEGORY_EXIT.internal,
} as const;

/** The exit code of an error code, from its category in the one table (src/errors.ts). */
export function exitCodeForError(code: string): number {
  return CATEGORY_EXIT[errorCategory(code)];
}
