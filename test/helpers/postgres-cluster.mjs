/**
 * A throwaway PostgreSQL cluster for store tests and the store benchmark: Debian's server
 * binaries (/usr/lib/postgresql/N/bin) run as the postgres user, listening on a Unix socket in
 * a temporary folder only (no TCP port, so parallel runs never collide). Removed by stop(),
 * and on process exit or a signal if the caller never gets there.
 *
 * Plain JS so that bench/ can use it with Node alone.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why a cluster cannot be started here, or null. */
export function postgresUnavailable() {
  if (process.getuid?.() !== 0) return 'not root (the cluster runs as the postgres user, started with runuser)';
  if (!existsSync('/usr/lib/postgresql')) return 'Debian package postgresql is not installed (/usr/lib/postgresql missing; .ci/run installs it)';
  try {
    execFileSync('id', ['postgres'], { stdio: 'ignore' });
    execFileSync('sh', ['-c', 'command -v runuser'], { stdio: 'ignore' });
  } catch {
    return 'no postgres user or no runuser';
  }
  return null;
}

/** Start a cluster; resolves to { url, dir, stop() }. `url` reaches database `portcullis` as postgres. */
export function startPostgres() {
  const version = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b)).pop();
  const bin = `/usr/lib/postgresql/${version}/bin`;
  const dir = mkdtempSync(join(tmpdir(), 'pc-pg-'));
  chmodSync(dir, 0o755);
  execFileSync('chown', ['postgres:postgres', dir]);
  const data = join(dir, 'data');
  const asPostgres = (argv) => execFileSync('runuser', ['-u', 'postgres', '--', ...argv], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  let running = false;
  const stop = () => {
    if (running) {
      try {
        asPostgres([`${bin}/pg_ctl`, '-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already gone
      }
      running = false;
    }
    rmSync(dir, { recursive: true, force: true });
    process.off('exit', stop);
    for (const sig of SIGNALS) process.off(sig, onSignal);
  };
  const onSignal = (sig) => {
    stop();
    process.kill(process.pid, sig);
  };
  process.on('exit', stop);
  for (const sig of SIGNALS) process.once(sig, onSignal);
  try {
    asPostgres([`${bin}/initdb`, '-D', data, '-A', 'trust', '--username=postgres', '--no-sync', '-E', 'UTF8']);
    const port = '5432';
    const options = `-c listen_addresses='' -k ${dir} -p ${port} -c fsync=off -c full_page_writes=off`;
    asPostgres([`${bin}/pg_ctl`, '-D', data, '-l', join(dir, 'log'), '-o', options, '-w', '-t', '60', 'start']);
    running = true;
    asPostgres([`${bin}/createdb`, '-h', dir, '-p', port, 'portcullis']);
    const url = (database = 'portcullis') => `postgresql://postgres@/${database}?host=${encodeURIComponent(dir)}&port=${port}`;
    const createDatabase = (name) => {
      asPostgres([`${bin}/createdb`, '-h', dir, '-p', port, name]);
      return url(name);
    };
    const psql = (database, sql) => asPostgres(['psql', '-h', dir, '-p', port, '-d', database, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql]);
    return { url: url(), dir, createDatabase, psql, stop };
  } catch (err) {
    stop();
    throw err;
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM'];
