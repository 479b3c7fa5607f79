import { Webhooks, type EmitterWebhookEvent, type EmitterWebhookEventName } from '@octokit/webhooks';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';
import { webhookIntake, type WebhookIntakeOptions, type WebhookMiddleware } from './webhook-intake.js';

/** Where delivery ids are remembered, so GitHub's retries and replays act once. */
export interface DeliveryLog {
  /** true the first time an id is seen. */
  recordOnce(deliveryId: string, event: string): boolean | Promise<boolean>;
  /** Forgets an id whose handling failed, so GitHub's redelivery is processed. */
  forget(deliveryId: string): void | Promise<void>;
}

export type WebhookHandler = (event: EmitterWebhookEvent) => Promise<void>;

export interface GitHubWebhooksOptions {
  secret: string;
  deliveries: DeliveryLog;
  log: Logger;
  metrics?: Metrics;
  path?: string;
  /** Body cap and failure rate limit of the intake (tests shrink them); GitHub's limits by default. */
  intake?: Pick<WebhookIntakeOptions, 'maxBodyBytes' | 'maxFailuresPerWindow' | 'windowMs' | 'now'>;
}

export interface GitHubWebhookReceiver {
  webhooks: Webhooks;
  /** Node (req, res) handler; it reads the raw body itself (mount it before any body parser). */
  middleware: WebhookMiddleware;
  path: string;
  /** Adds a handler; handlers should only enqueue jobs, so they return quickly. */
  on(event: EmitterWebhookEventName, handler: WebhookHandler): void;
}

export function createGitHubWebhooks(options: GitHubWebhooksOptions): GitHubWebhookReceiver {
  const path = options.path ?? '/webhooks/github';
  const webhooks = new Webhooks({ secret: options.secret });
  const handlers = new Map<string, WebhookHandler[]>();

  // Signatures are verified on the raw bytes by the intake before this runs; an unsigned, forged
  // or oversized delivery never reaches a handler (the intake answers 400/413/429).
  webhooks.onAny(async (event) => {
    const action = 'action' in event.payload ? `${event.name}.${String(event.payload.action)}` : event.name;
    const log = options.log.child({ deliveryId: event.id, event: action });
    if (!(await options.deliveries.recordOnce(event.id, action))) {
      log.info('duplicate webhook delivery ignored');
      options.metrics?.webhookDeliveries.inc({ event: event.name, result: 'duplicate' });
      return;
    }
    // Events without an action (push, status) are keyed by name alone: their handlers run once.
    const matching = [
      ...(handlers.get(event.name) ?? []),
      ...(action !== event.name ? (handlers.get(action) ?? []) : []),
    ];
    try {
      for (const handler of matching) await handler(event);
      options.metrics?.webhookDeliveries.inc({ event: event.name, result: matching.length ? 'handled' : 'ignored' });
    } catch (err) {
      await options.deliveries.forget(event.id);
      options.metrics?.webhookDeliveries.inc({ event: event.name, result: 'failed' });
      log.error({ err }, 'webhook handler failed');
      throw err;
    }
  });

  return {
    webhooks,
    middleware: webhookIntake({
      secret: options.secret,
      log: options.log,
      ...options.intake,
      receive: ({ id, name, payload }) => webhooks.receive({ id, name, payload } as EmitterWebhookEvent),
    }),
    path,
    on(event, handler) {
      const list = handlers.get(event) ?? [];
      list.push(handler);
      handlers.set(event, list);
    },
  };
}
