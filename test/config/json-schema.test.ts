import { readFile, readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { SCHEMA_FILE, configJsonSchema } from '../../src/config/json-schema.js';

// `upstream-sync config schema`: the JSON Schema editors use, generated from the zod schema.

describe('config schema', () => {
  it('prints a JSON Schema with the descriptions of the fields', async () => {
    const out: string[] = [];
    expect(await runCli(['config', 'schema'], { stdout: (l) => out.push(l), stderr: () => {} })).toBe(0);
    const schema = JSON.parse(out.join('\n')) as {
      $schema: string;
      properties: Record<string, { description?: string }>;
      required: string[];
    };
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(schema.required).toContain('pipelines');
    expect(schema.properties.pipelines?.description).toBe('The forks this bot keeps in step.');
  });

  it(`is committed as ${SCHEMA_FILE} (regenerate: npx tsx src/cli.ts config schema > ${SCHEMA_FILE})`, async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(configJsonSchema());
  });

  it('is referenced from every example for editor completion', async () => {
    for (const file of (await readdir('examples')).filter((f) => f.endsWith('.yml'))) {
      const text = await readFile(`examples/${file}`, 'utf8');
      expect(text.split('\n')[0], file).toBe(`# yaml-language-server: $schema=../${SCHEMA_FILE}`);
    }
  });
});
