import { describe, expect, it } from 'vitest';
import {
  deliveriesFor,
  featureSlug,
  mappedPath,
  mergeSubscribers,
  subscriptionMatcher,
} from '../../../src/core/dispatch/subscriptions.js';
import { parseSubscribersFile } from '../../../src/pipelines/dispatch/subscribers.js';

const flask = { repo: 'user/flask', subscriptions: ['features/webpush/flask'], mode: 'dispatch' as const };
const react = {
  repo: 'user/react',
  subscriptions: ['features/webpush/react', 'features/*/shared/**'],
  mode: 'pull-request' as const,
  pathMap: { 'features/webpush/react': 'src/webpush' },
};

describe('dispatch subscriptions', () => {
  it('matches directory prefixes by path component and globs with picomatch', () => {
    const dir = subscriptionMatcher('features/webpush/flask/');
    expect(['features/webpush/flask', 'features/webpush/flask/a.py'].map(dir)).toEqual([true, true]);
    expect(dir('features/webpush/flask-old/a.py')).toBe(false);
    const glob = subscriptionMatcher('features/*/shared/**');
    expect([glob('features/x/shared/a/b.js'), glob('features/x/other/a.js')]).toEqual([true, false]);
  });

  it('delivers each touched subscription once, with only its own changed paths', () => {
    const changed = ['docs/a.md', 'features/webpush/react/b.js', 'features/webpush/react/a.js', 'features/q/shared/x'];
    expect(deliveriesFor([flask, react], changed)).toEqual([
      {
        subscriber: 'user/react',
        feature: 'features/webpush/react',
        mode: 'pull-request',
        changedPaths: ['features/webpush/react/a.js', 'features/webpush/react/b.js'],
      },
      {
        subscriber: 'user/react',
        feature: 'features/*/shared/**',
        mode: 'pull-request',
        changedPaths: ['features/q/shared/x'],
      },
    ]);
    expect(deliveriesFor([flask, react], ['docs/a.md'])).toEqual([]);
  });

  it('maps directories, names branches safely and refuses a repository listed twice', () => {
    expect(mappedPath(react, 'features/webpush/react')).toEqual({ from: 'features/webpush/react', to: 'src/webpush' });
    expect(mappedPath(flask, 'features/webpush/flask/')).toEqual({
      from: 'features/webpush/flask',
      to: 'features/webpush/flask',
    });
    expect(mappedPath(react, 'features/*/shared/**')).toEqual({ from: 'features', to: 'features' });
    expect(featureSlug('features/web push/../React')).toBe('features-web-push-.-react');
    expect(featureSlug('***')).toBe('feature');
    expect(mergeSubscribers([flask], [{ ...flask, repo: 'USER/Flask' }])).toEqual({
      ok: false,
      message: 'subscriber USER/Flask is listed twice (config and subscribers file together)',
    });
  });

  it("reads the seed's ecosystem.json and names what is wrong in it", () => {
    const seed = '[{"repo":"user/cousin-flask-webpush","subscriptions":["features/webpush/flask"]}]';
    expect(parseSubscribersFile('ecosystem.json', seed)).toMatchObject({
      ok: true,
      subscribers: [{ repo: 'user/cousin-flask-webpush', mode: 'dispatch', eventType: 'feature-update' }],
    });
    expect(parseSubscribersFile('ecosystem.json', '{')).toMatchObject({
      ok: false,
      message: expect.stringContaining('not JSON'),
    });
    expect(parseSubscribersFile('ecosystem.json', '[{"repo":"nope","subscriptions":["a"]}]')).toEqual({
      ok: false,
      message: 'ecosystem.json[0].repo: must be "owner/name"',
    });
  });
});
