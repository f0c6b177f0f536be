package genexport

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io"
	"math/rand/v2"
)

// kind is the format of a binary file. Content is random bytes behind a real header, enough for
// content sniffing and file(1), and as incompressible as real media.
type kind int

const (
	kindEmpty kind = iota
	kindJPEG
	kindPNG
	kindMP3
	kindM4A
	kindMP4
	kindPDF
	kindZIP
)

// byteSource returns the random bytes of the blob with the given id in an export with seed.
func byteSource(seed, id uint64) *rand.ChaCha8 {
	p := rand.NewPCG(seed, id)
	var key [32]byte
	for i := 0; i < 32; i += 8 {
		binary.LittleEndian.PutUint64(key[i:], p.Uint64())
	}
	return rand.NewChaCha8(key)
}

// header returns the first bytes of a file of kind k and total size size.
func header(k kind, size int64) []byte {
	switch k {
	case kindJPEG:
		return jpegHeader
	case kindMP3:
		return []byte("ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x64")
	case kindM4A:
		return isoHeader("M4A \x00\x00\x00\x00M4A mp42isom\x00\x00\x00\x00", size)
	case kindMP4:
		return isoHeader("isom\x00\x00\x02\x00isomiso2avc1mp41", size)
	case kindPDF:
		return []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	case kindZIP:
		return []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00")
	}
	return nil
}

func trailer(k kind) []byte {
	switch k {
	case kindJPEG:
		return []byte{0xff, 0xd9}
	case kindPDF:
		return []byte("\n%%EOF\n")
	}
	return nil
}

// jpegHeader is SOI, an Exif APP1 with an empty IFD, a quantisation table and a start of scan.
var jpegHeader = func() []byte {
	h := []byte("\xff\xd8\xff\xe1\x00\x16Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00")
	h = append(h, 0xff, 0xdb, 0x00, 0x43, 0x00)
	for i := range 64 {
		h = append(h, byte(2+i/4))
	}
	return append(h, "\xff\xda\x00\x0c\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00"...)
}()

// isoHeader is an ISO base media ftyp box (brand + compatible brands) and an mdat box header
// spanning the rest of the file.
func isoHeader(brands string, size int64) []byte {
	h := binary.BigEndian.AppendUint32(nil, uint32(8+len(brands)))
	h = append(h, "ftyp"+brands...)
	h = binary.BigEndian.AppendUint32(h, uint32(max(size-int64(len(h)), 8)))
	return append(h, "mdat"...)
}

// writeBlob writes size bytes of kind k to w; buf is scratch space.
func writeBlob(w io.Writer, k kind, size int64, src *rand.ChaCha8, buf []byte) error {
	if size == 0 {
		return nil
	}
	head, tail := header(k, size), trailer(k)
	if _, err := w.Write(head); err != nil {
		return err
	}
	for n := size - int64(len(head)+len(tail)); n > 0; {
		chunk := buf[:min(n, int64(len(buf)))]
		src.Read(chunk)
		if _, err := w.Write(chunk); err != nil {
			return err
		}
		n -= int64(len(chunk))
	}
	_, err := w.Write(tail)
	return err
}

// blobBytes returns a whole small blob, such as an MMS attachment, in memory.
func blobBytes(k kind, size int64, src *rand.ChaCha8) []byte {
	if k == kindPNG {
		return pngBytes(size, src)
	}
	var b bytes.Buffer
	b.Grow(int(size))
	writeBlob(&b, k, size, src, make([]byte, 32<<10)) // a bytes.Buffer never fails
	return b.Bytes()
}

// pngBytes is a PNG with a valid signature, IHDR, one IDAT of random bytes and IEND, all with
// correct CRCs.
func pngBytes(size int64, src *rand.ChaCha8) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, 640)
	ihdr = binary.BigEndian.AppendUint32(ihdr, 480)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	idat := make([]byte, max(size-8-25-12-12, 0))
	src.Read(idat)
	b := []byte("\x89PNG\r\n\x1a\n")
	b = pngChunk(b, "IHDR", ihdr)
	b = pngChunk(b, "IDAT", idat)
	return pngChunk(b, "IEND", nil)
}

func pngChunk(b []byte, typ string, data []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	start := len(b)
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
}
