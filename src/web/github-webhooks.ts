import {
  Webhooks,
  createNodeMiddleware,
  type EmitterWebhookEvent,
  type EmitterWebhookEventName,
} from '@octokit/webhooks';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';

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
}

export interface GitHubWebhookReceiver {
  webhooks: Webhooks;
  /** Node (req, res, next) middleware; mount it before any body parser. */
  middleware: ReturnType<typeof createNodeMiddleware>;
  path: string;
  /** Adds a handler; handlers should only enqueue jobs, so they return quickly. */
  on(event: EmitterWebhookEventName, handler: WebhookHandler): void;
}

export function createGitHubWebhooks(options: GitHubWebhooksOptions): GitHubWebhookReceiver {
  const path = options.path ?? '/webhooks/github';
  const webhooks = new Webhooks({ secret: options.secret });
  const handlers = new Map<string, WebhookHandler[]>();

  // Signatures are verified by verifyAndReceive before this runs; an unsigned or forged
  // delivery never reaches a handler (the middleware answers 400).
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

  const log = {
    debug: (msg: string) => options.log.debug(msg),
    info: (msg: string) => options.log.info(msg),
    warn: (msg: string) => options.log.warn(msg),
    error: (msg: unknown) => options.log.error({ err: msg }, 'webhook rejected'),
  };

  return {
    webhooks,
    middleware: createNodeMiddleware(webhooks, { path, log }),
    path,
    on(event, handler) {
      const list = handlers.get(event) ?? [];
      list.push(handler);
      handlers.set(event, list);
    },
  };
}
