// Finding control characters is the point of these patterns.
/* eslint-disable no-control-regex */

/** Any C0 control character or DEL: never part of an address or a link. */
export const ANY_CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** Control characters nobody types in a form; tab, line feed and carriage return are allowed. */
export const UNTYPEABLE_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** A path whose percent-escapes decode to a control character. */
export const ESCAPED_CONTROL_CHARACTER = /%(0[0-9a-f]|1[0-9a-f]|7f)/i;
