/**
 * A page's text gathered, as it is made, into flat chunks of about 64 K characters (issue 8).
 * kube-proxy 5,000's HTML page has ~15,000 table rows and service cards: kept in lists until
 * one join, every row's string tree outlived the young generation and was copied twice by its
 * scavenges (~20 MB), then the page was copied whole twice more (the join, then the flat copy
 * its encoding asks for). Here a chunk's parts die young, and a writer takes the chunks as
 * they are.
 *
 * @module
 */

/** Characters gathered before they are joined into one chunk. */
const CHUNK_CHARS = 1 << 16;

export class TextChunks {
  private readonly chunks: string[] = [];
  private readonly parts: string[] = [];
  private chars = 0;

  /**
   * `emit`: where each chunk goes once cut, instead of the list {@link done} returns. A writer
   * that takes chunks as they are made keeps none: held until the page was done, kube-proxy
   * 5,000's 4.9 MB page outlived the young generation and was copied twice by its scavenges (issue 8).
   */
  constructor(
    private readonly chunkChars = CHUNK_CHARS,
    private readonly emit?: (chunk: string) => void,
  ) {}

  push(part: string): void {
    this.parts.push(part);
    this.chars += part.length;
    if (this.chars >= this.chunkChars) this.cut();
  }

  /** The chunks, in order (those not handed to `emit`); their concatenation is every part pushed. */
  done(): string[] {
    if (this.parts.length > 0) this.cut();
    return this.chunks;
  }

  private cut(): void {
    const chunk = this.parts.join('');
    if (this.emit === undefined) this.chunks.push(chunk);
    else this.emit(chunk);
    this.parts.length = 0;
    this.chars = 0;
  }
}
