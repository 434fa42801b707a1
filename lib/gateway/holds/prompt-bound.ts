/**
 * An upper bound of the prompt tokens an upstream can bill for a request body, in one
 * pass over its bytes and without a tokenizer (tokenizing a large prompt blocked the
 * event loop for up to seconds). The bound rests on one fact: every token of a
 * byte-level BPE covers at least one UTF-8 byte, so a text never has more tokens than
 * bytes. Counting the body's JSON bytes (keys, quotes and punctuation included) bounds
 * its text and leaves room for each message's role and separator tokens; media are
 * sized per kind below, since their bytes are not what the upstream bills.
 */

/**
 * Tokens one image can cost, whatever its payload: every provider scales an image down
 * to a bounded size before counting it (Anthropic: 1,568 px long edge, ~1,600 tokens;
 * its high-resolution models ~4,800; OpenAI detail "high": 1,445 with tiles, ~2,500
 * with 32-px patches). Its base64 length is no bound (a tiny PNG can be 2,000 × 2,000
 * px), so URL and inline images alike count this documented maximum.
 */
export const IMAGE_TOKEN_BOUND = 6_400;
/** Per PDF page: Anthropic bills its text (≤ ~3,000 tokens) plus an image of it (≤ ~1,600). */
export const PDF_PAGE_TOKEN_BOUND = 4_800;
/** The tool-use instructions a provider adds to the prompt when tools are given (Anthropic: ~350). */
export const TOOLS_OVERHEAD_TOKENS = 1_024;
/** A file known only by reference (file_id, URL document): the model's whole context. */
const UNKNOWN_SIZE = Number.POSITIVE_INFINITY;

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

const PAGE_MARKER = /\/Type\s*\/Page(?!s)/g;

/**
 * A base64 PDF: its decoded bytes (an uncompressed page's text has no more tokens than
 * bytes) or its pages at PDF_PAGE_TOKEN_BOUND each, whichever is larger. Pages are
 * counted from the page objects in the file (O(bytes)).
 */
export function pdfTokenBound(base64: string): number {
  const decoded = Buffer.from(base64, "base64");
  const pages = decoded.toString("latin1").match(PAGE_MARKER)?.length ?? 0;
  return Math.max(decoded.byteLength, pages * PDF_PAGE_TOKEN_BOUND);
}

const DATA_URL_BASE64 = /^data:[^;,]*;base64,/;

function documentSourceBound(source: unknown): number | null {
  if (!isRecord(source)) return null;
  if (source.type === "base64" && typeof source.data === "string") return pdfTokenBound(source.data);
  if (source.type === "url" || source.type === "file") return UNKNOWN_SIZE;
  return null;
}

/**
 * A Gemini part's media (no `type`: the part holds inlineData or fileData): an image at the
 * image bound, inline PDF bytes as a PDF, anything else known only by URI (video, audio,
 * documents) at the unknown size; inline audio and video are counted by their bytes.
 */
function geminiMediaBound(block: Json): number | null {
  const inline = isRecord(block.inlineData) ? block.inlineData : null;
  const file = isRecord(block.fileData) ? block.fileData : null;
  const media = inline ?? file;
  if (!media) return null;
  const type = typeof media.mimeType === "string" ? media.mimeType : "";
  if (type.startsWith("image/")) return IMAGE_TOKEN_BOUND;
  if (inline) return type === "application/pdf" && typeof inline.data === "string" ? pdfTokenBound(inline.data) : null;
  return UNKNOWN_SIZE;
}

/** The bound of a media block, or null for an ordinary object (counted by its bytes). */
function mediaBound(block: Json): number | null {
  if (block.type === undefined) return geminiMediaBound(block);
  switch (block.type) {
    case "image":
    case "image_url":
    case "input_image":
      return IMAGE_TOKEN_BOUND;
    case "document":
      // Text and content documents are counted as text, by their bytes.
      return documentSourceBound(block.source);
    case "input_file":
      // Responses: a data URL inline, else a file known by id or URL only.
      return typeof block.file_data === "string" ? pdfTokenBound(block.file_data.replace(DATA_URL_BASE64, "")) : UNKNOWN_SIZE;
    case "file": {
      const file = isRecord(block.file) ? block.file : {};
      if (typeof file.file_data === "string") return pdfTokenBound(file.file_data.replace(DATA_URL_BASE64, ""));
      return UNKNOWN_SIZE;
    }
    default:
      return null;
  }
}

function bytesOf(value: unknown): number {
  if (typeof value === "string") return Buffer.byteLength(value, "utf8") + 2;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + bytesOf(item) + 1, 2);
  if (isRecord(value)) {
    const media = mediaBound(value);
    if (media !== null) return media;
    let sum = 2;
    for (const [key, item] of Object.entries(value)) sum += Buffer.byteLength(key, "utf8") + 4 + bytesOf(item);
    return sum;
  }
  return value === null || value === undefined ? 4 : String(value).length;
}

/**
 * The most prompt tokens `body` (a Messages, Chat Completions, Responses or Gemini request) can be billed
 * for; Infinity when it refers to a file of unknown size (callers clamp to the context).
 */
export function promptTokenBound(body: Json): number {
  const tools = Array.isArray(body.tools) && body.tools.length > 0 ? TOOLS_OVERHEAD_TOKENS : 0;
  return bodyBytes(body) + tools;
}

/**
 * A body's members' sizes, kept per member object: the client's body and each
 * same-protocol upstream body share their messages and tools, so a request's bound and
 * its candidates' bounds walk a large prompt once. Bodies are not changed once parsed.
 */
const memberSizes = new WeakMap<object, number>();

function bodyBytes(body: Json): number {
  const media = mediaBound(body);
  if (media !== null) return media;
  let sum = 2;
  for (const key of Object.keys(body)) {
    const item = body[key];
    let size = typeof item === "object" && item !== null ? memberSizes.get(item) : undefined;
    if (size === undefined) {
      size = bytesOf(item);
      if (typeof item === "object" && item !== null) memberSizes.set(item, size);
    }
    sum += Buffer.byteLength(key, "utf8") + 4 + size;
  }
  return sum;
}
