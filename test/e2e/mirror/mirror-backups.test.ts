import { describe, expect, it } from 'vitest';
import { backupStamp } from '../../../src/pipelines/mirror/mirror-backup.js';
import { MIRROR_CONFIG, TARGET, mirrorWorld, refsOf } from './mirror-world.js';

// Backup retention is configuration (backups.retentionDays, default 90): `status` lists the
// backups older than it and removes nothing; `mirror prune-backups` removes exactly those, and only
// when asked.

const DAY = 24 * 3600 * 1000;
// One moment for the whole file: each age names one ref.
const NOW = Date.now();
const ref = (daysAgo: number) => `refs/upstream-sync/backup/main/${backupStamp(new Date(NOW - daysAgo * DAY))}`;

describe('mirror backups: retention from config', { timeout: 240_000 }, () => {
  it.each([
    ['configured 30 days', `${MIRROR_CONFIG}    backups: { retentionDays: 30 }\n`, 30, [400, 45]],
    ['the default (90 days)', MIRROR_CONFIG, 90, [400]],
  ])(
    '%s: status lists the older backups and keeps them; prune-backups removes exactly those',
    async (_n, config, days, old) => {
      const w = await mirrorWorld({ config });
      const ages = [400, 45, 1];
      for (const age of ages) await w.sandbox.git(TARGET, ['update-ref', ref(age), w.base]);
      const expected = old.map(ref);

      const status = await w.run(['status', '--config', w.configFile, '--pipeline', 'occ', '--json']);
      expect(status.code).toBe(0);
      expect(status.json[0]).toMatchObject({ backups: { count: 3, retentionDays: days } });
      expect([...(status.json[0]!.backups as { olderThanRetention: string[] }).olderThanRetention].sort()).toEqual(
        [...expected].sort(),
      );
      const text = await w.run(['status', '--config', w.configFile, '--pipeline', 'occ']);
      expect(text.stdout.join('\n')).toContain(`${old.length} backups older than ${days} days (mirror prune-backups)`);
      // status removes nothing.
      expect((await refsOf(w.sandbox, TARGET, 'refs/upstream-sync/')).trim().split('\n')).toHaveLength(3);

      const prune = await w.run(['mirror', 'prune-backups', '--config', w.configFile, '--pipeline', 'occ', '--json']);
      expect(prune.code).toBe(0);
      expect(prune.json[0]).toMatchObject({ olderThanDays: days, kept: 3 - old.length });
      expect([...(prune.json[0]!.pruned as string[])].sort()).toEqual([...expected].sort());
      const left = (await refsOf(w.sandbox, TARGET, 'refs/upstream-sync/')).trim().split('\n');
      expect(left.map((l) => l.split(' ')[0]).sort()).toEqual(
        ages
          .map(ref)
          .filter((r) => !expected.includes(r))
          .sort(),
      );
    },
  );
});
