import type { Config, ReleaseSyncConfig } from '../../src/config/schema.js';
import { isReleaseSync } from '../../src/config/require-pipeline.js';

/** The first release-sync pipeline of a test configuration (most fixtures have exactly one). */
export function firstReleaseSync(config: Pick<Config, 'pipelines'>): ReleaseSyncConfig {
  const p = config.pipelines.find(isReleaseSync);
  if (!p) throw new Error('the test configuration has no release-sync pipeline');
  return p;
}
