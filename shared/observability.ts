/**
 * Structured logs (Powertools Logger, JSON) and EMF metrics (Powertools Metrics), one of each per
 * container. Log keys for the run (`instanceId`, `snapshotId`) are appended by the handlers.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export const SERVICE_NAME = 'connect-vault';

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({ namespace: 'ConnectVault', serviceName: SERVICE_NAME });
