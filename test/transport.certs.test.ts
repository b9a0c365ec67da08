import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../src/clock/system.js';
import { ensureDefaultCerts, generateCerts } from '../src/transport/certs.js';
import { connectOcpp } from '../src/transport/client.js';
import { startOcppServer } from '../src/transport/server.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'chargecheck-certs-'));
  dirs.push(d);
  return d;
}

describe('generateCerts', () => {
  it('writes the CA, the RSA server cert, an ECDSA server cert and client certs; a second run keeps them all', async () => {
    const outDir = await tempDir();
    const first = await generateCerts({ outDir, clients: ['CP001'], ecdsa: true });
    expect(first.items.map((i) => [i.name, i.action])).toEqual([
      ['ca', 'created'],
      ['server', 'created'],
      ['ca-ecdsa', 'created'],
      ['server-ecdsa', 'created'],
      ['client:CP001', 'created'],
    ]);
    const server = new X509Certificate(await readFile(join(outDir, 'server.pem'), 'utf8'));
    const ca = new X509Certificate(await readFile(join(outDir, 'ca.pem'), 'utf8'));
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.publicKey.asymmetricKeyType).toBe('rsa');
    expect(server.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(server.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    const ecdsa = new X509Certificate(await readFile(join(outDir, 'server-ecdsa.pem'), 'utf8'));
    expect(ecdsa.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const client = new X509Certificate(await readFile(join(outDir, 'CP001.pem'), 'utf8'));
    expect(client.subject).toMatch(/^CN=CP001$/m);
    expect(client.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(client.verify(ca.publicKey)).toBe(true);
    expect((await stat(join(outDir, 'ca.key'))).mode & 0o077).toBe(0);

    const before = await readFile(join(outDir, 'server.pem'), 'utf8');
    const second = await generateCerts({ outDir, clients: ['CP001'], ecdsa: true });
    expect(second.created).toEqual([]);
    expect(second.reissued).toEqual([]);
    expect(second.kept).toHaveLength(10);
    expect(await readFile(join(outDir, 'server.pem'), 'utf8')).toBe(before);
  });

  it('adding a host reissues only the server cert, with that SAN; a new client id adds only its files', async () => {
    const outDir = await tempDir();
    await generateCerts({ outDir });
    const caBefore = await readFile(join(outDir, 'ca.pem'), 'utf8');
    const r = await generateCerts({ outDir, hosts: ['csms.test', '10.1.2.3'], clients: ['CP 7'] });
    expect(r.items.map((i) => [i.name, i.action, i.reason])).toEqual([
      ['ca', 'kept', undefined],
      ['server', 'reissued', 'missing host csms.test, 10.1.2.3'],
      ['client:CP 7', 'created', undefined],
    ]);
    expect(await readFile(join(outDir, 'ca.pem'), 'utf8')).toBe(caBefore);
    const server = new X509Certificate(await readFile(join(outDir, 'server.pem'), 'utf8'));
    expect(server.checkHost('csms.test')).toBe('csms.test');
    expect(server.checkIP('10.1.2.3')).toBe('10.1.2.3');
    expect(r.created).toContain(join(outDir, 'CP%207.pem'));
  });

  it('reissues a damaged server key and everything under a replaced CA', async () => {
    const outDir = await tempDir();
    await generateCerts({ outDir, clients: ['CP001'] });
    await writeFile(join(outDir, 'server.key'), 'garbage');
    const r1 = await generateCerts({ outDir, clients: ['CP001'] });
    expect(r1.items.map((i) => i.action)).toEqual(['kept', 'reissued', 'kept']);
    await rm(join(outDir, 'ca.key'));
    const r2 = await generateCerts({ outDir, clients: ['CP001'] });
    expect(r2.items.map((i) => i.action)).toEqual(['created', 'reissued', 'reissued']);
  });

  it('ensureDefaultCerts gives a listener a working certificate chain', async () => {
    const dir = await tempDir();
    const certs = await ensureDefaultCerts(dir);
    const server = await startOcppServer({ certs: [certs.server] });
    try {
      const conn = await connectOcpp({ endpoint: server.url, id: 'CP001', clock: new SystemClock(), ca: certs.ca });
      expect(conn.tls?.version).toBe('TLSv1.2');
      conn.close();
    } finally {
      await server.close();
    }
    expect((await ensureDefaultCerts(dir)).result.created).toEqual([]);
  });
});
