import type { HandlerTable } from './context.js';

export const hierarchyHandlers: HandlerTable = {};
