export { BffClient } from './client';
export type { BffClientOptions } from './client';
export { BffError } from './errors';
export type { BffErrorCode, BffErrorDetails } from './errors';
export type * from './types';
