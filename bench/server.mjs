// The benchmark's static server. Serves the built app (dist/) under /dealerlens/ as GitHub
// Pages serves a project site, plus two extra routes on the same origin (so that the page's
// Content-Security-Policy, `script-src 'self'` / `connect-src 'self'`, allows them):
//   /dealerlens/__bench/xlsx.full.min.js   SheetJS, from bench/node_modules
//   /dealerlens/__bench/data/<name>         an input file from bench/data (read by SheetJS)
//
// Compression: when the request accepts gzip, text and wasm responses of the app are sent
// gzip-compressed (level 6, compressed once and kept in memory, as a CDN would); input files
// are sent as they are. Responses carry an ETag and Last-Modified, and a matching
// If-None-Match is answered 304, as GitHub Pages does. Every response is logged with the
// number of body bytes actually written, so the harness can total what a first visit
// transfers.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.json', '.webmanifest', '.svg', '.txt']);

export const BASE = '/dealerlens/';

function typeOf(file) {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Starts the server: { dist, sheetjs (path of xlsx.full.min.js), dataDir, gzip (default true) }.
 * Resolves to { url, origin, log, gzipSizes(file), close }. `log` holds
 * { t, path, status, bytes, encoding } for every request, in order.
 */
export function startServer({ dist, sheetjs, dataDir, gzip = true, port = 0 }) {
  const root = path.resolve(dist);
  const log = [];
  const gzCache = new Map();

  const gzipped = (file) => {
    const stat = fs.statSync(file);
    const key = `${file}:${stat.mtimeMs}:${stat.size}`;
    let body = gzCache.get(key);
    if (!body) {
      body = zlib.gzipSync(fs.readFileSync(file), { level: 6 });
      gzCache.set(key, body);
    }
    return body;
  };

  const resolveFile = (pathname) => {
    if (!pathname.startsWith(BASE)) return null;
    const rest = pathname.slice(BASE.length);
    if (rest === '__bench/xlsx.full.min.js') return { file: sheetjs, app: false };
    if (rest.startsWith('__bench/data/')) {
      const name = path.basename(rest.slice('__bench/data/'.length));
      return { file: path.join(dataDir, name), app: false };
    }
    const file = path.resolve(root, rest === '' ? 'index.html' : rest);
    if (file !== root && !file.startsWith(root + path.sep)) return null;
    return { file, app: true };
  };

  const server = http.createServer((req, res) => {
    const entry = { t: performance.now(), path: req.url, status: 0, bytes: 0, encoding: 'identity' };
    log.push(entry);
    const done = (status, headers, body) => {
      entry.status = status;
      res.writeHead(status, headers);
      if (req.method === 'HEAD' || body == null) return res.end();
      if (Buffer.isBuffer(body) || typeof body === 'string') {
        entry.bytes = Buffer.byteLength(body);
        return res.end(body);
      }
      body.on('data', (chunk) => {
        entry.bytes += chunk.length;
      });
      body.pipe(res);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return done(405, { Allow: 'GET, HEAD' }, 'method not allowed');
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return done(400, {}, 'bad request');
    }
    if (pathname === '/' || pathname === BASE.slice(0, -1)) return done(301, { Location: BASE }, 'moved');
    const target = resolveFile(pathname);
    let file = target?.file;
    let stat = null;
    try {
      stat = file && fs.statSync(file);
      if (stat && stat.isDirectory()) {
        file = path.join(file, 'index.html');
        stat = fs.statSync(file);
      }
    } catch {
      stat = null;
    }
    if (!stat || !stat.isFile()) return done(404, { 'Content-Type': 'text/plain' }, 'not found');
    // Validators as GitHub Pages sends them, so that a revalidation (the service worker
    // precaches with `cache: 'no-cache'`) is answered 304 without a body.
    const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    const headers = {
      'Content-Type': typeOf(file),
      'Cache-Control': 'max-age=600',
      ETag: etag,
      'Last-Modified': stat.mtime.toUTCString(),
    };
    if (req.headers['if-none-match'] === etag) return done(304, headers, null);
    const accepts = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    if (gzip && target.app && accepts && COMPRESSIBLE.has(path.extname(file).toLowerCase())) {
      const body = gzipped(file);
      entry.encoding = 'gzip';
      return done(200, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': body.length, Vary: 'Accept-Encoding' }, body);
    }
    return done(200, { ...headers, 'Content-Length': stat.size }, fs.createReadStream(file));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const origin = `http://127.0.0.1:${server.address().port}`;
      resolve({
        origin,
        url: origin + BASE,
        log,
        /** Raw and gzip (level 6) sizes of a file of dist/. */
        sizes(rel) {
          const file = path.join(root, rel);
          return { raw: fs.statSync(file).size, gzip: gzipped(file).length };
        },
        /** Compresses every compressible file of dist/ now, so no request waits for it. */
        warm() {
          for (const name of fs.readdirSync(root, { recursive: true })) {
            const file = path.join(root, name);
            if (fs.statSync(file).isFile() && COMPRESSIBLE.has(path.extname(file).toLowerCase())) gzipped(file);
          }
        },
        close: () =>
          new Promise((r) => {
            server.closeAllConnections?.();
            server.close(() => r());
          }),
      });
    });
  });
}
