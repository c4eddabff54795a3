import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertValidEnvironment } from '../src/config/config';
import { loadTracingConfig } from '../src/config/tracing.config';
import { parseTinyYaml, YamlValue } from './helpers/tiny-yaml';

const ROOT = join(__dirname, '..');

type Service = {
  image?: string;
  build?: YamlValue;
  pull_policy?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: string };
  expose?: string[];
};

function compose(name = 'docker-compose.yml'): Record<string, Service> {
  const file = parseTinyYaml(readFileSync(join(ROOT, name), 'utf8')) as {
    services: Record<string, Service>;
  };
  return file.services;
}

/** The host port published for `containerPort` ("host:container"). */
function publishedPort(service: Service, containerPort: string): string | undefined {
  return (service.ports ?? [])
    .map((p) => p.split(':'))
    .find((parts) => parts[parts.length - 1] === containerPort)
    ?.at(-2);
}

/**
 * docker-compose.yml as Docker would run it, checked on paper (no Docker engine on CI): the
 * services, one image, each service's own health check, and the two OneAccess addresses (the
 * gateway calls the simulator by its Compose name; the browser on the host uses the published
 * port).
 */
describe('docker-compose.yml', () => {
  const services = compose();
  const { gateway, simulator, redis } = services;
  const genv = gateway?.environment ?? {};
  const senv = simulator?.environment ?? {};

  it('should have Redis, the simulator and the gateway', () => {
    expect(Object.keys(services).sort()).toEqual(['gateway', 'redis', 'simulator']);
  });

  it('should build one image once and run both Node services from it', () => {
    const built = Object.entries(services).filter(([, s]) => s.build !== undefined);
    expect(built.map(([name]) => name)).toEqual(['gateway']);
    expect(gateway.image).toBeTruthy();
    expect(simulator.image).toBe(gateway.image);
    // Never pulled from a registry: it exists only once the gateway's build made it.
    expect(simulator.pull_policy).toBe('never');
    expect(simulator.command).toEqual(['node', 'simulator/dist/main.js']);
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/COPY --from=build .*\/app\/simulator\/dist /);
    expect(dockerfile).toMatch(/COPY --from=build .*\/app\/simulator\/seed /);
  });

  it('should give every service a health check of its own', () => {
    expect(redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    const simCheck = (simulator.healthcheck?.test ?? []).join(' ');
    // The image's HEALTHCHECK probes the gateway's port; the simulator must not inherit it.
    expect(simCheck).toContain(`127.0.0.1:${senv.SIM_PORT}/`);
    expect(simCheck).not.toContain('3000');
    expect(simCheck).not.toContain('healthz');
    const gwCheck = (gateway.healthcheck?.test ?? []).join(' ');
    expect(gwCheck).toContain(`127.0.0.1:${genv.PORT}/healthz`);
  });

  it('should start the gateway once Redis and the simulator are healthy', () => {
    expect(gateway.depends_on).toEqual({
      redis: { condition: 'service_healthy' },
      simulator: { condition: 'service_healthy' },
    });
  });

  it('should publish the simulator on the host and send the browser there, the gateway by name', () => {
    expect(senv.SIM_HOST).toBe('0.0.0.0');
    const hostPort = publishedPort(simulator, senv.SIM_PORT);
    expect(hostPort).toBeDefined();
    expect(genv.ONEACCESS_BASE_URL).toBe(`http://simulator:${senv.SIM_PORT}`);
    expect(genv.ONEACCESS_PUBLIC_URL).toBe(`http://localhost:${hostPort}`);
    expect(genv.REDIS_URL).toBe('redis://redis:6379');
    expect(genv.ONEACCESS_CLIENT_ID).toBe(senv.SIM_CLIENT_ID ?? 'OneAccessSimDevClient0000000001');
  });

  it('should publish the gateway at PUBLIC_ORIGIN and register the one redirect URI', () => {
    const origin = new URL(genv.PUBLIC_ORIGIN);
    expect(publishedPort(gateway, genv.PORT)).toBe(origin.port);
    expect(senv.SIM_OAUTH_REDIRECT_URIS).toBe(
      `${genv.PUBLIC_ORIGIN}${genv.BASE_PATH ?? ''}/auth/oauth/callback`,
    );
  });

  it('should give the gateway an environment its configuration accepts', () => {
    expect(() => assertValidEnvironment({ ...genv })).not.toThrow();
  });
});

/**
 * docker-compose.tracing.yml, the README's "Tracing" example, layered over the main file: Compose
 * merges a service's `environment` and `depends_on` key by key, so the gateway keeps its own.
 */
describe('docker-compose.tracing.yml', () => {
  const base = compose();
  const layer = compose('docker-compose.tracing.yml');
  const env = { ...base.gateway.environment, ...layer.gateway.environment };

  it('should add a Jaeger that takes OTLP/HTTP inside the network and shows its UI on the host', () => {
    expect(Object.keys(layer).sort()).toEqual(['gateway', 'jaeger']);
    expect(layer.jaeger.image).toMatch(/^jaegertracing\/jaeger:2\.\d+\.\d+$/);
    expect(layer.jaeger.expose).toContain('4318');
    // Jaeger 2's receiver listens on localhost by default: the gateway could not reach it.
    expect(layer.jaeger.command).toEqual([
      '--set',
      'receivers.otlp.protocols.http.endpoint=0.0.0.0:4318',
    ]);
    expect(publishedPort(layer.jaeger, '16686')).toBe('16686');
    expect(layer.gateway.depends_on?.jaeger).toEqual({ condition: 'service_started' });
  });

  it("should point the gateway's exporter at Jaeger by its Compose name, in a configuration it accepts", () => {
    const endpoint = new URL(env.OTEL_EXPORTER_OTLP_ENDPOINT);
    expect(endpoint.hostname).toBe('jaeger');
    expect(layer.jaeger.expose).toContain(endpoint.port);
    expect(() => assertValidEnvironment(env)).not.toThrow();
    expect(loadTracingConfig(env)).toMatchObject({ enabled: true, protocol: 'http/protobuf' });
  });
});
