import { placeholdersIn, renderTemplate, templateToRegExp } from '../template.js';
import { refNameProblem } from '../refs.js';
import { formatForkVersion, parseForkVersion, type ForkVersion } from './fork-version.js';

// Release tags are rendered from one template and parsed with it and every legacy template. The
// {upstream} part may hold dots and dashes (1.81.3, 1.81.3-rc.1): it is captured greedily, so the
// triple is always the last three numbers the template allows, whatever the upstream looks like.

const UPSTREAM = '[0-9A-Za-z](?:[0-9A-Za-z.+_-]*[0-9A-Za-z])?';
const NUMBER = '0|[1-9][0-9]{0,8}';
const CAPTURES = { upstream: UPSTREAM, major: NUMBER, minor: NUMBER, patch: NUMBER };

export interface ReleaseTag {
  name: string;
  /** Upstream version in the tag; null when the template has no {upstream}. */
  upstream: string | null;
  version: ForkVersion;
  /** The template that matched. */
  format: string;
  /** True when it matched a legacy template: recognised, never produced. */
  legacy: boolean;
}

export interface TagFormats {
  current: string;
  legacy: readonly string[];
}

const compiled = new Map<string, RegExp>();

function regexFor(template: string): RegExp {
  let re = compiled.get(template);
  if (!re) {
    re = templateToRegExp(template, CAPTURES);
    compiled.set(template, re);
  }
  return re;
}

/** Parses a tag with the current template first, then the legacy ones in order; null when none matches. */
export function parseReleaseTag(name: string, formats: TagFormats): ReleaseTag | null {
  const templates = [formats.current, ...formats.legacy.filter((t) => t !== formats.current)];
  for (const [i, template] of templates.entries()) {
    const groups = regexFor(template).exec(name)?.groups;
    if (!groups) continue;
    const version = parseForkVersion(`${groups.major}.${groups.minor}.${groups.patch}`);
    if (!version) continue;
    return { name, upstream: groups.upstream ?? null, version, format: template, legacy: i > 0 };
  }
  return null;
}

/**
 * Renders a tag with the current template only. Returns the problem instead of a name that git
 * would refuse or that our own parser would read back differently (a hostile upstream version).
 */
export function renderReleaseTag(
  template: string,
  values: { upstream: string; version: ForkVersion },
): { ok: true; tag: string } | { ok: false; problem: string } {
  if (placeholdersIn(template).includes('upstream') && !new RegExp(`^(?:${UPSTREAM})$`).test(values.upstream)) {
    return { ok: false, problem: `upstream version "${values.upstream}" cannot be part of a tag` };
  }
  const { major, minor, patch } = values.version;
  const tag = renderTemplate(template, { upstream: values.upstream, major, minor, patch });
  const problem = refNameProblem(tag);
  if (problem) return { ok: false, problem: `tag "${tag}" ${problem}` };
  const back = parseReleaseTag(tag, { current: template, legacy: [] });
  if (
    !back ||
    back.upstream !== (placeholdersIn(template).includes('upstream') ? values.upstream : null) ||
    formatForkVersion(back.version) !== formatForkVersion(values.version)
  ) {
    return { ok: false, problem: `tag "${tag}" does not read back as the same version` };
  }
  return { ok: true, tag };
}
