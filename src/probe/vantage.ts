/**
 * The source address this host would use towards a target: a connected UDP socket gets
 * its local address from the routing table without sending a packet.
 *
 * @module
 */
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';

export function sourceAddressFor(target: string): Promise<string | null> {
  return new Promise((resolve) => {
    const sock = createSocket(isIP(target) === 6 ? 'udp6' : 'udp4');
    sock.once('error', () => {
      sock.close();
      resolve(null);
    });
    // Port 9 (discard): nothing is sent by connect() on a datagram socket.
    sock.connect(9, target, () => {
      const local = sock.address().address;
      sock.close();
      resolve(local);
    });
  });
}
