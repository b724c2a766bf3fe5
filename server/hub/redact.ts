// Keeps the token out of every message the Hub layer produces, including text that
// came from the network (error bodies, headers) and might echo it back.

export function redact(text: string, secret: string | undefined): string {
  let out = text;
  if (secret && secret.length >= 4) out = out.split(secret).join('***');
  // Hugging Face user tokens have a recognisable prefix; hide any that slip in from elsewhere.
  return out.replace(/\bhf_[A-Za-z0-9]{8,}\b/g, 'hf_***');
}

/** Short, single-line, printable excerpt of text from the network, for messages. */
export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
