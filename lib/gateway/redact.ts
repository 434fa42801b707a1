/**
 * Keeps secrets out of anything a client or a log line sees: the credential itself and
 * the ways upstreams echo it (any letter case, base64 or base64url of it or of a
 * `user:credential` basic-auth pair, URL-encoded, or cut after a long prefix), anything
 * shaped like an API key, and Authorization header values.
 *
 * A JSON body is redacted on its parsed structure and serialised again, so a redaction
 * can never eat the backslash of an escaped quote and leave the client invalid JSON.
 */
const KEY_SHAPES = /\b(sk|pk|rk|gsk|xai|sk-ant|sk-proj|sk-sy-v1)[-_][A-Za-z0-9_\-]{8,}/g;
/** Authorization values: stop at quotes and backslashes, which belong to the surrounding text; a basic-auth value is base64. */
const BEARER_VALUES = /\b(Bearer\s+)[^\s"'\\,;]+/gi;
const BASIC_VALUES = /\b(Basic\s+)[A-Za-z0-9+/]{8,}={0,2}/g;
/** A run of URL-safe characters that holds at least one percent escape. */
const PERCENT_RUNS = /[A-Za-z0-9._~+-]*(?:%[0-9A-Fa-f]{2}[A-Za-z0-9._~+-]*)+/g;
const BASE64_CHARS = "A-Za-z0-9+/_-";
const REDACTED = "[redacted]";

/** Shorter secrets would match ordinary words. */
const MIN_SECRET_LENGTH = 6;
/** An echo of this many leading characters counts as the credential. */
export const SECRET_PREFIX_LENGTH = 12;
/** Base64 fragments shorter than this are too common to treat as the credential. */
const MIN_BASE64_CORE = 12;

type SecretForms = { plain: RegExp; percentNeedles: string[]; base64: RegExp | null };

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The parts of base64(prefix + secret) that depend only on the secret, for each of the three
 * alignments a prefix (a basic-auth user name, say) can give it: any encoding of a text
 * holding the secret contains one of them, in the standard or the URL-safe alphabet.
 */
export function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const cores = new Set<string>();
  for (let pad = 0; pad < 3; pad++) {
    const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString("base64");
    const core = encoded.slice(pad === 0 ? 0 : 4, 4 * Math.floor((pad + bytes.length) / 3));
    if (core.length < MIN_BASE64_CORE) continue;
    cores.add(core);
    cores.add(core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return [...cores];
}

function formsOf(secret: string): SecretForms {
  const prefix = secret.slice(0, SECRET_PREFIX_LENGTH);
  const cores = base64Cores(secret);
  return {
    // The whole secret, or its long prefix followed by whatever of the secret's characters came next.
    plain: new RegExp(`${escapeRegExp(prefix)}[A-Za-z0-9._~+/=-]*`, "gi"),
    percentNeedles: [secret.toLowerCase(), prefix.toLowerCase()],
    base64: cores.length > 0 ? new RegExp(`[${BASE64_CHARS}]*(?:${cores.map(escapeRegExp).join("|")})[${BASE64_CHARS}]*=*`, "g") : null,
  };
}

const lenientUtf8 = new TextDecoder("utf-8", { fatal: false });

/**
 * A percent run decoded as a client would, leniently: a stray escape that is not UTF-8 (`%A0`) becomes U+FFFD
 * instead of failing the whole run, so a secret encoded right after it is still found.
 */
function decodePercent(run: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < run.length; i++) {
    const hex = run[i] === "%" ? run.slice(i + 1, i + 3) : "";
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(run[i] === "+" ? 0x20 : run.charCodeAt(i));
    }
  }
  return lenientUtf8.decode(Uint8Array.from(bytes));
}

function redactText(text: string, forms: SecretForms[]): string {
  let out = text;
  for (const form of forms) {
    out = out.replace(PERCENT_RUNS, (run) => {
      const decoded = decodePercent(run).toLowerCase();
      return form.percentNeedles.some((needle) => decoded.includes(needle)) ? REDACTED : run;
    });
    if (form.base64) out = out.replace(form.base64, REDACTED);
    out = out.replace(form.plain, REDACTED);
  }
  return out
    .replace(KEY_SHAPES, (match) => `${match.slice(0, 3)}…${REDACTED}`)
    .replace(BEARER_VALUES, `$1${REDACTED}`)
    .replace(BASIC_VALUES, `$1${REDACTED}`);
}

function redactValue(value: unknown, forms: SecretForms[]): unknown {
  if (typeof value === "string") return redactText(value, forms);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, forms));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redactText(key, forms), redactValue(item, forms)]));
  }
  return value;
}

/** A JSON document's value, or undefined when the text is not one (plain text, HTML, a cut body). */
function parseJson(text: string): { value: unknown } | undefined {
  const first = text.trimStart()[0];
  if (first !== "{" && first !== "[" && first !== '"') return undefined;
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

export function redactSecrets(text: string, secrets: (string | null | undefined)[] = []): string {
  const forms = secrets.filter((s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH).map(formsOf);
  const json = parseJson(text);
  if (json) return JSON.stringify(redactValue(json.value, forms));
  return redactText(text, forms);
}
