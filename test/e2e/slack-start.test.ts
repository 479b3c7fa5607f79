import { describe, expect, it } from 'vitest';
import { startCommand } from '../../src/cli/start.js';
import { visibleText } from '../../src/sandbox/slack/slack-shapes.js';
import { startStandIns } from '../helpers/start-stand-ins.js';
import { BOB, OPS_CHANNEL } from '../slack/fixtures.js';

// `upstream-sync start --config FILE`: the bot as the CLI runs it, tokens and endpoints from the
// environment, until it is told to stop.

function setup() {
  return startStandIns({ prefix: 'start', users: [BOB] });
}

describe('upstream-sync start', () => {
  it('connects over Socket Mode, answers commands, serves /healthz and stops cleanly', async () => {
    const { slack, config, env } = await setup();
    const stop = new AbortController();
    const err: string[] = [];
    let ready: (url: string | null) => void = () => undefined;
    const readyAt = new Promise<string | null>((r) => (ready = r));
    const exit = startCommand({ config }, { stdout: () => undefined, stderr: (l) => err.push(l) }, env, {
      stop: stop.signal,
      onReady: ({ web }) => ready(web),
    });
    const web = await readyAt;
    expect(slack.connectionCount).toBe(1);
    const health = await fetch(`${web}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      ok: true,
      checks: { database: { ok: true }, eventLoop: { ok: true } },
    });
    const readyz = await fetch(`${web}/readyz`);
    expect(readyz.status).toBe(200);
    expect(await readyz.json()).toMatchObject({
      ok: true,
      checks: { slack: { ok: true, detail: 'socket connected' } },
    });
    // No GITHUB_WEBHOOK_SECRET: no webhook route (an unsigned one would let anyone queue work).
    expect((await fetch(`${web}/webhooks/github`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(
      await slack.sendSlashCommand({ command: '/upstream-sync', text: 'help', user_id: BOB, channel_id: OPS_CHANNEL }),
    ).toEqual({});
    const answer = await slack.waitFor(() => slack.ephemeralsFor(BOB, OPS_CHANNEL)[0], { what: 'the help answer' });
    expect(visibleText(answer.blocks)).toContain('/upstream-sync release');
    stop.abort();
    expect(await exit).toBe(0);
    for (let i = 0; i < 100 && slack.openConnections > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(slack.openConnections).toBe(0);
    expect(err).toEqual([]);
  });

  it('refuses to start without the Slack tokens, saying which', async () => {
    const { config, env } = await setup();
    const err: string[] = [];
    const { SLACK_APP_TOKEN: _app, ...withoutApp } = env;
    expect(await startCommand({ config }, { stdout: () => undefined, stderr: (l) => err.push(l) }, withoutApp)).toBe(2);
    expect(err.join('\n')).toContain('SLACK_APP_TOKEN');
  });
});
