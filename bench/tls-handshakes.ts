import { connect } from 'node:tls';

/**
 * Raw TLS handshakes per second against a listener (no WebSocket, no HTTP, no OCPP), with
 * `concurrency` in flight: the ceiling for the swarm's connect rate, measured in the same run.
 */
export async function tlsHandshakeRate(port: number, ca: string, total: number, concurrency: number): Promise<number> {
  const start = performance.now();
  let started = 0;
  let failed = 0;
  await new Promise<void>((resolve) => {
    let done = 0;
    const one = (): void => {
      if (started >= total) return;
      started++;
      const socket = connect({ host: '127.0.0.1', port, ca: [ca], minVersion: 'TLSv1.2', rejectUnauthorized: true, servername: 'localhost' });
      const finish = (): void => {
        socket.destroy();
        if (++done === total) resolve();
        else one();
      };
      socket.once('secureConnect', finish);
      socket.once('error', () => {
        failed++;
        finish();
      });
    };
    for (let i = 0; i < Math.min(concurrency, total); i++) one();
  });
  const sec = (performance.now() - start) / 1000;
  return (total - failed) / sec;
}
