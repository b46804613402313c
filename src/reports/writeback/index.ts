export * from './writeback-period.js';
export * from './writeback-format.js';
export * from './writeback-messages.js';
export * from './metrics-digest.js';
export * from './kpi-line.js';
export * from './metrics-record.js';
export * from './writeback-actions.js';
export * from './plan-lines.js';
