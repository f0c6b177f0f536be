package thumb

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
)

// StripMetadata returns a JPEG or PNG without the metadata a camera writes into it (EXIF with
// its GPS position, XMP, IPTC; PNG's eXIf and text chunks), the picture itself untouched, and
// whether it changed anything. Other files, and files it cannot walk, come back as they are.
func StripMetadata(b []byte) ([]byte, bool) {
	switch {
	case len(b) > 4 && b[0] == 0xFF && b[1] == 0xD8:
		return stripJPEG(b)
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return stripPNG(b)
	}
	return b, false
}

func stripJPEG(b []byte) ([]byte, bool) {
	out := make([]byte, 0, len(b))
	out = append(out, b[:2]...)
	changed := false
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			return b, false
		}
		marker := b[i+1]
		if marker == 0xDA { // start of scan: the rest is the picture
			out = append(out, b[i:]...)
			return out, changed
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return b, false
		}
		seg := b[i : i+2+n]
		// APP1 (EXIF, XMP) and APP13 (IPTC, Photoshop) carry the metadata; APP0 (JFIF), APP2
		// (ICC colour profile) and the picture's own segments stay.
		if marker == 0xE1 || marker == 0xED {
			changed = true
		} else {
			out = append(out, seg...)
		}
		i += 2 + n
	}
	return b, false
}

func stripPNG(b []byte) ([]byte, bool) {
	out := append([]byte{}, b[:8]...)
	changed := false
	for i := 8; i+12 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[i:]))
		if n < 0 || i+12+n > len(b) {
			return b, false
		}
		typ := string(b[i+4 : i+8])
		chunk := b[i : i+12+n]
		switch typ {
		case "eXIf", "tEXt", "iTXt", "zTXt":
			changed = true
		default:
			if crc32.ChecksumIEEE(chunk[4:8+n]) != binary.BigEndian.Uint32(chunk[8+n:]) {
				return b, false
			}
			out = append(out, chunk...)
		}
		i += 12 + n
		if typ == "IEND" {
			return out, changed
		}
	}
	return b, false
}
