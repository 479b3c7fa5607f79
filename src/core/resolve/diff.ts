// Line diff: Myers' O(ND) algorithm in linear space (the bisection form used by
// diff-match-patch), on interned line ids. Returns the common lines as matching blocks.

export interface MatchBlock {
  /** Start in the first sequence. */
  a: number;
  /** Start in the second sequence. */
  b: number;
  size: number;
}

export function diffLines(a: readonly string[], b: readonly string[]): MatchBlock[] {
  const ids = new Map<string, number>();
  const intern = (s: string): number => {
    let id = ids.get(s);
    if (id === undefined) {
      id = ids.size;
      ids.set(s, id);
    }
    return id;
  };
  const A = Int32Array.from(a, intern);
  const B = Int32Array.from(b, intern);
  const pairs: number[] = [];
  lcs(A, 0, A.length, B, 0, B.length, pairs);
  return toBlocks(pairs);
}

function toBlocks(pairs: number[]): MatchBlock[] {
  const blocks: MatchBlock[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const x = pairs[i] as number;
    const y = pairs[i + 1] as number;
    const last = blocks[blocks.length - 1];
    if (last && last.a + last.size === x && last.b + last.size === y) last.size++;
    else blocks.push({ a: x, b: y, size: 1 });
  }
  return blocks;
}

/** Appends matched index pairs (x, y), in order, for A[aLo..aHi) against B[bLo..bHi). */
function lcs(A: Int32Array, aLo: number, aHi: number, B: Int32Array, bLo: number, bHi: number, out: number[]): void {
  while (aLo < aHi && bLo < bHi && A[aLo] === B[bLo]) {
    out.push(aLo++, bLo++);
  }
  let suffix = 0;
  while (aLo < aHi - suffix && bLo < bHi - suffix && A[aHi - 1 - suffix] === B[bHi - 1 - suffix]) suffix++;
  const aEnd = aHi - suffix;
  const bEnd = bHi - suffix;
  if (aLo < aEnd && bLo < bEnd) {
    const split = bisect(A, aLo, aEnd, B, bLo, bEnd);
    if (split) {
      lcs(A, aLo, split[0], B, bLo, split[1], out);
      lcs(A, split[0], aEnd, B, split[1], bEnd, out);
    }
  }
  for (let i = 0; i < suffix; i++) out.push(aEnd + i, bEnd + i);
}

/** Finds the middle snake; returns a split point, or null when the ranges share no line. */
function bisect(
  A: Int32Array,
  aLo: number,
  aHi: number,
  B: Int32Array,
  bLo: number,
  bHi: number,
): [number, number] | null {
  const n = aHi - aLo;
  const m = bHi - bLo;
  const maxD = Math.ceil((n + m) / 2);
  const offset = maxD;
  const length = 2 * maxD + 2;
  const v1 = new Int32Array(length).fill(-1);
  const v2 = new Int32Array(length).fill(-1);
  v1[offset + 1] = 0;
  v2[offset + 1] = 0;
  const delta = n - m;
  const front = (delta & 1) !== 0;
  let k1start = 0;
  let k1end = 0;
  let k2start = 0;
  let k2end = 0;
  for (let d = 0; d < maxD; d++) {
    for (let k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
      const k1o = offset + k1;
      let x1 =
        k1 === -d || (k1 !== d && (v1[k1o - 1] as number) < (v1[k1o + 1] as number))
          ? (v1[k1o + 1] as number)
          : (v1[k1o - 1] as number) + 1;
      let y1 = x1 - k1;
      while (x1 < n && y1 < m && A[aLo + x1] === B[bLo + y1]) {
        x1++;
        y1++;
      }
      v1[k1o] = x1;
      if (x1 > n) k1end += 2;
      else if (y1 > m) k1start += 2;
      else if (front) {
        const k2o = offset + delta - k1;
        if (k2o >= 0 && k2o < length && v2[k2o] !== -1 && x1 >= n - (v2[k2o] as number)) return [aLo + x1, bLo + y1];
      }
    }
    for (let k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
      const k2o = offset + k2;
      let x2 =
        k2 === -d || (k2 !== d && (v2[k2o - 1] as number) < (v2[k2o + 1] as number))
          ? (v2[k2o + 1] as number)
          : (v2[k2o - 1] as number) + 1;
      let y2 = x2 - k2;
      while (x2 < n && y2 < m && A[aHi - 1 - x2] === B[bHi - 1 - y2]) {
        x2++;
        y2++;
      }
      v2[k2o] = x2;
      if (x2 > n) k2end += 2;
      else if (y2 > m) k2start += 2;
      else if (!front) {
        const k1o = offset + delta - k2;
        if (k1o >= 0 && k1o < length && v1[k1o] !== -1) {
          const x1 = v1[k1o] as number;
          const y1 = offset + x1 - k1o;
          if (x1 >= n - x2) return [aLo + x1, bLo + y1];
        }
      }
    }
  }
  return null;
}
