// Recognises a license from the text of a LICENSE/COPYING file: the full texts of the
// common licenses (with real-world variants: copyright lines, Markdown, re-wrapped lines)
// and the short notices that point to them ("either version 2 ... or any later version").
// Matching is by phrases that are distinctive and survive reformatting, on normalised text.

export interface Recognised {
  spdx: string;
  /** How it was found, for the user: "SPDX-License-Identifier", "license text" or "license notice". */
  how: 'identifier' | 'text' | 'notice';
}

/** At most this much of a file is read; license texts are far shorter. */
export const MAX_LICENSE_BYTES = 256 * 1024;

/** Lower case, letters and digits only, single spaces: immune to wrapping, Markdown and punctuation. */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u201c\u201d]/g, '"')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

interface Signature {
  spdx: string;
  /** Every one of these must appear (the first is where the text starts). */
  all: (string | RegExp)[];
  /** None of these may appear. */
  none?: (string | RegExp)[];
}

const has = (plain: string, pattern: string | RegExp) => (typeof pattern === 'string' ? plain.includes(pattern) : pattern.test(plain));
const at = (plain: string, pattern: string | RegExp) => (typeof pattern === 'string' ? plain.indexOf(pattern) : plain.search(pattern));
const MIT_NOTICE = /permission notice (including the next paragraph )?shall be included/;

// Order matters: more specific texts before the ones they contain or resemble.
const FULL_TEXTS: Signature[] = [
  { spdx: 'AGPL-3.0', all: ['gnu affero general public license version 3 19 november 2007'] },
  { spdx: 'LGPL-3.0', all: ['gnu lesser general public license version 3 29 june 2007'] },
  { spdx: 'LGPL-2.1', all: ['gnu lesser general public license version 2 1 february 1999'] },
  { spdx: 'LGPL-2.0', all: ['gnu library general public license version 2 june 1991'] },
  { spdx: 'GPL-3.0', all: ['gnu general public license version 3 29 june 2007'] },
  { spdx: 'GPL-2.0', all: ['gnu general public license version 2 june 1991'] },
  { spdx: 'GPL-1.0', all: ['gnu general public license version 1 february 1989'] },
  { spdx: 'GFDL-1.3', all: ['gnu free documentation license version 1 3 3 november 2008'] },
  { spdx: 'GFDL-1.2', all: ['gnu free documentation license version 1 2 november 2002'] },
  { spdx: 'Apache-2.0', all: [/apache license version 2 0|version 2 0 january 2004 http www apache org licenses/, 'terms and conditions for use reproduction and distribution'] },
  { spdx: 'MPL-2.0', all: ['mozilla public license version 2 0'] },
  { spdx: 'MPL-1.1', all: ['mozilla public license version 1 1'] },
  { spdx: 'EPL-2.0', all: ['eclipse public license v 2 0'] },
  { spdx: 'EPL-1.0', all: ['eclipse public license v 1 0'] },
  { spdx: 'BSL-1.0', all: ['boost software license version 1 0'] },
  { spdx: 'Artistic-2.0', all: ['the artistic license 2 0'] },
  { spdx: 'Artistic-1.0-Perl', all: ['the intent of this document is to state the conditions under which a package may be copied', 'aggregation of this package with a commercial distribution'] },
  { spdx: 'Artistic-1.0', all: ['the intent of this document is to state the conditions under which a package may be copied'] },
  { spdx: 'CC0-1.0', all: ['cc0 1 0 universal'] },
  { spdx: 'CC0-1.0', all: ['dedicated all copyright and related and neighboring rights to this software to the public domain worldwide'] },
  { spdx: 'CC-BY-NC-ND-4.0', all: ['attribution noncommercial noderivatives 4 0 international'] },
  { spdx: 'CC-BY-NC-SA-4.0', all: ['attribution noncommercial sharealike 4 0 international'] },
  { spdx: 'CC-BY-NC-4.0', all: ['attribution noncommercial 4 0 international'] },
  { spdx: 'CC-BY-ND-4.0', all: ['attribution noderivatives 4 0 international'] },
  { spdx: 'CC-BY-SA-4.0', all: ['attribution sharealike 4 0 international'] },
  { spdx: 'CC-BY-4.0', all: ['attribution 4 0 international', 'creative commons'] },
  { spdx: 'BlueOak-1.0.0', all: ['blue oak model license', 'version 1 0 0'] },
  { spdx: 'Unlicense', all: ['this is free and unencumbered software released into the public domain'] },
  { spdx: 'WTFPL', all: ['do what the fuck you want to public license'] },
  { spdx: 'Zlib', all: ['altered source versions must be plainly marked as such', 'this notice may not be removed or altered from any source distribution'] },
  { spdx: 'PSF-2.0', all: ['python software foundation license version 2'] },
  { spdx: 'MIT-0', all: ['permission is hereby granted free of charge to any person obtaining a copy'], none: [MIT_NOTICE] },
  { spdx: 'MIT', all: ['permission is hereby granted free of charge to any person obtaining a copy', MIT_NOTICE] },
  { spdx: 'BSD-4-Clause', all: ['redistribution and use in source and binary forms with or without modification are permitted', 'all advertising materials mentioning features or use of this software must display'] },
  { spdx: 'BSD-3-Clause', all: ['redistribution and use in source and binary forms with or without modification are permitted', 'to endorse or promote products derived from this software'] },
  { spdx: 'BSD-2-Clause', all: ['redistribution and use in source and binary forms with or without modification are permitted', 'redistributions in binary form must reproduce the above copyright notice'] },
  { spdx: 'ISC', all: ['for any purpose with or without fee is hereby granted provided that the above copyright notice and this permission notice appear in all copies'] },
  { spdx: 'ISC', all: ['permission to use copy modify and or distribute this software for any purpose with or without fee is hereby granted provided that the above copyright notice and this permission notice appear'] },
  { spdx: '0BSD', all: ['permission to use copy modify and or distribute this software for any purpose with or without fee is hereby granted the software is provided as is'] },
];

