import { randomUUID } from 'node:crypto';
import { Webhooks } from '@octokit/webhooks';

// Deliveries as GitHub sends them: POST, JSON body, signed with the configured secret. They go out
// one at a time in event order (a receiver sees "opened" before "labeled"), never blocking the
// API request that caused them; `settled()` lets a test wait until all have been answered.

export interface WebhookConfig {
  url: string;
  secret: string;
  /** Only these events are sent (all when omitted). */
  events?: string[];
}

export interface Delivery {
  id: string;
  event: string;
  action: string | null;
  payload: Record<string, unknown>;
  /** HTTP status the receiver answered, or null when it could not be reached. */
  status: number | null;
  error: string | null;
}

export class WebhookEmitter {
  private config: WebhookConfig | null = null;
  private signer: Webhooks | null = null;
  private chain: Promise<void> = Promise.resolve();
  readonly deliveries: Delivery[] = [];

  configure(config: WebhookConfig | null): void {
    this.config = config;
    this.signer = config ? new Webhooks({ secret: config.secret }) : null;
  }

  /** Queues a delivery; a no-op when no receiver is configured or the event is filtered out. */
  emit(event: string, payload: Record<string, unknown>): void {
    const config = this.config;
    if (!config || (config.events && !config.events.includes(event))) return;
    const delivery: Delivery = {
      id: randomUUID(),
      event,
      action: typeof payload.action === 'string' ? payload.action : null,
      payload,
      status: null,
      error: null,
    };
    this.deliveries.push(delivery);
    this.chain = this.chain.then(() => this.send(config, delivery));
  }

  /** Sends a recorded delivery again with the same delivery id, as GitHub's "Redeliver" does. */
  redeliver(id: string): void {
    const original = this.deliveries.find((d) => d.id === id);
    const config = this.config;
    if (!original || !config) throw new Error(`no delivery ${id} to redeliver`);
    const copy: Delivery = { ...original, status: null, error: null };
    this.deliveries.push(copy);
    this.chain = this.chain.then(() => this.send(config, copy));
  }

  /** Resolves once every queued delivery has been answered (or has failed). */
  settled(): Promise<void> {
    return this.chain;
  }

  private async send(config: WebhookConfig, delivery: Delivery): Promise<void> {
    const body = JSON.stringify(delivery.payload);
    try {
      const signature = await (this.signer ?? new Webhooks({ secret: config.secret })).sign(body);
      const res = await fetch(config.url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'GitHub-Hookshot/sandbox',
          'x-github-event': delivery.event,
          'x-github-delivery': delivery.id,
          'x-github-hook-id': '1',
          'x-hub-signature-256': signature,
        },
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      delivery.status = res.status;
    } catch (err) {
      delivery.error = err instanceof Error ? err.message : String(err);
    }
  }
}
