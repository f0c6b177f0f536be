package vcard

import "bytes"

// Sniff reports whether the start of a file looks like vCard: BEGIN:VCARD, in any case,
// after an optional byte order mark (UTF-8 or UTF-16) and white space.
func Sniff(head []byte) bool {
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		head = head[3:]
	case bytes.HasPrefix(head, []byte("\xff\xfe")):
		head = narrowUTF16(head[2:], 0)
	case bytes.HasPrefix(head, []byte("\xfe\xff")):
		head = narrowUTF16(head[2:], 1)
	}
	head = bytes.TrimLeft(head, " \t\r\n")
	const begin = "BEGIN:VCARD"
	return len(head) >= len(begin) && bytes.EqualFold(head[:len(begin)], []byte(begin))
}

// narrowUTF16 keeps the ASCII characters of UTF-16 text (lo is the index of the low byte
// in each pair) up to the first one that is not ASCII.
func narrowUTF16(b []byte, lo int) []byte {
	var out []byte
	for i := 0; i+1 < len(b); i += 2 {
		c, hi := b[i+lo], b[i+1-lo]
		if hi != 0 || c >= 0x80 {
			break
		}
		out = append(out, c)
	}
	return out
}
