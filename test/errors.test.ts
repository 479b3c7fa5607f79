import { afterEach, describe, expect, it } from 'vitest';
import { AppError, toJobError } from '../src/errors.js';
import { clearRegisteredSecrets, registerSecrets } from '../src/redact.js';

afterEach(() => clearRegisteredSecrets());

describe('toJobError', () => {
  it('keeps our code and scrubs the message', () => {
    registerSecrets(['s3cret-value-123']);
    expect(toJobError(new AppError('unavailable', 'GitHub said 503 to s3cret-value-123'))).toEqual({
      code: 'unavailable',
      message: 'GitHub said 503 to [REDACTED]',
    });
  });

  it('calls anything that is not an AppError internal', () => {
    expect(toJobError(new TypeError('x is undefined'))).toEqual({ code: 'internal', message: 'x is undefined' });
    expect(toJobError('push failed for https://x-access-token:ghp_abcdefghijklmnopqrstuvwxyz0123@github.com')).toEqual({
      code: 'internal',
      message: expect.not.stringContaining('ghp_') as unknown as string,
    });
  });
});
