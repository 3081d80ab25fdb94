/**
 * HTTP: `GET /` without credentials; the status line, the Server header, and what the body
 * says when it is an API that should never answer strangers: Elasticsearch/OpenSearch
 * ("You Know, for Search"), the Docker Engine API (Server: Docker/…, or /version with
 * ApiVersion), etcd (/version with etcdserver). A 401 with Basic or Digest over plain
 * HTTP is a cleartext login (RFC 7617 §4).
 *
 * @module
 */
import type { Recognition } from '../../model/probe.js';
import type { TcpDialogue } from './types.js';
import { ascii, firstLine, latin1, recognition } from './text.js';

export interface HttpResponse {
  version: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parse an HTTP/1.x response head (and what body arrived); null when it is not one. */
export function parseHttpResponse(b: Buffer): HttpResponse | null {
  const text = latin1(b);
  const m = /^HTTP\/(\d\.\d) (\d{3})[^\r\n]*\r?\n/.exec(text);
  if (!m) return null;
  const headEnd = text.search(/\r?\n\r?\n/);
  const head = headEnd < 0 ? text : text.slice(0, headEnd);
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/).slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = headEnd < 0 ? '' : text.slice(headEnd).replace(/^\r?\n\r?\n/, '');
  return { version: m[1]!, status: Number(m[2]), headers, body };
}

/** A request for `path`, HTTP/1.0 so the server closes when done. */
export function httpGet(path: string, host: string): Buffer {
  return ascii(`GET ${path} HTTP/1.0\r\nHost: ${host}\r\nUser-Agent: portcullis-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n`);
}

/** The dialogue over an already-open byte stream (plain TCP, or TLS when `tls`). */
export function httpDialogue(host: string, tls: boolean): TcpDialogue {
  return {
    name: tls ? 'https-get' : 'http-get',
    next(replies) {
      if (replies.length === 0) return httpGet('/', host);
      // Docker answers / with 404 and names itself; /version says whether it is the Engine API or etcd.
      const first = parseHttpResponse(replies[0]!);
      if (replies.length === 1 && first && first.status === 404) return httpGet('/version', host);
      return null;
    },
    // HTTP/1.0 + Connection: close: the server ends the response by closing; stop early once a body with a length has arrived.
    complete(reply) {
      const r = parseHttpResponse(reply);
      const length = r ? Number(r.headers['content-length'] ?? NaN) : NaN;
      return r !== null && Number.isFinite(length) && Buffer.byteLength(r.body, 'latin1') >= length;
    },
    judge: (replies) => judgeHttp(replies, tls),
  };
}

export function judgeHttp(replies: readonly Buffer[], tls: boolean): Recognition | null {
  const root = parseHttpResponse(replies[0] ?? Buffer.alloc(0));
  if (!root) return null;
  const version = replies[1] ? parseHttpResponse(replies[1]) : null;
  const server = root.headers['server'] ?? null;
  const banner = firstLine(replies[0]!);
  const facts = [`GET / answered ${root.status}${server ? ` (Server: ${server})` : ''}`];
  const authHeader = root.headers['www-authenticate'] ?? '';
  const basic = /^\s*(Basic|Digest)\b/i.test(authHeader);
  const base = { product: server, banner, facts };
  if (/You Know, for Search/.test(root.body) || /"cluster_name"\s*:/.test(root.body)) {
    return recognition('elasticsearch', { ...base, auth: root.status === 200 ? 'none' : 'required', facts: [...facts, root.status === 200 ? 'cluster information served without credentials' : 'credentials required'] });
  }
  if (root.status === 401 && /realm="(security|elasticsearch)"/i.test(authHeader)) return recognition('elasticsearch', { ...base, auth: 'required' });
  if (/^Docker\//.test(server ?? '') || (version && /"ApiVersion"\s*:/.test(version.body))) {
    return recognition('docker', { ...base, auth: tls ? 'unknown' : 'none', facts: [...facts, tls ? 'Docker Engine API over TLS' : 'Docker Engine API without TLS: root on the host for anyone who connects'] });
  }
  if (version && /"etcdserver"\s*:/.test(version.body)) {
    return recognition('etcd', { ...base, auth: version.status === 200 ? 'none' : 'required', facts: [...facts, '/version answered without credentials'] });
  }
  return recognition(tls ? 'https' : 'http', {
    ...base,
    auth: root.status === 401 ? 'required' : null,
    ...(basic && !tls ? { cleartextLogin: true } : {}),
    facts: basic && !tls ? [...facts, `${authHeader.split(/\s/)[0]} authentication over plain HTTP`] : facts,
  });
}
