import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { silentLogger } from '../../src/log.js';
import { createGitHubWebhooks } from '../../src/web/github-webhooks.js';
import { MemoryDeliveries } from './memory-deliveries.js';

/**
 * The real webhook receiver, its deliveries remembered in memory. `deliver` hands it an event
 * with a new delivery id (`d-1`, `d-2`, …), past the signature check (covered in server.test.ts).
 */
export function testWebhooks() {
  const receiver = createGitHubWebhooks({ secret: 's', deliveries: new MemoryDeliveries(), log: silentLogger() });
  let n = 0;
  const deliver = (name: string, payload: Record<string, unknown>) =>
    receiver.webhooks.receive({ id: `d-${++n}`, name, payload } as unknown as EmitterWebhookEvent);
  return { receiver, deliver };
}
