/** Exit codes shared by every command (README, docs/cli.md). */
export const EXIT = {
  OK: 0,
  CHECK_FAILED: 1,
  USAGE: 2,
  UNREACHABLE: 3,
} as const;
