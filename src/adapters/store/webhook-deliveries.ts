import type Database from 'better-sqlite3';
import type { Clock, WebhookDeliveries } from '../../ports.js';

/** GitHub redelivers webhooks; the delivery id makes handling them idempotent. */
export class SqliteWebhookDeliveries implements WebhookDeliveries {
  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {}

  recordOnce(deliveryId: string, event: string): boolean {
    const info = this.db
      .prepare(
        'INSERT INTO webhook_deliveries (delivery_id, event, received_at) VALUES (?, ?, ?) ON CONFLICT (delivery_id) DO NOTHING',
      )
      .run(deliveryId, event, this.clock.now().toISOString());
    return info.changes === 1;
  }

  /** A failed handler's delivery is forgotten: GitHub's redelivery (same id) is then handled, not dropped. */
  forget(deliveryId: string): void {
    this.db.prepare('DELETE FROM webhook_deliveries WHERE delivery_id = ?').run(deliveryId);
  }

  /** Forgets deliveries older than `before` (GitHub stops redelivering long before). Returns how many. */
  prune(before: Date): number {
    return this.db.prepare('DELETE FROM webhook_deliveries WHERE received_at < ?').run(before.toISOString()).changes;
  }
}
