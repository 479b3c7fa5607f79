import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { healthcheckCommand } from '../../src/cli/healthcheck.js';
import { tempDir } from '../helpers/tmp.js';

// `upstream-sync healthcheck` (the Docker HEALTHCHECK) follows web.port from the config.

let server: Server | null = null;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(null)));
  server = null;
});

async function healthz(status: number): Promise<number> {
  server = createServer((req, res) => res.writeHead(req.url === '/healthz' ? status : 404).end('{"ok":true}'));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

async function configFor(port: number): Promise<string> {
  const file = join(await tempDir('hc-'), 'upstream-sync.yml');
  await writeFile(
    file,
    `web: { host: 0.0.0.0, port: ${port} }
pipelines:
  - id: litellm
    upstream: { repo: BerriAI/litellm, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' }
    fork: { repo: CartoDB/litellm, productionBranch: carto/main }
    version: { file: pyproject.toml, key: tool.poetry.version }
`,
  );
  return file;
}

const io = (out: string[]) => ({ stdout: (l: string) => out.push(l), stderr: (l: string) => out.push(l) });

describe('upstream-sync healthcheck', () => {
  it('asks /healthz on the configured web.port: 0 when healthy, 1 when not or not answering', async () => {
    const out: string[] = [];
    const port = await healthz(200);
    expect(await healthcheckCommand({ config: await configFor(port) }, io(out))).toBe(0);
    expect(out[0]).toContain(`http://127.0.0.1:${port}/healthz: 200`);
    await new Promise((r) => server!.close(r));
    server = null;
    expect(await healthcheckCommand({ config: await configFor(port) }, io(out))).toBe(1);
    const sick = await healthz(503);
    expect(await healthcheckCommand({ config: await configFor(sick) }, io(out))).toBe(1);
  });

  it('is what the Docker image runs, on Node 22 LTS; engines still let CI install on Node 20', async () => {
    const dockerfile = await readFile('Dockerfile', 'utf8');
    expect(dockerfile).toMatch(/^ARG NODE_VERSION=22$/m);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*"healthcheck", "--config", "\/config\/upstream-sync\.yml"/);
    expect(dockerfile).toMatch(/CMD \["start", "--config", "\/config\/upstream-sync\.yml"\]/);
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe('^20.19 || >=22.12');
  });
});
