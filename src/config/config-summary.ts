import { withoutCredentials } from './secrets';

/** Field names whose values are secrets: shown only as set or unset. */
const SECRET_NAME = /(secret|secrets|password|token|key|keys)$/i;

function summarise(name: string, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (SECRET_NAME.test(name) && typeof value !== 'boolean' && typeof value !== 'number') {
    if (Array.isArray(value)) return `[${value.length} set]`;
    return '[set]';
  }
  if (value instanceof URL) return withoutCredentials(value.href);
  if (typeof value === 'string') return withoutCredentials(value);
  if (value instanceof Map) return summarise(name, Object.fromEntries(value));
  if (value instanceof Set) return [...value];
  if (Buffer.isBuffer(value)) return '[set]';
  if (Array.isArray(value)) return value.map((v) => summarise(name, v));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, summarise(k, v)]));
  }
  return value;
}

/**
 * The effective configuration for the start line: every namespace as loaded (defaults applied),
 * with secrets reduced to "[set]" and credentials cut out of URLs. A relay route's credential
 * kind (`token: "id_token"`) is not a secret, so routes are shown as "target (credential)".
 */
export function configSummary(namespaces: Record<string, unknown>): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [ns, cfg] of Object.entries(namespaces)) {
    const routes = (cfg as { routes?: unknown }).routes;
    const value =
      routes instanceof Map
        ? {
            ...(cfg as object),
            routes: Object.fromEntries(
              [...(routes as Map<string, { target: URL; token: string }>)].map(([n, r]) => [
                n,
                `${withoutCredentials(r.target.href)} (${r.token})`,
              ]),
            ),
          }
        : cfg;
    shown[ns] = summarise(ns, value);
  }
  return shown;
}
