package genexport

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
)

// smallJPEG encodes a real 96×96 JPEG of a few KB, like a cropped contact photo: a two-colour
// gradient with a disc in the middle.
func smallJPEG(r *rand.Rand) []byte {
	const n = 96
	a, b, c := randColor(r), randColor(r), randColor(r)
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	for y := range n {
		for x := range n {
			px := mix(a, b, y*255/(n-1))
			if dx, dy := x-n/2, y-n/2-6; dx*dx+dy*dy < 28*28 {
				px = mix(c, px, (x+y)%64)
			}
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = px.R, px.G, px.B, 255
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		panic(err) // encoding into memory cannot fail
	}
	// Go writes no JFIF segment; cameras and Android's contact photos have one.
	out := buf.Bytes()
	return append(append(out[:2:2], jfifAPP0...), out[2:]...)
}

var jfifAPP0 = []byte("\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")

func randColor(r *rand.Rand) color.RGBA {
	return color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
}

// mix blends a into b; t=0 is all a, t=255 all b.
func mix(a, b color.RGBA, t int) color.RGBA {
	f := func(x, y uint8) uint8 { return uint8((int(x)*(255-t) + int(y)*t) / 255) }
	return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), 255}
}
