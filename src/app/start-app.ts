import { createMetrics, type Metrics } from '../web/metrics.js';
import { startWebServer, type WebServer } from '../web/server.js';
import { createGitHubWebhooks } from '../web/github-webhooks.js';
import { DELIVERY_MEMORY_MS, GITHUB_WEBHOOK_PATH, registerBotWebhooks } from '../web/bot-webhooks.js';
import { Liveness } from '../web/liveness.js';
import { createServices, type ServicesInput, type Services } from './services.js';
import { startBot, type Bot, type BotOptions } from './bot.js';

export interface RunningApp {
  services: Services;
  bot: Bot;
  web: WebServer;
  metrics: Metrics;
  stop(): Promise<void>;
}

/**
 * `upstream-sync start`: services, the bot, and the web server (/healthz, /readyz, /metrics, and
 * with GITHUB_WEBHOOK_SECRET the webhook receiver). Whatever fails closes what was opened.
 */
export async function startApp(input: ServicesInput & { bot?: BotOptions }): Promise<RunningApp> {
  const metrics = input.metrics ?? createMetrics();
  const services = createServices({ ...input, metrics });
  const opened: Array<() => Promise<void>> = [() => services.close()];
  const closeAll = async (): Promise<void> => {
    for (const close of opened.reverse()) {
      try {
        await close();
      } catch (err) {
        services.log.warn({ err }, 'closing failed');
      }
    }
  };
  try {
    const bot = await startBot(services, input.bot);
    opened.push(() => bot.stop());
    const liveness = new Liveness(() => services.store.db.prepare('SELECT 1').get());
    opened.push(async () => liveness.close());
    const web = await startWebServer({
      host: input.config.web.host,
      port: input.config.web.port,
      log: services.log.child({ component: 'web' }),
      metrics,
      ...(input.env.GITHUB_WEBHOOK_SECRET ? { webhooks: buildWebhooks(services, bot, metrics) } : {}),
      health: () => liveness.report(),
      ready: () => {
        // A full or read-only disk: jobs wait until the database can be written again.
        const report = services.signals.readiness();
        const fault = services.runner.storageFault();
        const storage = fault
          ? { ok: false, detail: `${fault.message} (since ${fault.since}); jobs wait until it can be written` }
          : { ok: true, detail: 'writable' };
        return { ok: report.ok && storage.ok, checks: { ...report.checks, storage } };
      },
    });
    opened.push(() => web.close());
    return { services, bot, web, metrics, stop: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

function buildWebhooks(services: Services, bot: Bot, metrics: Metrics) {
  const log = services.log.child({ component: 'webhooks' });
  // SQLite remembers delivery ids, so a redelivery after a restart is still recognised.
  services.store.webhookDeliveries.prune(new Date(services.clock.now().getTime() - DELIVERY_MEMORY_MS));
  const receiver = createGitHubWebhooks({
    secret: services.env.GITHUB_WEBHOOK_SECRET as string,
    deliveries: services.store.webhookDeliveries,
    log,
    metrics,
    path: GITHUB_WEBHOOK_PATH,
  });
  registerBotWebhooks(receiver, {
    config: services.config,
    queue: services.runner,
    log,
    watcher: bot.ciWatcher,
    audit: services.store.audit,
    seen: services.store.webhookDeliveries,
  });
  return receiver;
}

// ---- preflight probes (doctor and start): plain requests, no retries, bounded ----------------
