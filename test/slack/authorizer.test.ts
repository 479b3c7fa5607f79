import { firstReleaseSync } from '../helpers/pipelines.js';
import { describe, expect, it } from 'vitest';
import { Authorizer, type AuthRequest } from '../../src/slack/authorizer.js';
import { ALICE, BOB, CAROL, OPS_CHANNEL, OPS_GROUP, OTHER_CHANNEL, testConfig } from './fixtures.js';

function setup(groups: Record<string, string[]> = { [OPS_GROUP]: [CAROL] }) {
  const config = testConfig();
  let now = Date.parse('2026-03-11T12:00:00Z');
  const lookups: string[] = [];
  let failing = false;
  const auth = new Authorizer(
    config,
    async (id) => {
      lookups.push(id);
      if (failing) throw new Error('slack is down');
      return groups[id] ?? [];
    },
    { now: () => new Date(now) },
    60_000,
  );
  const litellm = firstReleaseSync(config);
  const other = config.pipelines[1]!;
  const req = (patch: Partial<AuthRequest>): AuthRequest => ({
    userId: ALICE,
    pipeline: litellm,
    permission: 'approve',
    surface: 'channel',
    channelId: OPS_CHANNEL,
    ...patch,
  });
  return {
    auth,
    req,
    litellm,
    other,
    lookups,
    advance: (ms: number) => (now += ms),
    fail: (v: boolean) => (failing = v),
  };
}

describe('Authorizer', () => {
  it('allows a listed user without asking Slack', async () => {
    const { auth, req, lookups } = setup();
    expect(await auth.authorize(req({}))).toEqual({ allowed: true, via: 'user' });
    expect(lookups).toEqual([]);
  });

  it('allows a member of a listed user group', async () => {
    const { auth, req } = setup();
    expect(await auth.authorize(req({ userId: CAROL }))).toEqual({ allowed: true, via: 'group' });
  });

  it('refuses others and says who may do it', async () => {
    const { auth, req } = setup();
    const d = await auth.authorize(req({ userId: BOB }));
    expect(d).toMatchObject({ allowed: false, reason: 'not-listed' });
    if (!d.allowed)
      expect(d.message).toBe(`You may not *approve* for *litellm*. Allowed: <@${ALICE}>, <!subteam^${OPS_GROUP}>.`);
  });

  it('refuses everyone for an action with no list', async () => {
    const { auth, req } = setup();
    const d = await auth.authorize(req({ permission: 'skip' }));
    expect(d).toMatchObject({ allowed: false, reason: 'no-list' });
    if (!d.allowed) expect(d.message).toContain('access.skip');
  });

  it('refuses when a list has only GitHub logins', async () => {
    const config = firstReleaseSync(testConfig());
    const { auth, req } = setup();
    const pipeline = { ...config, access: { resolve: ['github:mateo-di'] } };
    expect(await auth.authorize(req({ pipeline, permission: 'resolve' }))).toMatchObject({
      allowed: false,
      reason: 'no-list',
    });
  });

  it('lets a pipeline list replace the top-level one', async () => {
    const { auth, req, other } = setup();
    expect(await auth.authorize(req({ pipeline: other, channelId: OTHER_CHANNEL, userId: BOB }))).toEqual({
      allowed: true,
      via: 'user',
    });
    expect(await auth.authorize(req({ pipeline: other, channelId: OTHER_CHANNEL, userId: ALICE }))).toMatchObject({
      allowed: false,
      reason: 'not-listed',
    });
    // Actions the pipeline does not list still use the top-level list.
    expect(await auth.authorize(req({ pipeline: other, channelId: OTHER_CHANNEL, permission: 'sync' }))).toEqual({
      allowed: true,
      via: 'user',
    });
  });

  it('accepts commands only in the pipeline channel, and App Home buttons', async () => {
    const { auth, req } = setup();
    const d = await auth.authorize(req({ channelId: OTHER_CHANNEL }));
    expect(d).toMatchObject({ allowed: false, reason: 'wrong-channel' });
    if (!d.allowed) expect(d.message).toContain(`<#${OPS_CHANNEL}>`);
    expect(await auth.authorize(req({ channelId: 'D0DIRECT01' }))).toMatchObject({
      allowed: false,
      reason: 'wrong-channel',
    });
    expect(await auth.authorize(req({ surface: 'home', channelId: null }))).toEqual({ allowed: true, via: 'user' });
  });

  it('opens reading to everyone in the channel, but only there', async () => {
    const { auth, req } = setup();
    expect(await auth.authorize(req({ userId: BOB, permission: 'read' }))).toEqual({ allowed: true, via: 'open' });
    expect(await auth.authorize(req({ userId: BOB, permission: 'read', channelId: OTHER_CHANNEL }))).toMatchObject({
      allowed: false,
      reason: 'wrong-channel',
    });
  });

  it('caches group members for the TTL and shares concurrent lookups', async () => {
    const { auth, req, lookups, advance } = setup();
    await Promise.all([
      auth.authorize(req({ userId: BOB })),
      auth.authorize(req({ userId: CAROL })),
      auth.authorize(req({ userId: BOB })),
    ]);
    expect(lookups).toEqual([OPS_GROUP]);
    advance(59_000);
    await auth.authorize(req({ userId: CAROL }));
    expect(lookups).toHaveLength(1);
    advance(2_000);
    await auth.authorize(req({ userId: CAROL }));
    expect(lookups).toHaveLength(2);
  });

  it('refuses when group membership cannot be checked', async () => {
    const { auth, req, fail } = setup();
    fail(true);
    const d = await auth.authorize(req({ userId: CAROL }));
    expect(d).toMatchObject({ allowed: false, reason: 'lookup-failed' });
    fail(false);
    expect(await auth.authorize(req({ userId: CAROL }))).toEqual({ allowed: true, via: 'group' });
  });
});
