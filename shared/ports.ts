/** Narrow ports the use cases share. Adapters: Powertools' Logger, `Date`, test fakes. */
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';

/** Structured logging: a constant message plus a data object (never a template string). */
export interface LoggerPort {
  info(message: string, data: LogAttributes): void;
  warn(message: string, data: LogAttributes): void;
}

/** Wall-clock time. */
export interface ClockPort {
  now(): Date;
}
