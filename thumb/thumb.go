// Package thumb makes small JPEG previews of phone photos for the gallery: decoded with the
// standard library (JPEG, PNG, GIF), turned upright by the EXIF orientation phones write,
// shrunk with a box filter, and refused before decoding when the picture is too big to be a
// photo (a decompression bomb).
package thumb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	_ "image/gif" // registers GIF
	"image/jpeg"
	_ "image/png" // registers PNG
	"io"
)

// MaxPixels is the largest picture Make decodes: 100 megapixels, beyond any phone camera.
const MaxPixels = 100_000_000

// MaxBytes is the largest file Make reads.
const MaxBytes = 64 << 20

// Errors Make returns.
var (
	ErrFormat   = errors.New("thumb: not a JPEG, PNG or GIF picture")
	ErrTooLarge = errors.New("thumb: picture too large")
)

// Make returns a JPEG of the picture in r no wider or taller than side pixels.
func Make(r io.Reader, side int) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxBytes {
		return nil, ErrTooLarge
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, ErrFormat
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, ErrTooLarge
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, ErrFormat
	}
	out := orient(shrink(img, side), orientation(b))
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, out, &jpeg.Options{Quality: 80}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// shrink scales img down so its longer side is at most side, averaging each box of source
// pixels; a smaller picture is only copied.
func shrink(img image.Image, side int) *image.RGBA {
	sb := img.Bounds()
	sw, sh := sb.Dx(), sb.Dy()
	w, h := sw, sh
	if sw > side || sh > side {
		if sw >= sh {
			w, h = side, max(1, sh*side/sw)
		} else {
			w, h = max(1, sw*side/sh), side
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	sums := make([]uint64, w*4)
	counts := make([]uint64, w)
	sample := pixelReader(img)
	y0 := 0
	for y := 0; y < h; y++ {
		y1 := (y + 1) * sh / h
		clear(sums)
		clear(counts)
		for sy := y0; sy < max(y1, y0+1); sy++ {
			for x := 0; x < w; x++ {
				x0, x1 := x*sw/w, max((x+1)*sw/w, x*sw/w+1)
				for sx := x0; sx < x1; sx++ {
					r, g, b := sample(sb.Min.X+sx, sb.Min.Y+sy)
					sums[x*4], sums[x*4+1], sums[x*4+2] = sums[x*4]+uint64(r), sums[x*4+1]+uint64(g), sums[x*4+2]+uint64(b)
					counts[x]++
				}
			}
		}
		for x := 0; x < w; x++ {
			n := counts[x]
			i := dst.PixOffset(x, y)
			dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2], dst.Pix[i+3] = uint8(sums[x*4]/n), uint8(sums[x*4+1]/n), uint8(sums[x*4+2]/n), 255
		}
		y0 = y1
	}
	return dst
}

// pixelReader returns a fast 8-bit RGB reader for the picture types decoders return.
func pixelReader(img image.Image) func(x, y int) (r, g, b uint8) {
	switch m := img.(type) {
	case *image.YCbCr:
		return func(x, y int) (uint8, uint8, uint8) {
			return color.YCbCrToRGB(m.Y[m.YOffset(x, y)], m.Cb[m.COffset(x, y)], m.Cr[m.COffset(x, y)])
		}
	case *image.RGBA:
		return func(x, y int) (uint8, uint8, uint8) {
			i := m.PixOffset(x, y)
			return m.Pix[i], m.Pix[i+1], m.Pix[i+2]
		}
	case *image.NRGBA: // shown over white, as a gallery shows it
		return func(x, y int) (uint8, uint8, uint8) {
			i := m.PixOffset(x, y)
			a := uint16(m.Pix[i+3])
			over := func(c uint8) uint8 { return uint8((uint16(c)*a + 255*(255-a)) / 255) }
			return over(m.Pix[i]), over(m.Pix[i+1]), over(m.Pix[i+2])
		}
	case *image.Gray:
		return func(x, y int) (uint8, uint8, uint8) {
			v := m.Pix[m.PixOffset(x, y)]
			return v, v, v
		}
	}
	return func(x, y int) (uint8, uint8, uint8) {
		r, g, b, _ := img.At(x, y).RGBA()
		return uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)
	}
}

// orient turns img as the EXIF orientation says (1: as is, 3: 180°, 6: 90° clockwise,
// 8: 90° anticlockwise; the mirrored ones 2, 4, 5, 7 as well).
func orient(img *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var dx, dy int
			switch o {
			case 2:
				dx, dy = w-1-x, y
			case 3:
				dx, dy = w-1-x, h-1-y
			case 4:
				dx, dy = x, h-1-y
			case 5:
				dx, dy = y, x
			case 6:
				dx, dy = h-1-y, x
			case 7:
				dx, dy = h-1-y, w-1-x
			case 8:
				dx, dy = y, w-1-x
			}
			si, di := img.PixOffset(x, y), dst.PixOffset(dx, dy)
			copy(dst.Pix[di:di+4], img.Pix[si:si+4])
		}
	}
	return dst
}

// orientation reads the EXIF orientation of a JPEG (1 when there is none).
func orientation(b []byte) int {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return 1
	}
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xFF {
			return 1
		}
		marker, n := b[i+1], int(binary.BigEndian.Uint16(b[i+2:]))
		if marker == 0xDA || n < 2 || i+2+n > len(b) { // start of scan: no EXIF before the picture
			return 1
		}
		seg := b[i+4 : i+2+n]
		if marker == 0xE1 && len(seg) > 14 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 1
	}
	n := int(bo.Uint16(t[off:]))
	for i := 0; i < n; i++ {
		e := off + 2 + i*12
		if e+12 > len(t) {
			return 1
		}
		if bo.Uint16(t[e:]) == 0x0112 {
			if v := int(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}
