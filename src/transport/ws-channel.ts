import type { WebSocket, RawData } from 'ws';
import type { ChannelReceiver, FrameChannel } from '../rpc/channel.js';

export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

/** A FrameChannel over a ws socket, plus a promise that settles when the socket has closed. */
export interface WsChannel extends FrameChannel {
  readonly closed: Promise<CloseInfo>;
}

/**
 * Adapts an open ws WebSocket to FrameChannel. Frames (and a close) that arrive before
 * `attach` are kept and delivered to the receiver when it is attached. OCPP-J is text-only;
 * a binary frame is decoded as UTF-8 and delivered like text, for rpc/ to classify.
 */
export function wsChannel(socket: WebSocket): WsChannel {
  let receiver: ChannelReceiver | undefined;
  let backlog: string[] = [];
  let closedWith: CloseInfo | undefined;
  let resolveClosed: (info: CloseInfo) => void = () => {};
  const closed = new Promise<CloseInfo>((resolve) => {
    resolveClosed = resolve;
  });

  socket.on('message', (data: RawData) => {
    const text = rawToText(data);
    if (receiver) receiver.text(text);
    else backlog.push(text);
  });
  socket.on('close', (code: number, reason: Buffer) => {
    closedWith = { code, reason: reason.toString('utf8') };
    resolveClosed(closedWith);
    receiver?.closed(closedWith.code, closedWith.reason);
  });
  // An 'error' is always followed by 'close'; listening keeps it from being thrown.
  socket.on('error', () => {});

  return {
    closed,
    get isOpen(): boolean {
      return socket.readyState === socket.OPEN;
    },
    send(data: string): void {
      if (socket.readyState === socket.OPEN) socket.send(data);
    },
    close(code = 1000, reason = ''): void {
      if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, reason);
    },
    attach(r: ChannelReceiver): void {
      receiver = r;
      const pending = backlog;
      backlog = [];
      for (const text of pending) r.text(text);
      if (closedWith) r.closed(closedWith.code, closedWith.reason);
    },
  };
}

function rawToText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
