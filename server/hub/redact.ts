// Keeps the token out of every message the Hub layer produces, including text that
// came from the network (error bodies, headers) and might echo it back.

export function redact(text: string, secret: string | undefined): string {
  let out = text;
  // Any length: a short token is still a secret (it may match other text; better hidden too).
  if (secret) out = out.split(secret).join('***');
  // Hugging Face user tokens have a recognisable prefix; hide any that slip in from elsewhere,
  // and whatever follows "Bearer" (an echoed Authorization header).
  return out.replace(/\bhf_[A-Za-z0-9]{8,}\b/g, 'hf_***').replace(/\b(Bearer)\s+[^\s"',;]+/gi, '$1 ***');
}

/** Short, single-line, printable excerpt of text from the network, for messages. */
export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
