/**
 * A text channel carrying OCPP-J frames: a WebSocket (transport/ adapts ws to it) or an
 * in-memory pair. rpc/ only ever sees this interface.
 */
export interface ChannelReceiver {
  text(data: string): void;
  closed(code: number, reason: string): void;
}

export interface FrameChannel {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** Installs the receiver; frames that arrived earlier are delivered to it. */
  attach(receiver: ChannelReceiver): void;
  readonly isOpen: boolean;
}

/**
 * Two linked in-memory channels: what one sends the other receives on a later microtask.
 * Used by tests and by in-process runs where a socket adds nothing.
 */
export function channelPair(): [FrameChannel, FrameChannel] {
  const a = new MemoryChannel();
  const b = new MemoryChannel();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

class MemoryChannel implements FrameChannel {
  peer: MemoryChannel | undefined;
  private receiver: ChannelReceiver | undefined;
  private backlog: string[] = [];
  private open = true;

  get isOpen(): boolean {
    return this.open;
  }

  send(data: string): void {
    if (!this.open) return;
    const peer = this.peer!;
    queueMicrotask(() => peer.deliver(data));
  }

  close(code = 1000, reason = ''): void {
    if (!this.open) return;
    this.open = false;
    const peer = this.peer!;
    queueMicrotask(() => {
      this.receiver?.closed(code, reason);
      peer.remoteClosed(code, reason);
    });
  }

  attach(receiver: ChannelReceiver): void {
    this.receiver = receiver;
    const pending = this.backlog;
    this.backlog = [];
    for (const d of pending) receiver.text(d);
  }

  private deliver(data: string): void {
    if (!this.open) return;
    if (this.receiver) this.receiver.text(data);
    else this.backlog.push(data);
  }

  private remoteClosed(code: number, reason: string): void {
    if (!this.open) return;
    this.open = false;
    this.receiver?.closed(code, reason);
  }
}
