// `{name}` placeholders, as used in syncBranch, pr.title and release.tagFormat.

const PLACEHOLDER = /\{([a-zA-Z]+)\}/g;

export function placeholdersIn(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

export function renderTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(PLACEHOLDER, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`template "${template}" needs a value for {${key}}`);
    return String(value);
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The inverse of renderTemplate: a regex whose named groups capture each placeholder.
 * `captures` maps a placeholder to the pattern its value must match.
 */
export function templateToRegExp(template: string, captures: Record<string, string>): RegExp {
  let source = '';
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    source += escapeRegExp(template.slice(last, m.index));
    const key = m[1] as string;
    const pattern = captures[key];
    if (pattern === undefined) throw new Error(`template "${template}" has unknown placeholder {${key}}`);
    source += `(?<${key}>${pattern})`;
    last = (m.index ?? 0) + m[0].length;
  }
  source += escapeRegExp(template.slice(last));
  return new RegExp(`^${source}$`);
}
