import { describe, expect, it } from 'vitest';
import { publishRelease } from '../../pipelines/release-sync/harness.js';
import { cliWorld } from './cli-process.js';

// `status` answers from SQLite when GitHub cannot: without credentials it shows the local state
// and says what it could not check; with GitHub failing it asks once (no retries) and returns.

describe('upstream-sync status without GitHub', () => {
  it('without credentials: the local state, and what was not checked', async () => {
    const w = await cliWorld();
    await publishRelease(w.sandbox, '1.81.0', { 'litellm/new.py': 'new\n' });
    expect((await w.run(['sync', '--config', w.configFile, '--json'])).code).toBe(0);
    const r = await w.run(['status', '--config', w.configFile], { GITHUB_TOKEN: '' });
    expect(r.stdout.join('\n')).toMatch(/^litellm: /m);
    expect(r.stdout.join('\n')).toMatch(/last run pr-created at /);
    expect(r.stdout.join('\n')).toContain(
      'error unauthorized: no GitHub credentials (GITHUB_TOKEN or GITHUB_APP_ID): not checked',
    );
    expect(r.stderr).not.toMatch(/GITHUB_TOKEN is not set/);
  });

  it('GitHub failing: one attempt per request, no retries, then the stale local state', async () => {
    const w = await cliWorld();
    await publishRelease(w.sandbox, '1.81.0', { 'litellm/new.py': 'new\n' });
    expect((await w.run(['sync', '--config', w.configFile, '--json'])).code).toBe(0);
    const before = w.sandbox.requests.length;
    w.sandbox.faults.inject({ status: 503, times: Infinity, body: { message: 'unavailable' } });
    const r = await w.run(['status', '--config', w.configFile]);
    expect(r.code).toBe(1);
    expect(r.stdout.join('\n')).toMatch(/^litellm: .*\(stale: GitHub unreachable\)/m);
    const attempts = w.sandbox.requests.slice(before);
    expect(attempts.length).toBeGreaterThan(0);
    // Each distinct request was sent once: nothing retried.
    const keys = attempts.map((a) => `${a.method} ${a.path}?${a.query}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
