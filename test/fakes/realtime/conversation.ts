// The conversation as the server holds it: items in order, each with the audio bytes it carries.
import type { Emit } from './protocol.ts';

export interface ConversationItem {
  item: Record<string, any>;
  /** Bytes of audio in the item's audio content (assistant audio), for truncate checks. */
  audioBytes: number;
}

export class Conversation {
  readonly #emit: Emit;
  readonly #items = new Map<string, ConversationItem>();
  readonly #order: string[] = [];

  constructor(emit: Emit) {
    this.#emit = emit;
  }

  get(itemId: string): ConversationItem | undefined {
    return this.#items.get(itemId);
  }

  has(itemId: string): boolean {
    return this.#items.has(itemId);
  }

  /** The id of the last item, or null when the conversation is empty. */
  get lastId(): string | null {
    return this.#order.at(-1) ?? null;
  }

  /** Insert after `previousItemId` (null: first; undefined: last) and send `conversation.item.added`. */
  add(item: Record<string, any>, previousItemId?: string | null): void {
    const previous = previousItemId === undefined ? this.lastId : previousItemId;
    this.#items.set(item.id, { item, audioBytes: 0 });
    const at = previous === null ? 0 : this.#order.indexOf(previous) + 1;
    this.#order.splice(at, 0, item.id);
    this.#emit('conversation.item.added', { previous_item_id: previous, item: structuredClone(item) });
  }

  /** Store the item's final form and send `conversation.item.done`. */
  complete(item: Record<string, any>, audioBytes = 0): void {
    const stored = this.#items.get(item.id);
    if (stored) {
      stored.item = item;
      stored.audioBytes = audioBytes;
    }
    const at = this.#order.indexOf(item.id);
    this.#emit('conversation.item.done', { previous_item_id: at > 0 ? this.#order[at - 1] : null, item: structuredClone(item) });
  }

  /** Remove an item; false if there is none with that id. */
  delete(itemId: string): boolean {
    if (!this.#items.delete(itemId)) return false;
    this.#order.splice(this.#order.indexOf(itemId), 1);
    return true;
  }
}
