/**
 * Public entry of the OneAccess simulator package. The gateway imports only this file (for the
 * embedded development mode); nothing here depends on the gateway.
 */
export { startSimulator } from './start-simulator';
export { makeCertificate } from './tls/self-signed-cert';
export type { SelfSignedCertificate } from './tls/self-signed-cert';
export { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_LIFETIMES } from './config/options';
export type { Lifetimes, RunningSimulator, SimulatorOptions } from './config/options';
export type { SeedData, SeedProfile, SeedSocialCode, SeedUser } from './seed/seed.types';
