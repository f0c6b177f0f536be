// Package vcard reads address books as phones export them (vCard 2.1, 3.0 and 4.0) into
// beifen.Contact, and writes beifen.Contact back as vCard 3.0.
//
// The reader accepts what real phones write rather than what the RFCs allow: Android's 2.1
// quoted-printable values with soft line breaks, legacy charsets (GB2312, GBK, GB18030, Big5,
// Shift_JIS, UTF-7) declared or not, bare 2.1 parameters (TEL;CELL;PREF), Apple's itemN.
// label groups, photos in every encoding, 4.0 tel: and data: URIs, nested cards, comment and
// junk lines. Every card comes out normalised to vCard 3.0 form (see beifen.Contact), so that
// writing a card and reading it back gives the same properties.
//
// The reader streams: it holds one card at a time, never the whole file, and refuses a
// logical line longer than MaxLine or a card larger than MaxCard with a *beifen.ParseError
// for that card only.
package vcard
