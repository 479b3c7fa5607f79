import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/adapters/store/open-store.js';
import { tempDir } from '../../helpers/tmp.js';
import { ManualClock, storeIn } from '../../jobs/fixtures/harness.js';

// The receiver's delivery log: a failed handler forgets its delivery so GitHub's redelivery of
// the same id is handled rather than dropped as a duplicate.

let store: Store | undefined;
afterEach(() => store?.close());

describe('SqliteWebhookDeliveries.forget', () => {
  it('lets a forgotten delivery id be recorded again, and only that one', async () => {
    store = storeIn(await tempDir(), new ManualClock());
    const log = store.webhookDeliveries;
    expect(log.recordOnce('failed-1', 'push')).toBe(true);
    expect(log.recordOnce('kept-1', 'push')).toBe(true);
    log.forget('failed-1');
    log.forget('never-seen');
    expect(log.recordOnce('failed-1', 'push')).toBe(true);
    expect(log.recordOnce('failed-1', 'push')).toBe(false);
    expect(log.recordOnce('kept-1', 'push')).toBe(false);
  });
});
