import type { HandlerTable } from './context.js';

export const hoursOfOperationHandlers: HandlerTable = {};
