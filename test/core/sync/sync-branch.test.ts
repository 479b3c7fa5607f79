import { describe, expect, it } from 'vitest';
import { isSyncBranch } from '../../../src/core/resolve/gate.js';
import { syncBranchName, tagOfSyncBranch } from '../../../src/core/sync/sync-branch.js';

// One reading of the sync-branch template for everyone who recognises a sync branch (sync PR
// finder, resolver gate, resolver, recheck, webhooks): these cases used to be three regexes.

describe('tagOfSyncBranch', () => {
  it.each([
    ['upstream-sync/{tag}', 'upstream-sync/v1.81.12-stable', 'v1.81.12-stable'],
    ['upstream-sync/{tag}', 'upstream-sync/v1.81.12.rc1', 'v1.81.12.rc1'],
    ['sync/{version}/{tag}', 'sync/1.3.0/v1.3.0-stable', 'v1.3.0-stable'],
    ['sync-{tag}', 'sync-v2', 'v2'],
    ['upstream-sync/{tag}', 'upstream-sync/', null],
    ['upstream-sync/{tag}', 'x/upstream-sync/v1', null],
    ['upstream-sync/{tag}', 'upstream-sync-resolver/12', null],
    ['upstream-sync/{tag}', 'upstream-sync/v1 2', null],
    ['upstream-sync/{tag}', 'upstream-sync/v1:2', null],
    ['sync/{version}/{tag}', 'sync/1.3.0 beta/v1', null],
  ])('%s reads %s as %s', (template, branch, tag) => {
    expect(tagOfSyncBranch(template, branch)).toBe(tag);
    expect(isSyncBranch({ syncBranch: template }, branch)).toBe(tag !== null);
  });

  it('reads back every name it makes', () => {
    for (const template of ['upstream-sync/{tag}', 'sync/{version}/{tag}', 'carto/{tag}-sync'])
      expect(tagOfSyncBranch(template, syncBranchName(template, 'v1.81.12-stable', '1.81.12'))).toBe('v1.81.12-stable');
  });

  it('refuses to make a name git would refuse', () => {
    expect(() => syncBranchName('upstream-sync/{tag}', 'v1..2', '1.2.0')).toThrow(/contains "\.\."/);
  });
});
