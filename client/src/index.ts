export { BffClient } from './client.js';
export type { BffClientOptions } from './client.js';
export { BffError } from './errors.js';
export type { BffErrorCode, BffErrorDetails } from './errors.js';
export type * from './types.js';
