import type Database from 'better-sqlite3';
import { StatementCache } from './statement-cache.js';
import type { Clock, WebhookDeliveries } from '../../ports.js';

/** GitHub redelivers webhooks; the delivery id makes handling them idempotent. */
export class SqliteWebhookDeliveries implements WebhookDeliveries {
  /** One insert per delivery: statements compiled once. */
  private readonly sql: StatementCache;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.sql = new StatementCache(db);
  }

  recordOnce(deliveryId: string, event: string): boolean {
    const info = this.sql
      .prepare(
        'INSERT INTO webhook_deliveries (delivery_id, event, received_at) VALUES (?, ?, ?) ON CONFLICT (delivery_id) DO NOTHING',
      )
      .run(deliveryId, event, this.clock.now().toISOString());
    return info.changes === 1;
  }

  /** A failed handler's delivery is forgotten: GitHub's redelivery (same id) is then handled, not dropped. */
  forget(deliveryId: string): void {
    this.sql.prepare('DELETE FROM webhook_deliveries WHERE delivery_id = ?').run(deliveryId);
  }

  /** Forgets deliveries older than `before` (GitHub stops redelivering long before). Returns how many. */
  prune(before: Date): number {
    return this.sql.prepare('DELETE FROM webhook_deliveries WHERE received_at < ?').run(before.toISOString()).changes;
  }
}
