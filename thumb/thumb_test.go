package thumb_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/beifen/beifen/thumb"
)

// photo is a w×h JPEG, red on its left half and blue on its right, with an EXIF orientation
// segment when o > 0.
func photo(tb testing.TB, w, h, o int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{R: 220, A: 255}
			if x >= w/2 {
				c = color.RGBA{B: 220, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		tb.Fatal(err)
	}
	b := buf.Bytes()
	if o == 0 {
		return b
	}
	// APP1 Exif, little-endian TIFF with one IFD entry: Orientation (0x0112), SHORT, 1, o.
	tiff := []byte("II*\x00\x08\x00\x00\x00")
	tiff = binary.LittleEndian.AppendUint16(tiff, 1)
	tiff = binary.LittleEndian.AppendUint16(tiff, 0x0112)
	tiff = binary.LittleEndian.AppendUint16(tiff, 3)
	tiff = binary.LittleEndian.AppendUint32(tiff, 1)
	tiff = binary.LittleEndian.AppendUint16(tiff, uint16(o))
	tiff = append(tiff, 0, 0, 0, 0, 0, 0)
	seg := append([]byte("Exif\x00\x00"), tiff...)
	app1 := append([]byte{0xFF, 0xE1}, binary.BigEndian.AppendUint16(nil, uint16(len(seg)+2))...)
	app1 = append(app1, seg...)
	return append(append([]byte{0xFF, 0xD8}, app1...), b[2:]...)
}

func decode(tb testing.TB, b []byte) image.Image {
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		tb.Fatal(err)
	}
	return img
}

func isRed(c color.Color) bool  { r, _, b, _ := c.RGBA(); return r > 0xA000 && b < 0x4000 }
func isBlue(c color.Color) bool { r, _, b, _ := c.RGBA(); return b > 0xA000 && r < 0x4000 }

func TestMake_ShrinksKeepingTheShape(t *testing.T) {
	out, err := thumb.Make(bytes.NewReader(photo(t, 1600, 1200, 0)), 320)
	if err != nil {
		t.Fatal(err)
	}
	img := decode(t, out)
	if b := img.Bounds(); b.Dx() != 320 || b.Dy() != 240 {
		t.Fatalf("size %v, want 320×240", b)
	}
	if !isRed(img.At(10, 120)) || !isBlue(img.At(310, 120)) {
		t.Fatalf("colours moved: %v %v", img.At(10, 120), img.At(310, 120))
	}
}

// TestMake_TurnsUpright: orientation 6 (the phone held upright) turns the picture 90°
// clockwise, so red (left) ends on top.
func TestMake_TurnsUpright(t *testing.T) {
	out, err := thumb.Make(bytes.NewReader(photo(t, 800, 600, 6)), 320)
	if err != nil {
		t.Fatal(err)
	}
	img := decode(t, out)
	if b := img.Bounds(); b.Dx() != 240 || b.Dy() != 320 {
		t.Fatalf("size %v, want 240×320", b)
	}
	if !isRed(img.At(120, 10)) || !isBlue(img.At(120, 310)) {
		t.Fatalf("not turned: top %v bottom %v", img.At(120, 10), img.At(120, 310))
	}
}

func TestMake_RefusesBombsAndNonPictures(t *testing.T) {
	// A PNG header claiming 100,000 × 100,000 pixels: refused before decoding.
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	b := buf.Bytes()
	binary.BigEndian.PutUint32(b[16:], 100000)
	binary.BigEndian.PutUint32(b[20:], 100000)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29])) // IHDR's checksum
	if _, err := thumb.Make(bytes.NewReader(b), 320); !errors.Is(err, thumb.ErrTooLarge) {
		t.Fatalf("bomb: %v, want ErrTooLarge", err)
	}
	if _, err := thumb.Make(bytes.NewReader([]byte("RIFF....WAVEfmt ")), 320); !errors.Is(err, thumb.ErrFormat) {
		t.Fatalf("a sound: %v, want ErrFormat", err)
	}
}

func BenchmarkMake_12MP(b *testing.B) {
	p := photo(b, 4000, 3000, 6)
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		if _, err := thumb.Make(bytes.NewReader(p), 320); err != nil {
			b.Fatal(err)
		}
	}
}

// TestStripMetadata: a photo's EXIF (with its GPS position) goes, the picture stays the same.
func TestStripMetadata(t *testing.T) {
	p := photo(t, 64, 48, 6) // carries an EXIF segment
	out, changed := thumb.StripMetadata(p)
	if !changed || bytes.Contains(out, []byte("Exif\x00\x00")) || len(out) >= len(p) {
		t.Fatalf("EXIF left: changed=%v", changed)
	}
	a, b := decode(t, p), decode(t, out)
	if a.Bounds() != b.Bounds() || a.At(10, 10) != b.At(10, 10) {
		t.Fatal("the picture changed")
	}
	if _, changed := thumb.StripMetadata(photo(t, 8, 8, 0)); changed {
		t.Fatal("a photo without metadata changed")
	}
	// PNG: a tEXt chunk goes, the image data stays.
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 2, 2)))
	raw := buf.Bytes()
	text := []byte("tEXtLocation\x0031.2304,121.4737")
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(text)-4))
	chunk = append(chunk, text...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(text))
	withText := append(append(append([]byte{}, raw[:33]...), chunk...), raw[33:]...)
	out, changed = thumb.StripMetadata(withText)
	if !changed || !bytes.Equal(out, raw) {
		t.Fatalf("PNG: changed=%v, equal=%v", changed, bytes.Equal(out, raw))
	}
	if out, changed := thumb.StripMetadata([]byte("RIFF....WAVE")); changed || string(out) != "RIFF....WAVE" {
		t.Fatal("a sound changed")
	}
}
