// Edit distance for "did you mean" hints and quick fixes (misspelt keys, unknown model ids).

/**
 * Edit distance where swapping two neighbours counts as one edit (optimal string alignment):
 * "modle" is one typo from "model", as close as "mode". O(|a|·|b|); inputs are short keys and ids.
 */
export function editDistance(a: string, b: string): number {
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (prev2[j - 2] as number) + 1);
      cur.push(v);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length] as number;
}

/** Up to `count` candidates closest to `word` (case-insensitive), nearest first, ties in candidate order. */
export function nearest(word: string, candidates: readonly string[], count: number, maxDistance = Infinity): string[] {
  const w = word.toLowerCase();
  return candidates
    .map((c, i) => ({ c, i, d: editDistance(w, c.toLowerCase()) }))
    .filter((x) => x.d <= maxDistance)
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, count)
    .map((x) => x.c);
}
