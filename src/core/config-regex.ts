import RE2 from 're2';

// Regexes that come from config run on text from outside (upstream tag names, version files).
// JavaScript's engine backtracks: `(-\w+|-[a-z]+)*-stable$` on a crafted tag takes minutes and
// blocks the event loop. RE2 matches in linear time and refuses what it cannot do that way
// (backreferences, lookaround), so a config regex is compiled with RE2 or not at all.

/** Longest text a config regex is run on; longer input never matches. */
export const MAX_MATCHED_LENGTH = 255;

export interface ConfigRegex {
  /** Named groups of the first match, or null when nothing matches (or the text is too long). */
  exec(text: string): { groups: Record<string, string | undefined> } | null;
  readonly source: string;
}

export type ConfigRegexCompile = { ok: true; regex: ConfigRegex } | { ok: false; problem: string };

export function compileConfigRegex(source: string, flags = ''): ConfigRegexCompile {
  let re: RE2;
  try {
    re = new RE2(source, flags);
  } catch (err) {
    return {
      ok: false,
      problem:
        `not a linear-time regular expression (${(err as Error).message}); ` +
        'backreferences and lookaround are not supported',
    };
  }
  const regex: ConfigRegex = {
    source,
    exec(text) {
      if (text.length > MAX_MATCHED_LENGTH && !flags.includes('m')) return null;
      const match = re.exec(text);
      if (!match) return null;
      return { groups: { ...(match.groups ?? {}) } };
    },
  };
  return { ok: true, regex };
}

/** For values already checked by the config schema; a bad source here is a programming error. */
export function configRegex(source: string, flags = ''): ConfigRegex {
  const compiled = compileConfigRegex(source, flags);
  if (!compiled.ok) throw new Error(`config regex ${JSON.stringify(source)}: ${compiled.problem}`);
  return compiled.regex;
}
