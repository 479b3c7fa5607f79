import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { censorUnderKey, scrub } from './redact.js';

export type { Logger } from 'pino';

// Two nets, as in redact.ts: credential-named keys are censored at any depth before the line is
// serialized (pino's own `redact` paths only reach fixed depths), and the serialized line is then
// scrubbed of known secret values and token shapes, which also covers messages and stacks.

const MAX_DEPTH = 12;

/** Copies a log object with credential-named keys censored; Errors anywhere become pino's err shape. */
function censorForLog(value: unknown, ancestors: Set<object>): unknown {
  const input = value instanceof Error ? pino.stdSerializers.err(value) : value;
  if (input === null || typeof input !== 'object') return input;
  if (ancestors.has(input)) return '[Circular]';
  if (ancestors.size >= MAX_DEPTH) return '[Truncated]';
  const proto: unknown = Object.getPrototypeOf(input);
  const serializedError = input !== value;
  if (!Array.isArray(input) && !serializedError && proto !== Object.prototype && proto !== null) return input; // Date, Buffer, …
  ancestors.add(input);
  let out: unknown;
  if (Array.isArray(input)) {
    out = input.map((item) => censorForLog(item, ancestors));
  } else {
    const copy: Record<string, unknown> = {};
    // for…in, not Object.entries: a serialized error's type/message/stack live on its prototype.
    for (const key in input)
      copy[key] = censorForLog(censorUnderKey(key, (input as Record<string, unknown>)[key]), ancestors);
    out = copy;
  }
  ancestors.delete(input);
  return out;
}

/**
 * Wraps a destination so that every serialized line is scrubbed of secrets before it is written.
 * The line is censored again as a whole because child bindings skip pino's formatters.
 */
export function scrubbingStream(inner: DestinationStream): DestinationStream {
  return {
    write: (line: string) => {
      let censored = line;
      try {
        censored = `${JSON.stringify(censorForLog(JSON.parse(line), new Set()))}\n`;
      } catch {
        // Not JSON (a foreign destination's format): the value scrub below still applies.
      }
      return inner.write(scrub(censored));
    },
  };
}

export interface LoggerOptions {
  level?: string;
  /** Defaults to stderr: stdout is reserved for --json output. */
  destination?: DestinationStream;
}

/**
 * Where log lines go by default: stderr, as JSON — or, when stderr is a terminal (a person is
 * watching) and LOG_FORMAT is not `json`, as pino-pretty's human lines.
 */
function defaultDestination(): DestinationStream {
  if (process.stderr.isTTY && process.env.LOG_FORMAT !== 'json')
    return pretty({
      destination: 2,
      sync: true,
      colorize: true,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname,name',
    });
  return pino.destination({ fd: 2, sync: true });
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? defaultDestination();
  return pino(
    {
      level: options.level ?? 'info',
      base: { name: 'upstream-sync' },
      // censorForLog has already serialized errors; pino's default would re-serialize the copy.
      serializers: { err: (value: unknown) => value },
      formatters: {
        log: (object) => censorForLog(object, new Set()) as Record<string, unknown>,
      },
    },
    scrubbingStream(destination),
  );
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
