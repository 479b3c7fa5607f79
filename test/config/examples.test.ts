import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

// Every example configuration a newcomer may copy must load as it is.
describe('examples/', () => {
  it('every example passes config check', async () => {
    const files = (await readdir('examples')).filter((f) => f.endsWith('.yml'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) await expect(loadConfig(`examples/${file}`), file).resolves.toBeTruthy();
  });
});
