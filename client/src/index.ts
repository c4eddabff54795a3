export { BffClient } from './client.js';
export type { BffClientOptions } from './client.js';
export { BffError } from './errors.js';
export type { BffErrorCode, BffErrorDetails } from './errors.js';
export type * from './types.js';
export { ApiSocket, SESSION_ENDED_CLOSE_CODE } from './api-socket.js';
export type { ApiSocketOptions, WebSocketLike } from './api-socket.js';
