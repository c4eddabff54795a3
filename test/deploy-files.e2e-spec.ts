import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { assertValidEnvironment } from '../src/config/config';
import { loadServerConfig } from '../src/config/server.config';
import { loadUpstreamsConfig } from '../src/config/upstreams.config';
import { configVariables } from './helpers/config-variables';
import { freePort } from './helpers/free-port';
import { GatewayProcess, startGatewayProcess } from './helpers/gateway-process';
import { parseTinyYaml } from './helpers/tiny-yaml';

const ROOT = join(__dirname, '..');
const K8S = join(ROOT, 'deploy', 'kubernetes');
const HEALTHCHECK = join(ROOT, 'deploy', 'docker', 'healthcheck.js');

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- manifests are free-form YAML, read without a schema: a wrong path fails the assertion that uses it */
type Manifest = Record<string, any>;

function manifests(): Manifest[] {
  return readdirSync(K8S)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .map((f) => ({ ...(parseTinyYaml(readFileSync(join(K8S, f), 'utf8')) as Manifest), file: f }));
}

function one(all: Manifest[], kind: string): Manifest {
  const found = all.filter((m) => m.kind === kind);
  expect({ kind, count: found.length }).toEqual({ kind, count: 1 });
  return found[0];
}

/** Secrets of the right shape for the Secret's placeholders, so the rest can be validated. */
function realisticSecrets(names: string[]): Record<string, string> {
  const values: Record<string, string> = {
    ONEACCESS_CLIENT_SECRET: `cs${randomBytes(24).toString('hex')}`,
    REDIS_URL: 'rediss://bff:s3cr3tpw@redis.internal:6380/0',
    SESSION_SECRETS: `ss${randomBytes(24).toString('hex')}`,
    SESSION_ENCRYPTION_KEYS: randomBytes(32).toString('base64'),
    LOG_HASH_KEY: `lh${randomBytes(24).toString('hex')}`,
  };
  for (const name of names) expect({ name, known: name in values }).toEqual({ name, known: true });
  return values;
}

const execNode = promisify(execFile);

