import { INestApplication } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { SwaggerModule } from '@nestjs/swagger';
import { appConfig } from '../../config/app.config';
import { docsConfig } from '../../config/docs.config';
import { sessionConfig } from '../../config/session.config';
import { buildOpenApiDocument } from './docs.document';
import { docsHeaders } from './docs.headers';

export const DOCS_PATH = '/docs';
export const DOCUMENT_PATH = '/openapi.json';

/**
 * Serves the OpenAPI document at `/openapi.json` and Swagger UI at `/docs` (docs/api.md section
 * 7) when DOCS_ENABLED (off by default in production; otherwise both are ordinary 404s, and with
 * OPS_PORT they answer only there). Called by createApp, so tests get it too. It must run before the app is initialised: SwaggerModule registers plain Express
 * routes, which must precede Nest's not-found handler; they then also precede Nest's middleware,
 * so the docs' headers are mounted here, in front of them. The document is built on first
 * request, sparing every worker's start-up the scan.
 */
export function setupDocs(app: INestApplication): void {
  if (!app.get<ConfigType<typeof docsConfig>>(docsConfig.KEY).enabled) return;
  const { basePath } = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  const { cookieName } = app.get<ConfigType<typeof sessionConfig>>(sessionConfig.KEY);

  // Swagger UI's files revalidate (ETag) rather than download again; the document is never stored.
  app.use(DOCS_PATH, docsHeaders('no-cache'));
  app.use(DOCUMENT_PATH, docsHeaders('no-store'));
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app, { cookieName, basePath }), {
    jsonDocumentUrl: DOCUMENT_PATH,
    raw: ['json'],
    customSiteTitle: 'OneAccess BFF API',
    swaggerOptions: {
      // Without the top bar: it holds only Swagger's logo, an inline SVG whose own <style>
      // element the policy would have to allow, and the URL box that is hidden anyway.
      layout: 'BaseLayout',
      // Never keep the admin bearer a person types in localStorage.
      persistAuthorization: false,
    },
  });
}
