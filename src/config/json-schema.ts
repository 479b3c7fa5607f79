import { z } from 'zod';
import { configSchema } from './schema.js';

// The configuration file's JSON Schema, generated from the zod schema (descriptions included) for
// editor completion and validation. `upstream-sync config schema` prints it; the committed
// upstream-sync.schema.json is this output, and the examples point at it with a
// `# yaml-language-server: $schema=…` line.

export const SCHEMA_FILE = 'upstream-sync.schema.json';

export function configJsonSchema(): string {
  // `input`: what people write (defaults may be omitted), not what the loader returns.
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'upstream-sync configuration' }, null, 2)}\n`;
}
