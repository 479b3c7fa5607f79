import { App, LogLevel, SocketModeReceiver, type Logger } from '@slack/bolt';
import type { SlackSandbox } from '../../../src/sandbox/slack/slack-sandbox.js';

// A real Bolt App in Socket Mode wired to the Slack stand-in, the way main.ts will wire it to Slack.

export interface BoltHarness {
  app: App;
  receiver: SocketModeReceiver;
  /** What Bolt logged at warn/error level (reconnects, listener errors). */
  logs: string[];
  stop(): Promise<void>;
}

/** A Slack SDK logger that keeps warnings and errors in `logs` instead of printing them. */
export function captureLogger(logs: string[] = []): Logger {
  let level = LogLevel.WARN;
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...msg: unknown[]) => void logs.push(`warn: ${msg.map(String).join(' ')}`),
    error: (...msg: unknown[]) => void logs.push(`error: ${msg.map(String).join(' ')}`),
    setLevel: (l: LogLevel) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}

export async function startBolt(
  slack: SlackSandbox,
  register: (app: App) => void,
  options: { clientPingTimeout?: number } = {},
): Promise<BoltHarness> {
  const logs: string[] = [];
  const logger = captureLogger(logs);
  // The App's own calls fail fast (retries 0): tests see every error at once.
  const clientOptions = { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } };
  const receiver = new SocketModeReceiver({
    appToken: slack.appToken,
    logger,
    // Reconnects wait clientPingTimeout × attempts; 5 s by default is slow for tests.
    clientPingTimeout: options.clientPingTimeout ?? 300,
    // A separate object with retries: when apps.connections.open fails during a reconnect and the
    // retries run out, SocketModeClient rejects an unawaited promise and never reconnects again.
    installerOptions: {
      clientOptions: {
        slackApiUrl: slack.apiUrl,
        retryConfig: { retries: 50, factor: 1, minTimeout: 50, maxTimeout: 50 },
      },
    },
  });
  const app = new App({
    token: slack.botToken,
    appToken: slack.appToken,
    socketMode: true,
    receiver,
    logger,
    clientOptions,
  });
  register(app);
  await app.start();
  return {
    app,
    receiver,
    logs,
    // app.stop() resolves before the WebSocket closes; disconnect() waits for the close handshake.
    stop: () => receiver.client.disconnect(),
  };
}
