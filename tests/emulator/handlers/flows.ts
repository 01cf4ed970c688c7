import type { HandlerTable } from './context.js';

export const flowHandlers: HandlerTable = {};
