import express from 'express';
import request from 'supertest';
import { buildDeviceContext, chooseFingerprint, languageOf, osVersionOf } from './device-context';
import { loadAppConfig } from '../../config/app.config';
import { deviceFactsOf } from './device-facts';
import { RequestContexts } from '../../common/http/request-context';

describe('device context', () => {
  it.each([
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36',
      'Windows 10',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Mobile Safari/537.36',
      'Android 14',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
      'iOS 17',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 Safari/605.1.15',
      'macOS 14',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/120 Safari/537.36',
      'macOS 10.15',
    ],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36', 'Linux'],
    ['curl/8.4.0', 'Unknown'],
    [undefined, 'Unknown'],
  ])('should derive the OS version of %s', (ua, expected) => {
    expect(osVersionOf(ua)).toBe(expected);
  });

  it.each([
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    ['zh', 'zh'],
    ['en-US,zh;q=0.9', 'en'],
    ['en;q=0.5,zh-TW;q=0.8', 'zh'],
    ['fr-FR', 'en'],
    [undefined, 'en'],
  ])('should choose the language of %s', (header, expected) => {
    expect(languageOf(header)).toBe(expected);
  });

  it('should keep a well-formed browser fingerprint and replace a malformed one with a random id', () => {
    expect(chooseFingerprint('abcDEF12-_xyz')).toBe('abcDEF12-_xyz');
    const random = chooseFingerprint('bad fingerprint!');
    expect(random).toMatch(/^[0-9a-f]{32}$/);
    expect(chooseFingerprint('short')).not.toBe('short');
    expect(chooseFingerprint(undefined)).not.toBe(chooseFingerprint(undefined));
  });

  it('should always send an agent even when the browser sends none', () => {
    const ctx = buildDeviceContext(
      { ip: '1.2.3.4', userAgent: undefined, acceptLanguage: undefined },
      'fp-12345678',
    );
    expect(ctx).toEqual({
      ip: '1.2.3.4',
      agent: 'unknown',
      osVersion: 'Unknown',
      fingerprint: 'fp-12345678',
      lang: 'en',
    });
  });

  describe('client address through TRUST_PROXY', () => {
    function appWith(trustProxy: string | undefined) {
      const app = express();
      const cfg = loadAppConfig({ TRUST_PROXY: trustProxy });
      // As the gateway's listener does (bootstrap.ts): the context reads the client address.
      const contexts = new RequestContexts(cfg.trustProxy, cfg.publicOrigin, '');
      app.use((req, _res, next) => {
        contexts.open(req).attach();
        next();
      });
      app.get('/', (req, res) => res.json(deviceFactsOf(req)));
      return app;
    }

    it('should ignore X-Forwarded-For from a peer that is not a trusted proxy', async () => {
      const res = await request(appWith(undefined)).get('/').set('X-Forwarded-For', '203.0.113.9');
      expect(res.body.ip).toMatch(/127\.0\.0\.1|::1/);
    });

    it('should ignore X-Forwarded-For when the trusted CIDR does not contain the peer', async () => {
      const res = await request(appWith('10.0.0.0/8'))
        .get('/')
        .set('X-Forwarded-For', '203.0.113.9');
      expect(res.body.ip).toMatch(/127\.0\.0\.1|::1/);
    });

    it('should take the client address from X-Forwarded-For when the peer is a trusted proxy', async () => {
      const res = await request(appWith('loopback'))
        .get('/')
        .set('X-Forwarded-For', '198.51.100.7, 203.0.113.9');
      expect(res.body.ip).toBe('203.0.113.9');
    });

    it('should pass the User-Agent and Accept-Language through', async () => {
      const res = await request(appWith(undefined))
        .get('/')
        .set('User-Agent', 'UA/1')
        .set('Accept-Language', 'zh-CN');
      expect(res.body).toMatchObject({ userAgent: 'UA/1', acceptLanguage: 'zh-CN' });
    });
  });
});
