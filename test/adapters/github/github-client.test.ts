import { describe, expect, it } from 'vitest';
import { defaultTuning } from '../../../src/adapters/github/github-client.js';

describe('defaultTuning', () => {
  it.each([
    ['https://api.github.com', null],
    ['https://ghe.example.com/api/v3', null],
    ['http://127.0.0.1:4010', 0],
    ['http://localhost:4010/', 0],
    ['http://[::1]:4010', 0],
  ])('spaces writes for %s: %s', (url, interval) => {
    expect(defaultTuning(url)).toMatchObject({
      writeIntervalMs: interval,
      retries: 3,
      retryBaseMs: 1000,
      timeoutMs: 30_000,
    });
  });
});
