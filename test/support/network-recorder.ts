// Preloaded (`node --require`, through NODE_OPTIONS) into a process under test: appends each
// outgoing connection and host-name lookup to the file named by PTM_LENS_NET_LOG, one
// "connect HOST:PORT" or "lookup HOST" per line, so a test can say where the process went.
import dns from 'node:dns'; // the module object itself, so its functions can be wrapped
import * as fs from 'node:fs';
import net from 'node:net';

const log = process.env.PTM_LENS_NET_LOG;

function target(args: unknown[]): string {
  // net.connect() hands the socket an array [options, callback]; direct calls pass options,
  // (port, host) or a pipe path.
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === 'object') {
    const o = first as { path?: string; host?: string; port?: number };
    return o.path ?? `${o.host ?? 'localhost'}:${o.port}`;
  }
  if (typeof first === 'number' || /^\d+$/.test(String(first))) return `${typeof args[1] === 'string' ? args[1] : 'localhost'}:${first}`;
  return String(first);
}

if (log) {
  const record = (line: string) => fs.appendFileSync(log, `${line}\n`);
  const connect = net.Socket.prototype.connect as (...args: unknown[]) => net.Socket;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    record(`connect ${target(args)}`);
    return connect.apply(this, args);
  } as typeof net.Socket.prototype.connect;
  const lookup = dns.lookup as (...args: unknown[]) => void;
  (dns as { lookup: unknown }).lookup = function (this: unknown, hostname: string, ...rest: unknown[]) {
    record(`lookup ${hostname}`);
    return lookup.call(this, hostname, ...rest);
  };
  const lookupPromise = dns.promises.lookup as (...args: unknown[]) => Promise<unknown>;
  (dns.promises as { lookup: unknown }).lookup = function (this: unknown, hostname: string, ...rest: unknown[]) {
    record(`lookup ${hostname}`);
    return lookupPromise.call(this, hostname, ...rest);
  };
}

/** The recorded lines that leave this machine (anything but loopback and local sockets). */
export function outsideLoopback(lines: string[]): string[] {
  const local = /^(connect (127\.\d+\.\d+\.\d+|\[?::1\]?|localhost):\d+|lookup localhost|connect \/.*)$/;
  return lines.filter((line) => line.trim() !== '' && !local.test(line));
}
