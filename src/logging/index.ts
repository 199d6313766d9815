import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  format: 'json' | 'pretty';
  /** Where log lines go; stderr by default so stdout stays clean for command output. */
  destination?: number;
  /** A stream to write JSON lines to instead of `destination` (tests read the logs back). */
  stream?: NodeJS.WritableStream;
}

/**
 * Paths never written to logs: tokens, passwords and policy documents.
 * pino replaces them with "[redacted]" wherever they appear at these paths.
 */
const REDACTED_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'authorization',
  'req.headers.authorization',
  'headers.authorization',
  '*.policyDocument',
  'policyDocument',
  'params.password',
];

/** The root logger: JSON lines by default, pino-pretty when asked for (readable on a terminal). */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? 2;
  const base = { level: options.level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { app: 'whocan' } };
  if (options.format === 'pretty') {
    return pino(
      base,
      pino.transport({
        target: 'pino-pretty',
        options: { destination, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,app' },
      }),
    );
  }
  if (options.stream) return pino(base, options.stream);
  return pino(base, pino.destination({ dest: destination, sync: false }));
}

/** A logger that writes nothing (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** One child logger per request, carrying its id. */
export function requestLogger(root: Logger, requestId: string = randomUUID()): Logger {
  return root.child({ requestId });
}
