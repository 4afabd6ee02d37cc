/** "Did you mean" for names typed by people: closest candidate by edit distance, if close enough. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  if (bestDistance <= Math.max(2, Math.floor(name.length / 3))) return best;
  // Abbreviations (qty -> quantity): the typed letters appear in order in exactly one candidate.
  const abbreviated = candidates.filter((c) => isSubsequence(name.toLowerCase(), c.toLowerCase()));
  return abbreviated.length === 1 ? abbreviated[0] : undefined;
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (let j = 0; j < long.length && i < short.length; j++) if (long[j] === short[i]) i++;
  return short.length > 1 && i === short.length;
}

function editDistance(a: string, b: string): number {
  const prev = new Uint16Array(b.length + 1).map((_, j) => j);
  const cur = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev.set(cur);
  }
  return prev[b.length]!;
}
