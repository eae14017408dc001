// The console's page and its assets, as Bun bundles page/index.html: ahead of time in the compiled
// binary (the HTML import's `files`), or once, at the first request, when run from source
// (Bun.build, as Bun.serve would). Served by our own routes rather than by handing Bun.serve the
// HTML import: a route of that kind takes no headers, and every console response must carry the
// console's (browser-policy.ts). The assets move under /console/assets/, with the page.
import { basename } from 'node:path';
import page from './page/index.html';

export const ASSETS_PATH = '/console/assets';

interface Asset {
  body: Uint8Array;
  type: string;
  etag: string;
}

interface Bundle {
  html: Asset;
  /** By file name (content-hashed by the bundler). */
  assets: Map<string, Asset>;
}

interface BuiltFile {
  path: string;
  type: string;
  bytes: () => Promise<Uint8Array>;
}

async function builtFiles(): Promise<BuiltFile[]> {
  if (page.files) {
    return page.files.map((file) => ({ path: file.path, type: file.headers['content-type'], bytes: () => Bun.file(file.path).bytes() }));
  }
  const build = await Bun.build({ entrypoints: [page.index], target: 'browser', minify: true });
  if (!build.success) throw new Error(`the console page did not build: ${build.logs.join('; ')}`);
  return build.outputs.map((output) => ({ path: output.path, type: output.type, bytes: async () => new Uint8Array(await output.arrayBuffer()) }));
}

const asset = (body: Uint8Array, type: string): Asset => ({ body, type, etag: `"${Bun.hash(body).toString(36)}"` });

async function load(): Promise<Bundle> {
  const files = await builtFiles();
  const assets = new Map<string, Asset>();
  let html: string | undefined;
  for (const file of files) {
    const bytes = await file.bytes();
    if (file.type.startsWith('text/html')) html = new TextDecoder().decode(bytes);
    else assets.set(basename(file.path), asset(bytes, file.type));
  }
  if (html === undefined) throw new Error('the console page bundle has no HTML');
  // The bundler names its chunks from the root (or beside the page): point them at our route.
  const rewritten = await new HTMLRewriter()
    .on('script[src], link[href]', {
      element(element) {
        const name = element.tagName === 'script' ? 'src' : 'href';
        const file = basename(element.getAttribute(name) ?? '');
        if (assets.has(file)) element.setAttribute(name, `${ASSETS_PATH}/${file}`);
      },
    })
    .transform(new Response(html))
    .text();
  return { html: asset(new TextEncoder().encode(rewritten), 'text/html;charset=utf-8'), assets };
}

let bundle: Promise<Bundle> | undefined;

/** Built once per process; a failed build is tried again at the next request. */
function loaded(): Promise<Bundle> {
  bundle ??= load().catch((error: unknown) => {
    bundle = undefined;
    throw error;
  });
  return bundle;
}

/** GET /console. */
export async function consolePage(request: Request): Promise<Response> {
  return serve(request, (await loaded()).html, 'no-cache');
}

/** GET /console/assets/:file; the names change with their content, so they may be kept. */
export async function consoleAsset(request: Request): Promise<Response> {
  const name = new URL(request.url).pathname.slice(ASSETS_PATH.length + 1);
  const found = (await loaded()).assets.get(name);
  return found ? serve(request, found, 'public, max-age=31536000, immutable') : new Response('Not Found\n', { status: 404 });
}

function serve(request: Request, { body, type, etag }: Asset, cacheControl: string): Response {
  const headers = { 'content-type': type, etag, 'cache-control': cacheControl };
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  return new Response(body, { headers });
}
