// Where in its schedule window a pipeline's check starts. Hundreds of pipelines on one cron
// expression would otherwise all ask GitHub in the same second; each pipeline gets a fixed offset
// instead, derived from its id (the same on every replica and after every restart, so a check's
// spacing stays even), spread over part of the window.

/** Share of the window checks are spread over: the rest is left for the round to finish in. */
export const JITTER_SPREAD = 0.5;
/** No check waits longer than this after its tick, however long the window. */
export const MAX_JITTER_MS = 30 * 60_000;

/** A number in [0, 1) fixed by `seed` (FNV-1a, 32 bits). */
export function seededFraction(seed: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 2 ** 32;
}

/** Delay of a pipeline's check after its tick, for a window (time to the next tick) of `windowMs`. */
export function jitterDelayMs(pipelineId: string, windowMs: number): number {
  if (!(windowMs > 0)) return 0;
  const span = Math.min(windowMs * JITTER_SPREAD, MAX_JITTER_MS);
  return Math.floor(seededFraction(pipelineId) * span);
}
