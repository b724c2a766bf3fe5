// Character codes the Python text passes compare with (they read codes, not one-character strings).
export const LF = 10;
export const CR = 13;
export const HASH = 35;
export const BACKSLASH = 92;
export const SINGLE_QUOTE = 39;
export const DOUBLE_QUOTE = 34;
export const AT = 64;
export const EQUALS = 61;
export const SEMICOLON = 59;
