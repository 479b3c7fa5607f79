import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../src/adapters/store/open-store.js';
import { AppError } from '../src/errors.js';
import { JobRunner } from '../src/jobs/runner.js';
import { createLogger } from '../src/log.js';
import { clearRegisteredSecrets, registerSecrets } from '../src/redact.js';
import { tempDir } from './helpers/tmp.js';
import { job, storeIn } from './jobs/fixtures/harness.js';

// Invariant 9 for logs: plant secrets the ways they really arrive and grep every byte written.

const GITHUB_TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
/** Not token-shaped, so only registration can catch it; the quote and backslash are JSON-escaped in a log line. */
const WEBHOOK_SECRET = 'plain"webhook\\secret-value';
/** Never registered: only the key it sits under or its place in a URL gives it away. */
const UNREGISTERED = 'hunter2-unregistered-password';

const opened: Store[] = [];

function capture(): { lines: string[]; text: () => string; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  return { lines, text: () => lines.join(''), logger };
}

afterEach(() => {
  clearRegisteredSecrets();
  while (opened.length) opened.pop()!.close();
});

describe('createLogger redaction', () => {
  it('keeps secrets out of job logs: fields, messages, URLs, errors and their causes', async () => {
    registerSecrets([GITHUB_TOKEN, WEBHOOK_SECRET, undefined]);
    const { text, lines, logger } = capture();
    const store = storeIn(await tempDir());
    opened.push(store);
    const runner = new JobRunner({ store: store.jobs, log: logger, pollMs: 10 });
    runner.register({
      kind: 'sync',
      handler: async (ctx) => {
        ctx.log.info({ env: { GITHUB_TOKEN, GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET } }, 'environment');
        ctx.log.info(
          { remote: `https://x-access-token:${GITHUB_TOKEN}@github.example/CartoDB/litellm.git` },
          'fetching',
        );
        ctx.log.debug({ request: { options: { headers: { authorization: `token ${UNREGISTERED}` } } } }, 'request');
        ctx.log.warn(`signature check with ${WEBHOOK_SECRET} failed`);
        const cause = new Error(`fatal: could not read from https://bot:${UNREGISTERED}@github.example/x.git`);
        throw new AppError(
          'git_failed',
          `git fetch failed for https://x-access-token:${GITHUB_TOKEN}@github.example/CartoDB/litellm.git`,
          {
            cause,
            details: { config: { auth: { password: UNREGISTERED } } },
          },
        );
      },
    });
    const { job: queued } = await runner.enqueue(job('sync', 'sync:litellm', null, { pipeline: 'litellm' }));
    await runner.runUntilIdle();

    const out = text();
    for (const secret of [GITHUB_TOKEN, WEBHOOK_SECRET, JSON.stringify(WEBHOOK_SECRET).slice(1, -1), UNREGISTERED]) {
      expect(out).not.toContain(secret);
    }
    // The lines are still useful: the job's context, the host, the error and its cause survive.
    const failed = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'job failed')!;
    expect(failed).toMatchObject({
      jobId: queued.id,
      pipeline: 'litellm',
      kind: 'sync',
      err: { type: 'AppError', code: 'git_failed' },
    });
    expect((failed.err as { message: string }).message).toMatch(
      /github\.example\/CartoDB\/litellm\.git: fatal: could not read/,
    );
    expect(out).toContain('[REDACTED]');
    expect(out).toContain('"msg":"fetching"');
    // And nothing was stored either.
    expect(JSON.stringify(store.db.prepare('SELECT * FROM jobs').all())).not.toMatch(
      new RegExp(`${GITHUB_TOKEN}|${UNREGISTERED}`),
    );
  });

  it('censors credential-named keys at any depth, errors under any key, and survives cycles', () => {
    const { text, lines, logger } = capture();
    const err = Object.assign(new Error('request failed'), { response: { headers: { 'set-cookie': UNREGISTERED } } });
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    logger.child({ apiKey: UNREGISTERED }).info(
      {
        a: { b: { c: { d: { privateKey: UNREGISTERED, clientSecret: UNREGISTERED } } } },
        failure: err,
        cyclic,
        usage: { inputTokens: 12 },
      },
      'deep',
    );

    expect(text()).not.toContain(UNREGISTERED);
    const line = JSON.parse(lines[0]!) as {
      apiKey: string;
      a: { b: { c: { d: unknown } } };
      failure: unknown;
      cyclic: unknown;
      usage: unknown;
    };
    expect(line.apiKey).toBe('[REDACTED]');
    expect(line.a.b.c.d).toEqual({ privateKey: '[REDACTED]', clientSecret: '[REDACTED]' });
    expect(line.failure).toMatchObject({
      type: 'Error',
      message: 'request failed',
      response: { headers: { 'set-cookie': '[REDACTED]' } },
    });
    expect(line.cyclic).toEqual({ name: 'loop', self: '[Circular]' });
    expect(line.usage).toEqual({ inputTokens: 12 });
  });
});