const GNU_FAMILY: Record<string, string> = { '': 'GPL', lesser: 'LGPL', library: 'LGPL', affero: 'AGPL' };

/**
 * "... under the terms of the GNU General Public License as published by the FSF; either
 * version 2 ... or (at your option) any later version", and the variants real notices use.
 */
const GNU_NOTICE = /(?:terms|conditions) (?:of )?(?:the )?(?:version (\d)(?: (\d))? of )?(?:the )?gnu (lesser |library |affero )?general public licen[cs]e(?: gpl)?((?: (?!this (?:program|library|package|file|software) is distributed|distributed in the hope)\S+){0,30})/;

interface GnuNotice {
  spdx: string;
  orLater: boolean;
}

function gnuNotice(plain: string): GnuNotice | undefined {
  const match = GNU_NOTICE.exec(plain);
  if (!match) return undefined;
  const tail = match[4] ?? '';
  const version = match[1] ? [match[1], match[2]] : /(?:version|v) ?(\d)(?: (\d))?\b/.exec(tail)?.slice(1, 3);
  if (!version?.[0]) return undefined;
  const family = GNU_FAMILY[(match[3] ?? '').trim()];
  const orLater = /any later version|or later|or newer/.test(tail);
  return { spdx: `${family}-${version[0]}.${version[1] ?? '0'}`, orLater };
}
const GFDL_NOTICE = /gnu free documentation license version (\d) (\d)( or any later version)?/;
const APACHE_NOTICE = /licensed under the apache license version 2 0/;
const IDENTIFIER = /SPDX[- ]License[- ](?:Identifier|Expression):?\s*"?([A-Za-z0-9.+-]+(?:\s+(?:AND|OR|WITH)\s+\(?[A-Za-z0-9.+-]+\)?)*)"?/i;

/** Reads a license file's text; undefined when nothing known is recognised. */
export function recogniseLicense(text: string): Recognised | undefined {
  const head = text.slice(0, MAX_LICENSE_BYTES);
  const identifier = IDENTIFIER.exec(head.slice(0, 4096));
  if (identifier) return { spdx: identifier[1].trim(), how: 'identifier' };
  const plain = normalise(head);
  const full = FULL_TEXTS.find((s) => s.all.every((p) => has(plain, p)) && !(s.none ?? []).some((p) => has(plain, p)));
  if (full && /^(A?GPL|LGPL|GFDL)-/.test(full.spdx)) {
    // A GNU text alone does not say "only" or "or later" (its own how-to appendix quotes the
    // "any later version" notice); a notice placed above the text does.
    const before = plain.slice(0, at(plain, full.all[0]));
    const orLater = gnuNotice(before)?.orLater ?? GFDL_NOTICE.exec(before)?.[3] !== undefined;
    return { spdx: `${full.spdx}-${orLater ? 'or-later' : 'only'}`, how: 'text' };
  }
  if (full) return { spdx: full.spdx, how: 'text' };
  const notice = gnuNotice(plain);
  if (notice) return { spdx: `${notice.spdx}-${notice.orLater ? 'or-later' : 'only'}`, how: 'notice' };
  if (APACHE_NOTICE.test(plain)) return { spdx: 'Apache-2.0', how: 'notice' };
  return undefined;
}
