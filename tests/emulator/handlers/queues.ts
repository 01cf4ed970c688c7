import type { HandlerTable } from './context.js';

export const queueHandlers: HandlerTable = {};
