// The process that gets killed: runs the release job on the shared SQLite file and git cache
// until the test sends SIGKILL (the stand-in holds its GitHub-release request open meanwhile).
import { openStore } from '../../../src/adapters/store/open-store.js';
import { releaseJob } from '../../../src/workflows/release/release.js';
import { JobRunner } from '../../../src/jobs/runner.js';
import { silentLogger } from '../../../src/log.js';
import { cartoConfig, releaseDeps } from './release-fixture.js';

const [dataDir, url, token, leaseMs] = process.argv.slice(2) as [string, string, string, string];
const log = silentLogger();
const store = openStore(dataDir);
const runner = new JobRunner({
  store: store.jobs,
  audit: store.audit,
  log,
  owner: 'doomed-worker',
  leaseMs: Number(leaseMs),
  pollMs: 10,
});
runner.register(releaseJob(releaseDeps({ url, token, dataDir, store, log, config: cartoConfig() })));
process.stdout.write('ready\n');
await runner.runUntilIdle();
process.stdout.write('finished\n');
store.close();
