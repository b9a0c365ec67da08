import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { RPCClient, RPCServer } from 'ocpp-rpc';
import type { PemPair } from '../../src/transport/pki.js';
import { ELB_TLS_1_2_EXT_2018_06 as POLICY } from '../../src/transport/tls-policy.js';

/** The options ocpp-rpc's RPCClient constructor takes (its .d.ts marks them all required). */
export type RpcClientOptions = ConstructorParameters<typeof RPCClient>[0];

export function rpcClient(options: Partial<RpcClientOptions>): InstanceType<typeof RPCClient> {
  return new RPCClient({ reconnect: false, protocols: ['ocpp1.6'], ...options } as RpcClientOptions);
}

export interface TlsRpcServer {
  readonly rpc: RPCServer;
  readonly https: Server;
  /** wss://127.0.0.1:PORT/ocpp (append /<id>). */
  readonly url: string;
  /** Every upgrade the auth callback refused, as [identity, status]. */
  readonly refused: [string, number][];
  /** Resolves with the next accepted client. */
  nextClient(): Promise<InstanceType<typeof RPCClient>>;
  close(): Promise<void>;
}

/**
 * ocpp-rpc's RPCServer (strict 1.6) behind an HTTPS server (ELB 2018-06 policy) on 127.0.0.1:0, with its auth
 * callback checking the Basic password bytes against `passwords` (id → Buffer).
 */
export async function startTlsRpcServer(cert: PemPair, passwords: Readonly<Record<string, Buffer>>): Promise<TlsRpcServer> {
  const rpc = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
  const refused: [string, number][] = [];
  rpc.auth((accept, reject, handshake) => {
    const expected = passwords[handshake.identity];
    if (!expected) {
      refused.push([handshake.identity, 404]);
      return reject(404, 'unknown charge point');
    }
    if (!handshake.password || !handshake.password.equals(expected)) {
      refused.push([handshake.identity, 401]);
      return reject(401, 'bad password');
    }
    accept({ id: handshake.identity });
  });
  // the same TLS policy our own listener uses, as a load balancer in front of such a CSMS would
  const https = createServer({ cert: cert.cert, key: cert.key, minVersion: POLICY.minVersion, maxVersion: POLICY.maxVersion, ciphers: POLICY.ciphers, honorCipherOrder: POLICY.honorCipherOrder });
  https.on('upgrade', rpc.handleUpgrade);
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  const { port } = https.address() as AddressInfo;
  return {
    rpc,
    https,
    url: `wss://127.0.0.1:${port}/ocpp`,
    refused,
    nextClient: () => new Promise((resolve) => rpc.once('client', resolve)),
    close: async () => {
      await rpc.close({ force: true });
      https.closeAllConnections();
      await new Promise<void>((resolve) => https.close(() => resolve()));
    },
  };
}
