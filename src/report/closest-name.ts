/** "Did you mean": the known name nearest to a mistyped one, if it is near enough to be a typo. */
export function closestName(input: string, known: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const d = editDistance(needle, name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(needle.length / 3));
  if (best !== undefined && (bestDistance <= limit || best.toLowerCase().startsWith(needle) || needle.startsWith(best.toLowerCase()))) {
    return best;
  }
  return undefined;
}

/** Levenshtein distance, two rows. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    prev = cur;
  }
  return prev[b.length];
}
