import type {Writable} from 'node:stream';

/**
 * Buffered line output for a stream that may be closed under us (`spor log | head`): once the
 * reader is gone, writes stop and `closed` tells the caller to stop too, instead of crashing on
 * EPIPE.
 */
export class LineOutput {
  private buffer = '';
  closed = false;

  constructor(
    private readonly stream: Writable,
    private readonly onClose: () => void = () => {},
  ) {
    // EPIPE in practice; any write error means nobody reads what follows.
    stream.on('error', () => {
      this.closed = true;
      this.onClose();
    });
  }

  line(text: string): void {
    if (this.closed) return;
    this.buffer += `${text}\n`;
    if (this.buffer.length >= 64 * 1024) this.flush();
  }

  flush(): void {
    if (this.closed || this.buffer === '') return;
    this.stream.write(this.buffer);
    this.buffer = '';
  }
}
