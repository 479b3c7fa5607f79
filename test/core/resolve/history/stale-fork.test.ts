import { describe, expect, it } from 'vitest';
import { decisionLogComment } from '../../../../src/core/resolve/decision-log.js';
import { staleForkSide } from '../../../../src/core/resolve/history/stale-fork.js';
import type { ForkCommit, PathHistory } from '../../../../src/core/resolve/history/upstream-history.js';
import { merge3 } from '../../../../src/core/resolve/merge3.js';
import { resolveFile } from '../../../../src/core/resolve/resolve-file.js';
import { compileRules } from '../../../../src/core/resolve/path-rules.js';

// The shape of the v1.81.0 sync: the fork's file is an older upstream version (the fork carried
// upstream text from an earlier sync), upstream moved on, and the merge base is older still.
const BASE = 'def f():\n    return 1\n\n\ndef g():\n    return "a"\n';
const OLD_UPSTREAM = 'def f():\n    return 2\n\n\ndef g():\n    return "a"\n';
const UPSTREAM = 'def f():\n    return 3\n\n\ndef g():\n    return "b"\n';

const history = (fork: ForkCommit[] = [], versions = [OLD_UPSTREAM]): PathHistory => ({
  upstream: [
    { commit: 'c0ffee0000000000000000000000000000000003', blob: 'b3', text: UPSTREAM },
    ...versions.map((text, i) => ({ commit: `c0ffee000000000000000000000000000000000${i}`, blob: `b${i}`, text })),
  ],
  fork,
  forkBlob: null,
});
const own: ForkCommit = {
  commit: 'f0f0f0f0f0aa',
  upstreamCommit: false,
  syncCommit: false,
  subject: 'CARTO: keep f at 2',
};
const pick: ForkCommit = { commit: 'cafecafe01bb', upstreamCommit: true, syncCommit: false };
const sync: ForkCommit = { commit: 'abababab01cc', upstreamCommit: false, syncCommit: true };

const file = (fork: string, h: PathHistory | null, rules = null as ReturnType<typeof compileRules> | null) =>
  resolveFile({
    versions: { path: 'litellm/x.py', base: BASE, upstream: UPSTREAM, fork },
    history: h,
    rules,
    layers: { 'stale-fork-hunk': true },
  });

