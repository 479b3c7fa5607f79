import pino, { type DestinationStream, type Logger } from 'pino';
import { scrub } from './redact.js';

export type { Logger } from 'pino';

// Keys that hold credentials wherever they appear in a log object.
const REDACT_PATHS = [
  'token', '*.token', 'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization',
  'apiKey', '*.apiKey', 'password', '*.password', 'secret', '*.secret', 'privateKey', '*.privateKey',
  'env.GITHUB_TOKEN', 'env.SLACK_BOT_TOKEN', 'env.SLACK_APP_TOKEN', 'env.ANTHROPIC_API_KEY', 'env.GITHUB_WEBHOOK_SECRET',
];

/** Wraps a destination so that every serialized line is scrubbed of secrets before it is written. */
export function scrubbingStream(inner: DestinationStream): DestinationStream {
  return { write: (line: string) => inner.write(scrub(line)) };
}

export interface LoggerOptions {
  level?: string;
  /** Defaults to stderr: stdout is reserved for --json output. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? pino.destination({ fd: 2, sync: true });
  return pino(
    {
      level: options.level ?? 'info',
      base: { name: 'upstream-sync' },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      serializers: { err: pino.stdSerializers.err },
    },
    scrubbingStream(destination),
  );
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
