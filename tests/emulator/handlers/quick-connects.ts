import type { HandlerTable } from './context.js';

export const quickConnectHandlers: HandlerTable = {};
