import type { DeliveryLog } from '../../src/web/github-webhooks.js';

/** Webhook delivery ids in memory: each is handled once unless forgotten. */
export class MemoryDeliveries implements DeliveryLog {
  readonly ids = new Set<string>();
  recordOnce(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    return true;
  }
  forget(id: string): void {
    this.ids.delete(id);
  }
}
