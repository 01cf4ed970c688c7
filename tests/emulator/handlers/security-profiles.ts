import type { HandlerTable } from './context.js';

export const securityProfileHandlers: HandlerTable = {};
