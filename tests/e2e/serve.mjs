// A tiny static server for dist/, mounted under a sub-path as GitHub Pages serves a project
// site: /dealerlens/ → dist/index.html. Unlike `trunk serve` it answers 404 for missing files,
// so broken relative paths show up in the tests.
//
//   node serve.mjs [--port 8080] [--dir ../../dist] [--base /dealerlens/]
//
// Imported by the tests: `const srv = await startServer({ port: 0 }); … await srv.close();`

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const DEFAULT_DIR = path.resolve(here, '../../dist');
export const DEFAULT_BASE = '/dealerlens/';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The MIME type of a file name. */
export function mimeType(file) {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Starts the server. Resolves to { url, port, notFound, log, close }: `url` is the app's URL
 * (with the base path), `notFound` lists every path answered with 404, `log` every request
 * (`METHOD /path`).
 */
export function startServer({ dir = DEFAULT_DIR, base = DEFAULT_BASE, port = 0, host = '127.0.0.1' } = {}) {
  const root = path.resolve(dir);
  const baseNoSlash = base.replace(/\/$/, '');
  const notFound = [];
  const log = [];

  const server = http.createServer((req, res) => {
    log.push(`${req.method} ${req.url}`);
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(405, 'Method not allowed', { Allow: 'GET, HEAD' });
    }
    const url = new URL(req.url, 'http://localhost');
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return send(400, 'Bad request');
    }
    // GitHub Pages redirects the bare project path to the one with a slash.
    if (pathname === baseNoSlash || pathname === '/') {
      return send(301, 'Moved', { Location: base });
    }
    const notFoundHere = () => {
      notFound.push(pathname);
      send(404, 'Not found');
    };
    if (!pathname.startsWith(base)) return notFoundHere();

    let file = path.resolve(root, '.' + pathname.slice(base.length - 1));
    if (file !== root && !file.startsWith(root + path.sep)) return notFoundHere();
    let stat;
    try {
      stat = fs.statSync(file);
      if (stat.isDirectory()) {
        file = path.join(file, 'index.html');
        stat = fs.statSync(file);
      }
    } catch {
      return notFoundHere();
    }
    if (!stat.isFile()) return notFoundHere();
    res.writeHead(200, {
      'Content-Type': mimeType(file),
      'Content-Length': stat.size,
      // As GitHub Pages does.
      'Cache-Control': 'max-age=600',
    });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file).pipe(res);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolve({
        port: actual,
        url: `http://${host}:${actual}${base}`,
        notFound,
        log,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

// Run from the command line.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
  };
  const srv = await startServer({
    port: Number(opt('--port', 8080)),
    dir: opt('--dir', DEFAULT_DIR),
    base: opt('--base', DEFAULT_BASE),
  });
  console.log(`Serving ${opt('--dir', DEFAULT_DIR)} at ${srv.url}`);
}
