import type { ReleaseSyncConfig } from '../../config/schema.js';
import type { ConflictedPath } from '../../ports.js';
import type { PrConflict } from '../../core/sync/pr-body.js';
import { compileRules } from '../../core/resolve/path-rules.js';

// The PR body names, for each conflicted file, the rule the resolver will apply: the same rule
// list (configured first, built-in defaults after) the resolver compiles.
export function describeConflicts(p: ReleaseSyncConfig, conflicts: readonly ConflictedPath[]): PrConflict[] {
  const rules = compileRules(p.resolution.rules, p.resolution.defaults);
  return conflicts.map((c) => {
    const hit = rules.match(c.path);
    const rule = hit ? `${hit.rule.take}${hit.rule.reason ? ` — ${hit.rule.reason}` : ''}` : null;
    return { path: c.path, kind: c.kind, rule };
  });
}
