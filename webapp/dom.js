// Small DOM helpers every part of the page uses.

/** The element with this id. */
export const $ = id => document.getElementById(id);

/** el[key] = value unless it already is: writing the same text again still costs the browser a layout. */
export function put(el, key, value) {
  if (el[key] !== value) el[key] = value;
}

/** Saves text as a file: a Blob behind an object URL and a clicked link (nothing leaves the browser). */
export function download(text, name, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}