/** Runs the image's health check script with exactly `env`; its exit code. */
async function healthcheck(env: Record<string, string>): Promise<number> {
  try {
    await execNode(process.execPath, [HEALTHCHECK], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    return 0;
  } catch (err) {
    return (err as { code?: number }).code ?? -1;
  }
}

/**
 * The deploy files on paper (no Docker engine or cluster here), checked against the gateway's
 * configuration, and their probes run against a real gateway with an ops listener.
 */
describe('deploy files', () => {
  const all = manifests();
  const deployment = one(all, 'Deployment');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const configMap = one(all, 'ConfigMap');
  const secret = one(all, 'Secret');
  const env: Record<string, string> = Object.fromEntries(
    container.env.map((e: { name: string; value: string }) => [e.name, e.value]),
  );
  const portNamed = (name: string): number =>
    Number(container.ports.find((p: { name: string }) => p.name === name).containerPort);
  const probes = ['startupProbe', 'livenessProbe', 'readinessProbe'].map((p) => container[p]);

  let gateway: GatewayProcess | undefined;
  beforeAll(async () => {
    // A real gateway with an ops listener, as the manifests run it (development: no Redis needed).
    gateway = await startGatewayProcess({
      SIMULATOR_PORT: '0',
      OPS_PORT: String(await freePort()),
    });
  }, 60_000);
  afterAll(() => gateway?.stop());

  describe('Kubernetes (deploy/kubernetes)', () => {
    it('should have every object, and leave Redis to the operator', () => {
      expect(all.map((m) => m.kind).sort()).toEqual(
        [
          'ConfigMap',
          'Deployment',
          'HorizontalPodAutoscaler',
          'NetworkPolicy',
          'PodDisruptionBudget',
          'Secret',
          'Service',
        ].sort(),
      );
      expect(JSON.stringify(all)).not.toMatch(/image":"[^"]*redis/i);
      const kustomization = parseTinyYaml(
        readFileSync(join(K8S, 'kustomization.yaml'), 'utf8'),
      ) as Manifest;
      expect([...kustomization.resources].sort()).toEqual(all.map((m) => m.file).sort());
    });

    it('should select the pods by the labels they carry', () => {
      const labels = deployment.spec.template.metadata.labels;
      expect(deployment.spec.selector.matchLabels).toEqual(labels);
      expect(one(all, 'Service').spec.selector).toEqual(labels);
      expect(one(all, 'PodDisruptionBudget').spec.selector.matchLabels).toEqual(labels);
      expect(one(all, 'NetworkPolicy').spec.podSelector.matchLabels).toEqual(labels);
      expect(one(all, 'HorizontalPodAutoscaler').spec.scaleTargetRef).toMatchObject({
        kind: 'Deployment',
        name: deployment.metadata.name,
      });
      expect(container.envFrom).toEqual([
        { configMapRef: { name: configMap.metadata.name } },
        { secretRef: { name: secret.metadata.name } },
      ]);
    });

    it('should name only variables the configuration reads', () => {
      const known = configVariables();
      const named = [
        ...Object.keys(configMap.data),
        ...Object.keys(secret.stringData),
        ...Object.keys(env),
      ];
      expect(named.filter((n) => !known.has(n))).toEqual([]);
    });

    it('should give an environment the production configuration accepts', () => {
      const full = {
        ...configMap.data,
        ...realisticSecrets(Object.keys(secret.stringData)),
        ...env,
      };
      expect(full.NODE_ENV).toBe('production');
      expect(() => assertValidEnvironment(full)).not.toThrow();
    });

    it('should use the configured ports: the Service the main one only, the probes the ops one', () => {
      expect(portNamed('http')).toBe(Number(env.PORT));
      expect(portNamed('ops')).toBe(Number(env.OPS_PORT));
      const service = one(all, 'Service');
      expect(service.spec.ports.map((p: { targetPort: string }) => p.targetPort)).toEqual(['http']);
      for (const probe of probes) expect(probe.httpGet.port).toBe('ops');
      expect(container.livenessProbe.httpGet.path).toBe('/healthz');
      expect(container.readinessProbe.httpGet.path).toBe('/readyz');
      const annotations = deployment.spec.template.metadata.annotations;
      expect(annotations['prometheus.io/port']).toBe(env.OPS_PORT);
      const policy = one(all, 'NetworkPolicy');
      const allowedIn = policy.spec.ingress.flatMap((r: Manifest) =>
        r.ports.map((p: Manifest) => Number(p.port)),
      );
      expect(allowedIn.sort()).toEqual([Number(env.OPS_PORT), Number(env.PORT)].sort());
    });

    it('should probe paths the ops listener answers, and the main port does not', async () => {
      const paths = [
        ...probes.map((p) => p.httpGet.path),
        deployment.spec.template.metadata.annotations['prometheus.io/path'],
      ];
      for (const path of paths) {
        const ops = await fetch(`${gateway!.opsUrl}${path}`);
        expect({ path, ops: ops.status }).toEqual({ path, ops: 200 });
        const main = await fetch(`${gateway!.url}${path}`);
        expect({ path, main: main.status }).toEqual({ path, main: 404 });
      }
    });

    it('should run unprivileged on a read-only root, with resources set', () => {
      expect(pod.securityContext.runAsNonRoot).toBe('true');
      expect(Number(pod.securityContext.runAsUser)).toBeGreaterThan(0);
      expect(pod.automountServiceAccountToken).toBe('false');
      expect(container.securityContext).toMatchObject({
        allowPrivilegeEscalation: 'false',
        readOnlyRootFilesystem: 'true',
        privileged: 'false',
        capabilities: { drop: ['ALL'] },
      });
      expect(container.resources.requests).toMatchObject({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
      expect(container.resources.limits).toMatchObject({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
    });

    it('should give a stopping pod longer than its longest request', () => {
      const full = { ...configMap.data, ...env };
      const longestMs = Math.max(
        loadServerConfig(full).requestTimeoutMs || Infinity,
        ...[...loadUpstreamsConfig(full).routes.values()].map((r) => r.timeoutMs),
      );
      const [sleep, seconds] = container.lifecycle.preStop.exec.command;
      expect(sleep).toBe('sleep');
      const grace = Number(pod.terminationGracePeriodSeconds);
      expect(grace).toBeGreaterThanOrEqual(Number(seconds) + longestMs / 1000);
    });
  });

  describe('Dockerfile', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

    it('should pin the base image to an exact release', () => {
      const args = Object.fromEntries(
        [...dockerfile.matchAll(/^ARG (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]),
      );
      const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) =>
        m[1].replace(/^\$\{(\w+)\}$/, (_, name: string) => args[name]),
      );
      expect(bases.length).toBeGreaterThanOrEqual(2);
      for (const image of bases)
        expect(image).toMatch(/^node:\d+\.\d+\.\d+-[a-z]+(-slim)?(@sha256:[0-9a-f]{64})?$/);
    });

    it('should expose the main and the ops port the manifests use', () => {
      const exposed = [...dockerfile.matchAll(/^EXPOSE (.+)$/gm)].flatMap((m) =>
        m[1].trim().split(/\s+/),
      );
      expect(exposed.sort()).toEqual([env.PORT, env.OPS_PORT].sort());
    });

    it('should run the health check script the image carries', () => {
      expect(dockerfile).toMatch(/^HEALTHCHECK .*CMD \["node", "healthcheck\.js"\]$/m);
      expect(dockerfile).toMatch(/^COPY .*deploy\/docker\/healthcheck\.js \.\/healthcheck\.js$/m);
    });

    it('should probe OPS_PORT when it is set, PORT otherwise', async () => {
      const main = new URL(gateway!.url).port;
      const ops = new URL(gateway!.opsUrl!).port;
      expect(await healthcheck({ PORT: main, OPS_PORT: ops })).toBe(0);
      expect(await healthcheck({ PORT: main, OPS_PORT: ops, OPS_HOST: '0.0.0.0' })).toBe(0);
      // The old check: /healthz on PORT is a 404 when OPS_PORT is set.
      expect(await healthcheck({ PORT: main })).toBe(1);
      // Without OPS_PORT the gateway answers on PORT (here: the port that answers).
      expect(await healthcheck({ PORT: ops })).toBe(0);
      expect(await healthcheck({ PORT: String(await freePort()) })).toBe(1);
    });
  });
});
