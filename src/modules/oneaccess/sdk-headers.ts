import { DeviceContext } from './device-context';
import { OneAccessEndpoint } from './oneaccess-endpoint';

/**
 * The common headers of every `/api/v2/sdk/*` call (docs/oneaccess.md section 2.2). All four device
 * headers are always sent: some OneAccess revisions reject a call without them.
 */
export function sdkHeaders(
  endpoint: OneAccessEndpoint,
  device: DeviceContext,
): Record<string, string> {
  const headers: Record<string, string> = {
    'X-client-id': endpoint.clientId,
    'X-operating-sys-version': device.osVersion,
    'X-device-fingerprint': device.fingerprint,
    'X-agent': device.agent,
    'X-L': device.lang,
  };
  if (device.ip) headers['X-device-ip'] = device.ip;
  if (endpoint.tenantId) headers['X-tenant-id'] = endpoint.tenantId;
  return headers;
}
