/**
 * Polls `probe` every 20 ms until it gives something (not undefined, null or false): what it waits
 * for may change on a Slack request, a GitHub request or a job step. Throws after `timeoutMs`.
 */
export async function until<T>(
  probe: () => T | undefined | null | false,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
