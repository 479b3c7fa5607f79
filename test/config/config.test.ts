import { firstReleaseSync } from '../helpers/pipelines.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfigText } from '../../src/config/load.js';
import { runCli } from '../../src/cli/program.js';
import { impactOf } from '../../src/core/release/changelog-card.js';
import { tempDir } from '../helpers/tmp.js';

const MINIMAL = `
pipelines:
  - id: litellm
    upstream: { repo: BerriAI/litellm, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' }
    fork: { repo: CartoDB/litellm, mirrorBranch: main, productionBranch: carto/main }
    version: { file: pyproject.toml, key: tool.poetry.version }
`;

function problemsOf(text: string): string[] {
  try {
    parseConfigText(text);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, out, err };
}

describe('configuration', () => {
  it("loads CARTO's full example", async () => {
    const config = await loadConfig('examples/carto-litellm.yml');
    const p = firstReleaseSync(config);
    expect(p.fork.productionBranch).toBe('carto/main');
    expect(p.whenNewerReleaseWhilePrOpen).toBe('queue');
    expect(p.release?.tagFormat).toBe('v{upstream}-carto.{major}.{minor}.{patch}');
    expect(config.git.author).toEqual({ name: 'Cartofante', email: 'cartofante@carto.com' });
    // CARTO's slack-changelog rules (reference §8): first match wins, else Core.
    const rules = p.slack?.changelogImpact;
    expect(rules?.map((r) => r.label)).toEqual(['Providers', 'Proxy', 'CI/CD', 'Docker']);
    const cases = [
      ['litellm/proxy/a.py', 'litellm/llms/oci/b.py'],
      ['litellm/proxy/a.py', '.github/x.yml'],
      ['.github/workflows/ci.yml'],
      ['docker/Dockerfile.non_root'],
      ['Dockerfile'],
      ['litellm/main.py'],
    ];
    expect(cases.map((paths) => impactOf(paths, rules))).toEqual([
      'Providers',
      'Proxy',
      'CI/CD',
      'Docker',
      'Docker',
      'Core',
    ]);
  });

  it('fills defaults for a minimal pipeline', () => {
    const config = parseConfigText(MINIMAL);
    const p = firstReleaseSync(config);
    expect(p.syncBranch).toBe('upstream-sync/{tag}');
    expect(p.pr.labels).toEqual(['upstream-sync', 'automated']);
    expect(p.timezone).toBe('UTC');
    expect(p.resolution.maxAttempts).toBe(3);
    expect(config.git.author.name).toBe('upstream-sync[bot]');
  });

  it.each([
    [
      'missing production branch',
      MINIMAL.replace(', productionBranch: carto/main', ''),
      'pipelines[0].fork.productionBranch: required',
    ],
    [
      'bad regex',
      MINIMAL.replace("'^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$'", "'^v(\\d+'"),
      'pipelines[0].upstream.tagPattern: invalid regular expression',
    ],
    [
      'backreference (not linear-time)',
      MINIMAL.replace("'^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$'", "'^v(?<version>\\d+)-(\\d+)-\\2'"),
      'pipelines[0].upstream.tagPattern: not a linear-time regular expression',
    ],
    [
      'no version group',
      MINIMAL.replace('(?<version>\\d+\\.\\d+\\.\\d+)', '\\d+'),
      'pipelines[0].upstream.tagPattern: must contain a named group (?<version>',
    ],
    ['bad cron', `${MINIMAL}    schedule: '61 * * * *'\n`, 'pipelines[0].schedule: invalid cron expression'],
    ['six-field cron', `${MINIMAL}    schedule: '0 0 12 * * 1'\n`, 'pipelines[0].schedule: invalid cron expression'],
    ['bad time zone', `${MINIMAL}    timezone: Mars/Olympus\n`, 'pipelines[0].timezone: unknown IANA time zone'],
    ['unknown key', `${MINIMAL}    bogus: true\n`, 'pipelines[0].bogus: unknown key'],
    ['unknown top-level key', `${MINIMAL}colour: blue\n`, 'colour: unknown key'],
    [
      'channel name instead of id',
      `${MINIMAL}    slack: { channel: '#cartodb-ops' }\n`,
      'pipelines[0].slack.channel: must be a channel id',
    ],
    [
      'hostile branch',
      MINIMAL.replace('mirrorBranch: main', "mirrorBranch: '--upload-pack=x'"),
      'pipelines[0].fork.mirrorBranch: not a valid branch name',
    ],
    [
      'sync branch without {tag}',
      `${MINIMAL}    syncBranch: upstream-sync\n`,
      'pipelines[0].syncBranch: must contain {tag}',
    ],
    ['bad access id', `${MINIMAL}access: { approve: ['not valid!'] }\n`, 'access.approve[0]: must be a Slack user id'],
    [
      'both key and pattern',
      MINIMAL.replace('key: tool.poetry.version', "key: a, pattern: 'v(?<version>.*)'"),
      'pipelines[0].version.key: give exactly one of key or pattern',
    ],
    [
      'impact rule without paths',
      `${MINIMAL}    slack: { channel: C09K0M5MP7V, changelogImpact: [{ label: Proxy, paths: [] }] }\n`,
      'pipelines[0].slack.changelogImpact[0].paths: ',
    ],
    [
      'impact rule with an unknown key',
      `${MINIMAL}    slack: { channel: C09K0M5MP7V, changelogImpact: [{ label: Proxy, paths: [a], colour: red }] }\n`,
      'pipelines[0].slack.changelogImpact[0].colour: unknown key',
    ],
    ['YAML syntax', 'pipelines: [\n', 'YAML:'],
  ])('reports %s with its path', (_name, text, expected) => {
    const problems = problemsOf(text);
    expect(problems.join('\n')).toContain(expected);
  });

  it('reports duplicate pipeline ids even when other fields are wrong', () => {
    const problems = problemsOf(
      `${MINIMAL}${MINIMAL.replace('pipelines:\n', '').replace('mirrorBranch: main', "mirrorBranch: 'a..b'")}`,
    );
    expect(problems).toContain('pipelines[1].id: duplicate pipeline id "litellm" (also pipelines[0])');
    expect(problems.some((p) => p.startsWith('pipelines[1].fork.mirrorBranch'))).toBe(true);
  });

  it('config check prints every problem at once and exits 2', async () => {
    const dir = await tempDir();
    const file = join(dir, 'bad.yml');
    await writeFile(file, `${MINIMAL.replace(', productionBranch: carto/main', '')}    schedule: nope\n    extra: 1\n`);
    const { code, err } = await cli(['config', 'check', '--config', file]);
    expect(code).toBe(2);
    expect(err).toContain('pipelines[0].fork.productionBranch: required');
    expect(err.some((l) => l.startsWith('pipelines[0].schedule: invalid cron expression'))).toBe(true);
    expect(err).toContain('pipelines[0].extra: unknown key');
  });

  it('config check exits 0 for a valid file and 2 for a missing one', async () => {
    expect((await cli(['config', 'check', '--config', 'examples/carto-litellm.yml'])).code).toBe(0);
    const missing = await cli(['config', 'check', '--config', '/nonexistent/upstream-sync.yml']);
    expect(missing.code).toBe(2);
    expect(missing.err.join('\n')).toContain('config file not found');
  });

  it('an unknown command is a usage error', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2);
  });
});