describe('history layer: stale fork side', () => {
  it("takes upstream's whole file when the fork's file is a version upstream had, and names the commit", () => {
    const r = file(OLD_UPSTREAM, history([sync]));
    expect(r.result?.content).toBe(UPSTREAM);
    expect(r.outcomes.every((o) => o.by === 'stale-fork-side')).toBe(true);
    expect(r.outcomes[0]?.rationale).toContain('c0ffee0000000000000000000000000000000000');
  });

  it('matches on the blob id when the contents were not stored', () => {
    const h = { ...history(), forkBlob: 'b0' };
    h.upstream = h.upstream.map((v) => ({ ...v, text: null }));
    expect(file(OLD_UPSTREAM, h).result?.content).toBe(UPSTREAM);
  });

  it.each([
    {
      name: "the fork's own commits changed the path",
      fork: [own],
      reason: /changed this file on purpose.*f0f0f0f0f0/,
    },
    { name: 'a cherry-pick explains the match', fork: [pick], reason: /cherry-picked upstream commits.*cafecafe01/ },
  ])('goes to a person when $name', ({ fork, reason }) => {
    const r = file(OLD_UPSTREAM, history(fork));
    expect(r.result).toBeUndefined();
    expect(r.outcomes.every((o) => o.layer === null && reason.test(o.rationale))).toBe(true);
  });

  it('a layer that is off sends nothing to a person either', () => {
    const fork = 'def f():\n    return 2\n\n\ndef g():\n    return "fork"\n';
    const segments = merge3(BASE, UPSTREAM, fork);
    expect(staleForkSide({ fork, segments, history: history([own]), rule: null })).toMatchObject({
      kind: 'blocked',
      from: 'hunks',
    });
    const r = resolveFile({
      versions: { path: 'litellm/x.py', base: BASE, upstream: UPSTREAM, fork },
      history: history([own]),
    });
    expect(r.outcomes.map((o) => o.rationale)).toEqual([
      expect.stringMatching(/no deterministic strategy/),
      expect.stringMatching(/no deterministic strategy/),
    ]);
  });

  it('never overrides a path rule', () => {
    const rules = compileRules([{ paths: ['litellm/**'], take: 'merge' }], false);
    const r = file(OLD_UPSTREAM, history(), rules);
    expect(r.result).toBeUndefined();
    expect(r.outcomes[0]?.rationale).toMatch(/rule litellm\/\*\* says to merge/);
  });

  it('per hunk is off by default (too few firings on the dev corpora to earn its place)', () => {
    const fork = 'def f():\n    return 2\n\n\ndef g():\n    return "fork"\n';
    const r = resolveFile({
      versions: { path: 'litellm/x.py', base: BASE, upstream: UPSTREAM, fork },
      history: history(),
    });
    expect(r.outcomes.map((o) => o.by)).toEqual([null, null]);
  });

  it('per hunk: a fork hunk found with its context in an upstream version takes upstream; the rest stays', () => {
    // The fork has old upstream text in f and its own change in g; only f's hunk is stale.
    const fork = 'def f():\n    return 2\n\n\ndef g():\n    return "fork"\n';
    const segments = merge3(BASE, UPSTREAM, fork);
    const v = staleForkSide({ fork, segments, history: history(), rule: null });
    expect(v.kind).toBe('hunks');
    const r = file(fork, history());
    expect(r.outcomes.map((o) => o.by)).toEqual(['stale-fork-hunk', null]);
    expect(r.outcomes[0]?.text).toBe('    return 3\n');
  });

  it('upstream direction only: text the fork wrote that upstream never had does not fire', () => {
    const fork = 'def f():\n    return 9\n\n\ndef g():\n    return "z"\n';
    expect(staleForkSide({ fork, segments: merge3(BASE, UPSTREAM, fork), history: history(), rule: null })).toEqual({
      kind: 'none',
    });
  });
});

describe("a fork-customised file is never resolved to upstream's whole file", () => {
  it('a pin the fork set on purpose goes to a person even where the higher pin would win', () => {
    const v = { path: 'requirements.txt', base: 'x==1.0\n', upstream: 'x==1.3\n', fork: 'x==1.2\n' };
    const layers = { 'higher-version-pin': true };
    expect(resolveFile({ versions: v, layers }).result?.content).toBe('x==1.3\n');
    const h: PathHistory = { upstream: [], fork: [own], forkBlob: null };
    const r = resolveFile({ versions: v, history: h, layers });
    expect(r.result).toBeUndefined();
    expect(r.outcomes[0]?.rationale).toMatch(/customised this file.*drop the fork's change/);
  });

  it('a hunk-by-hunk merge that keeps the fork change still lands', () => {
    const base = 'P = [\n    "a",\n]\n';
    const v = {
      path: 'p.py',
      base,
      upstream: 'P = [\n    "a",\n    "up",\n]\n',
      fork: 'P = [\n    "a",\n    "oci",\n]\n',
    };
    const r = resolveFile({ versions: v, history: { upstream: [], fork: [own], forkBlob: null } });
    expect(r.result?.content).toBe('P = [\n    "a",\n    "up",\n    "oci",\n]\n');
  });
});

describe('the decision log names the upstream commit the history layer matched', () => {
  it('in the PR comment, per hunk', () => {
    const r = file(OLD_UPSTREAM, history());
    const comment = decisionLogComment({
      pr: 7,
      headSha: 'h'.repeat(40),
      records: r.outcomes.map((o) => ({
        path: r.path,
        hunk: o.hunk,
        hunkKey: `k${o.hunk}`,
        layer: o.layer,
        by: o.by,
        rationale: o.rationale,
        confidence: o.confidence,
        text: o.text ?? null,
      })),
      waiting: [],
      commit: 'm'.repeat(40),
    });
    expect(comment).toContain('stale-fork-side');
    expect(comment).toContain("upstream's own version at c0ffee0000000000000000000000000000000000");
  });
});
