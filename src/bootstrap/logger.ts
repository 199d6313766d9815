import type { Config } from '../config';
import { createLogger, type Logger } from '../logging';

export function loggerFor(config: Config): Logger {
  return createLogger({ level: config.log.level, format: config.log.format });
}
