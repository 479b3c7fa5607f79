import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

// A throwaway PostgreSQL for the tests that need one: initdb in a temporary directory, pg_ctl on a
// free port of 127.0.0.1, trust auth, fsync off. PostgreSQL refuses to run as root, so under root
// the cluster runs as `nobody`. Skipped only when UPSTREAM_SYNC_SKIP_POSTGRES=1 and not in CI:
// in CI a PostgreSQL that cannot start fails the tests that need it.

export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  /** A fresh, empty database on this server; its URL. */
  createDatabase(name?: string): Promise<string>;
  stop(): void;
}

export const postgresSkipped = process.env.UPSTREAM_SYNC_SKIP_POSTGRES === '1' && process.env.CI !== 'true';

function binDir(): string {
  const candidates = ['/usr/local/bin', ...pgLibBins()];
  const pathDirs = (process.env.PATH ?? '').split(':');
  for (const dir of [...pathDirs, ...candidates]) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  throw new Error(
    'PostgreSQL binaries (initdb, pg_ctl) were not found: install Debian\'s "postgresql" package (.ci/install-postgres.sh) or set UPSTREAM_SYNC_SKIP_POSTGRES=1 to skip these tests locally',
  );
}

function pgLibBins(): string[] {
  try {
    return readdirSync('/usr/lib/postgresql')
      .sort()
      .reverse()
      .map((v) => `/usr/lib/postgresql/${v}/bin`);
  } catch {
    return [];
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const out = execFileSync('id', ['nobody'], { encoding: 'utf8' });
  const uid = /uid=(\d+)/.exec(out)?.[1];
  const gid = /gid=(\d+)/.exec(out)?.[1];
  if (!uid || !gid) throw new Error(`cannot find the "nobody" user to run PostgreSQL as: ${out}`);
  return { uid: Number(uid), gid: Number(gid) };
}

function run(bin: string, args: string[], user: { uid: number; gid: number } | null): void {
  const result = spawnSync(bin, args, {
    encoding: 'utf8',
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    timeout: 60_000,
  });
  if (result.status !== 0) {
    throw new Error(`${bin} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'upstream-sync-pg-'));
  chmodSync(dir, 0o700);
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const port = await freePort();
  run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], user);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200`;
  run(join(bin, 'pg_ctl'), ['start', '-w', '-t', '60', '-D', data, '-l', join(dir, 'log'), '-o', options], user);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  let counter = 0;
  return {
    url,
    async createDatabase(name = `t${process.pid}_${++counter}_${Date.now().toString(36)}`) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      spawnSync(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w'], {
        ...(user ? { uid: user.uid, gid: user.gid } : {}),
        timeout: 30_000,
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
