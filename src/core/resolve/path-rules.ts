import picomatch from 'picomatch';

// Path rules decide whole files before any hunk is looked at. First match wins; the built-in
// defaults come after the configured rules so a pipeline can always override them.

export type Take = 'upstream' | 'fork' | 'manual' | 'merge';

export interface PathRule {
  paths: string[];
  take: Take;
  reason?: string;
}

export interface RuleMatch {
  rule: PathRule;
  /** The glob that matched, for the decision log. */
  glob: string;
  /** Position in the effective rule list. */
  index: number;
  builtIn: boolean;
}

/**
 * Generated output is rebuilt from source on upstream's side, so the fork's copy is only ever a
 * stale build: hand-merging minified bundles or content-hashed chunks is never right.
 */
export const DEFAULT_RULES: readonly PathRule[] = [
  {
    paths: ['**/out/**', '**/dist/**', '**/*.min.js', '**/*.min.css', '**/*.min.mjs', '**/*.js.map', '**/*.css.map'],
    take: 'upstream',
    reason: 'build artefact: regenerated upstream, never merged by hand',
  },
];

export interface CompiledRules {
  rules: readonly PathRule[];
  builtInFrom: number;
  match(path: string): RuleMatch | null;
}

export function compileRules(configured: readonly PathRule[], withDefaults: boolean): CompiledRules {
  const rules = withDefaults ? [...configured, ...DEFAULT_RULES] : [...configured];
  const matchers = rules.map((rule) => rule.paths.map((glob) => ({ glob, test: picomatch(glob, { dot: true }) })));
  return {
    rules,
    builtInFrom: configured.length,
    match(path: string): RuleMatch | null {
      for (let index = 0; index < rules.length; index++) {
        const hit = (matchers[index] ?? []).find((m) => m.test(path));
        if (hit) return { rule: rules[index] as PathRule, glob: hit.glob, index, builtIn: index >= configured.length };
      }
      return null;
    },
  };
}
