import { afterEach } from 'vitest';
import { tempDir } from '../../helpers/tmp.js';
import { closeAppWorld, openAppWorld, type AppWorld, type AppWorldOptions } from './app-world-core.js';

// main.ts's startApp in this process (what `start` runs), against the stand-ins, with its log
// lines captured: for tests that read /readyz, /metrics and the logs while driving the bot.
// Closed after each test; its temp dirs go with tmp.ts's.

export type { AppWorld, AppWorldOptions } from './app-world-core.js';

const worlds: AppWorld[] = [];
afterEach(async () => {
  while (worlds.length) await closeAppWorld(worlds.pop()!);
});

export async function appWorld(options: AppWorldOptions = {}): Promise<AppWorld> {
  const w = await openAppWorld(options, tempDir);
  worlds.push(w);
  return w;
}
