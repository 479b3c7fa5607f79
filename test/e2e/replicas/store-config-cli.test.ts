import { describe, expect, it } from 'vitest';
import { CONFIG, cliWorld } from '../sync/cli-process.js';

// `store: { kind: postgres }` without a reachable database: one line, exit 2, never the password.

describe('store: postgres, misconfigured', () => {
  it('DATABASE_URL unset: exit 2 naming the variable', async () => {
    const w = await cliWorld({ config: `store: { kind: postgres }\n${CONFIG}`, seed: false });
    const run = await w.run(['status', '--config', w.configFile]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('error: store.url: the environment variable DATABASE_URL is not set');
  });

  it('a server that refuses: exit 2 with the URL, its password hidden', async () => {
    const w = await cliWorld({ config: `store: { kind: postgres }\n${CONFIG}`, seed: false });
    const run = await w.run(['status', '--config', w.configFile], {
      DATABASE_URL: 'postgres://bot:hunter2secret@127.0.0.1:1/upstream',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: cannot connect to PostgreSQL at postgres://bot:***@127.0.0.1:1/upstream');
    expect(run.stderr).not.toContain('hunter2secret');
  });

  it('a password written in the config file is refused', async () => {
    const w = await cliWorld({
      config: `store: { kind: postgres, url: 'postgres://bot:hunter2secret@db/x' }\n${CONFIG}`,
      seed: false,
    });
    const run = await w.run(['status', '--config', w.configFile]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('store.url: holds a password');
  });
});
