import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCommand } from '../../src/cli/demo.js';
import { startDemoServer, type DemoPageState, type DemoServer } from '../../src/demo/demo-server.js';
import { startDemoWorld, type DemoWorld } from '../../src/demo/demo-world.js';

// The demo's server without a browser: what the page gets (state, live events) and what it may
// ask (each action validated; refusals are answers, not crashes), and the generated world.

let world: DemoWorld;
let server: DemoServer;
const ALICE = 'U0DEMOALICE';

beforeAll(async () => {
  world = await startDemoWorld({ source: {} });
  server = await startDemoServer(world, { port: 0 });
});
afterAll(async () => {
  await server?.close();
  await world?.stop();
});

const post = async (action: string, body: unknown) => {
  const res = await fetch(`${server.url}api/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const state = async () => (await (await fetch(`${server.url}api/state`)).json()) as DemoPageState;

describe('demo server', () => {
  it('serves the page and its scripts as plain files', async () => {
    const page = await fetch(server.url);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('<script type="module" src="/demo.js">');
    for (const file of ['demo.js', 'app.js', 'block-kit.js', 'slack-pane.js', 'github-pane.js', 'demo.css'])
      expect((await fetch(`${server.url}${file}`)).status).toBe(200);
    expect((await fetch(`${server.url}../package.json`)).status).toBe(404);
  });

  it('shows generated repositories: stable releases, decoys, and a fork with customisations', async () => {
    const s = await state();
    const upstream = s.github.repos.find((r) => r.fullName === 'BerriAI/litellm')!;
    const fork = s.github.repos.find((r) => r.fullName === 'CartoDB/litellm')!;
    expect(upstream.releases.filter((r) => /-stable$/.test(r.tag) && !r.prerelease).length).toBeGreaterThanOrEqual(3);
    expect(upstream.releases.some((r) => r.prerelease)).toBe(true);
    expect(upstream.tags.map((t) => t.name)).toEqual(expect.arrayContaining(['v1.80.1.dev4', 'litellm-helm-0.4.2']));
    expect(upstream.canPublish).toBe(true);
    expect(fork).toMatchObject({ parent: 'BerriAI/litellm', canPublish: false });
    expect(fork.branches.find((b) => b.name === 'carto/main')?.subject).toMatch(/CARTO customisations/);
    expect(s.llm.kind).toBe('scripted');
    expect(s.commands).toEqual([
      expect.objectContaining({ command: '/upstream-sync', usageHint: expect.stringContaining('status') }),
    ]);
  });

  it('refuses malformed and unknown actions with a reason, and never reaches the bot', async () => {
    const envelopes = world.slack.envelopes.length;
    expect(await post('command', '{not json')).toMatchObject({ status: 400 });
    expect(
      await post('command', { user: 'alice', channel: world.channel.id, text: '/upstream-sync status' }),
    ).toMatchObject({
      status: 400,
      body: { ok: false, error: expect.stringContaining('user') },
    });
    expect(await post('command', { user: ALICE, channel: world.channel.id, text: '/deploy now' })).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining('unknown command /deploy') },
    });
    expect(
      await post('click', { user: ALICE, label: 'Approve & merge', channel: world.channel.id, ts: '1.0' }),
    ).toMatchObject({
      status: 400,
    });
    expect(await post('publish', { repo: 'CartoDB/litellm' })).toMatchObject({ status: 400 });
    expect(await post('shutdown', {})).toMatchObject({ status: 404 });
    const form = await fetch(`${server.url}api/command`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ user: ALICE, channel: world.channel.id, text: '/upstream-sync sync' }),
    });
    expect(form.status).toBe(415);
    expect(world.slack.envelopes.length).toBe(envelopes);
  });

  it('sends a slash command over Socket Mode and pushes the answer as a server-sent event', async () => {
    const events = await fetch(`${server.url}api/events`);
    const reader = events.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const nextState = async (): Promise<DemoPageState> => {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(event)?.[1];
          if (data) return JSON.parse(data) as DemoPageState;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('event stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    };
    expect((await nextState()).slack.ephemerals).toEqual([]);
    expect(
      await post('command', { user: ALICE, channel: world.channel.id, text: '/upstream-sync help' }),
    ).toMatchObject({
      status: 200,
      body: { ok: true },
    });
    for (;;) {
      const s = await nextState();
      if (s.slack.ephemerals.some((e) => e.user === ALICE)) break;
    }
    await reader.cancel();
    expect(world.slack.envelopes.some((e) => e.type === 'slash_commands')).toBe(true);
  });

  it('publishes the next upstream stable release', async () => {
    expect(await post('publish', { repo: 'BerriAI/litellm' })).toMatchObject({
      status: 200,
      body: { tag: 'v1.82.0-stable' },
    });
    expect(world.github.releases('BerriAI/litellm')[0]).toMatchObject({ tag: 'v1.82.0-stable', prerelease: false });
  });
  it('sends a pick in a select of a message as block_actions with the chosen option', async () => {
    const posted = await fetch(`${world.slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.slack.botToken}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({
        channel: world.channel.id,
        text: 'pick one',
        blocks: [
          {
            type: 'actions',
            block_id: 'b1',
            elements: [
              {
                type: 'static_select',
                action_id: 'pick',
                placeholder: { type: 'plain_text', text: 'Pick' },
                options: [{ text: { type: 'plain_text', text: 'One' }, value: '1' }],
              },
            ],
          },
        ],
      }),
    });
    const { ts } = (await posted.json()) as { ts: string };
    const where = { user: ALICE, channel: world.channel.id, ts, blockId: 'b1', actionId: 'pick' };
    expect(await post('choose', { ...where, values: ['9'] })).toMatchObject({ status: 400 });
    await post('choose', { ...where, values: ['1'] });
    const envelope = world.slack.envelopes.at(-1)!;
    expect(envelope.payload).toMatchObject({
      type: 'block_actions',
      user: { id: ALICE },
      container: { message_ts: ts },
      actions: [{ type: 'static_select', action_id: 'pick', block_id: 'b1', selected_option: { value: '1' } }],
    });
  });
});

describe('demo page mrkdwn', () => {
  it('escapes everything the bot did not mark up', async () => {
    const file = '../../src/demo/page/block-kit.js';
    const { mrkdwn } = (await import(file)) as { mrkdwn: (text: string, names?: Record<string, string>) => string };
    expect(mrkdwn('<script>alert(1)</script>')).not.toContain('<script>');
    expect(mrkdwn('&lt;img src=x onerror=alert(1)&gt;')).toBe('&#60;img src=x onerror=alert(1)&#62;');
    expect(mrkdwn('*PR* <https://x.test/pull/1|#1 "q"> by <@U1>', { U1: 'alice' })).toBe(
      '<b>PR</b> <a href="https://x.test/pull/1" target="_blank" rel="noopener">#1 &#34;q&#34;</a> by <span class="mention">@alice</span>',
    );
    expect(mrkdwn('<javascript:alert(1)|click>')).not.toContain('href');
    expect(mrkdwn('`*not bold*`')).toBe('<code>*not bold*</code>');
  });
});

describe('upstream-sync demo', () => {
  it('refuses a port that is not a number with exit code 2', async () => {
    const err: string[] = [];
    expect(
      await demoCommand({ port: 'eighty', open: false }, { stdout: () => undefined, stderr: (l) => err.push(l) }),
    ).toBe(2);
    expect(err.join('\n')).toContain('--port');
  });
});
